// A PSO governs only what AD's msDS-ResultantPSO computation lets it reach ([MS-ADTS]
// 3.1.1.4.5.36): users with ADS_UF_NORMAL_ACCOUNT (not computers) and, through groups, only
// global security groups. An export that links a PSO to a universal, domain local or
// distribution group must not credit that group's members with the PSO, and a group whose
// groupType the export left out leaves its members' policy unknown.
import { describe, expect, it } from "vitest";
import { normalizeAd } from "../../../src/collectors/ad/normalizer.ts";
import { parseLdif } from "../../../src/collectors/ldap-common/ldif-reader.ts";
import { serviceAccountRules } from "../../../src/collectors/ldap-common/service-account-rules.ts";
import { daysToAdDuration } from "../../../src/collectors/ldap-common/ad-duration.ts";
import type { NormalizedDirectoryFacts } from "../../../src/collectors/normalized-facts.ts";
import { encodeGuid } from "../../../src/collectors/ldap-common/guid.ts";
import { toLdif, type BuilderEntry } from "../ldap-common/ldif-builder.ts";
import { BASE, domainEntry, group, user } from "./synthetic-estate.ts";

const CONTAINER = `CN=Password Settings Container,CN=System,${BASE}`;
const groupDn = (cn: string) => `CN=${cn},OU=Groups,${BASE}`;
const pso = (cn: string, precedence: number, minLength: number, appliesTo: string[]): BuilderEntry => ({
  dn: `CN=${cn},${CONTAINER}`,
  objectClass: ["top", "msDS-PasswordSettings"],
  cn,
  "msDS-PasswordSettingsPrecedence": String(precedence),
  "msDS-MinimumPasswordLength": String(minLength),
  "msDS-MaximumPasswordAge": daysToAdDuration(30).toString(),
  "msDS-PSOAppliesTo": appliesTo,
});

async function* once(text: string) {
  yield Buffer.from(text);
}

async function normalize(entries: BuilderEntry[], domainExtra: Record<string, string> = {}): Promise<NormalizedDirectoryFacts> {
  const ldif = toLdif([domainEntry({ minPwdLength: "12", maxPwdAge: daysToAdDuration(90).toString(), ...domainExtra }), { dn: `OU=Groups,${BASE}`, objectClass: ["top", "organizationalUnit"] }, ...entries]);
  return normalizeAd(parseLdif(once(ldif), "corp.ldif"), { sourceId: "corp", serviceRules: serviceAccountRules(), locate: (_e: unknown, error: Error) => error, collectedAt: "2026-01-01T00:00:00.000Z" });
}

const policyOf = (n: NormalizedDirectoryFacts, name: string) => n.accounts.find((a) => a.name === name)!.passwordPolicy;
const psoId = (cn: string) => `corp:policy:cn=${cn.toLowerCase()},cn=password settings container,cn=system,dc=corp,dc=example`;
const DOMAIN = "corp:policy:dc=corp,dc=example";

describe("AD password settings objects reach what AD applies them to", () => {
  it("ignores a PSO linked to a universal, domain local or distribution group, and applies one linked to a global security group", async () => {
    const n = await normalize([
      group(groupDn("Universal"), "Universal", 1200, { groupType: "-2147483640" }),
      group(groupDn("DomainLocal"), "DomainLocal", 1201, { groupType: "-2147483644" }),
      group(groupDn("GlobalDistribution"), "GlobalDistribution", 1202, { groupType: "2" }),
      group(groupDn("GlobalSecurity"), "GlobalSecurity", 1203),
      pso("Weak", 1, 4, [groupDn("Universal"), groupDn("DomainLocal"), groupDn("GlobalDistribution")]),
      pso("Strong", 5, 20, [groupDn("GlobalSecurity")]),
      user(`CN=u-univ,OU=Groups,${BASE}`, "u-univ", 1300, { memberOf: [groupDn("Universal"), groupDn("DomainLocal"), groupDn("GlobalDistribution")] }),
      user(`CN=u-both,OU=Groups,${BASE}`, "u-both", 1301, { memberOf: [groupDn("Universal"), groupDn("GlobalSecurity")] }),
    ]);
    expect(n.gaps).toEqual([]);
    expect(policyOf(n, "u-univ")).toBe(DOMAIN);
    // Weak has the lower precedence, but only Strong is linked to a global security group.
    expect(policyOf(n, "u-both")).toBe(psoId("Strong"));
  });

  it("gives no PSO to a computer account in a group the PSO applies to", async () => {
    const n = await normalize([
      group(groupDn("Servers"), "Servers", 1200),
      pso("ServerPso", 1, 30, [groupDn("Servers")]),
      user(`CN=APP1,OU=Groups,${BASE}`, "APP1$", 1400, { objectClass: ["top", "person", "organizationalPerson", "user", "computer"], userAccountControl: "4096", memberOf: groupDn("Servers") }),
      user(`CN=u-server,OU=Groups,${BASE}`, "u-server", 1301, { memberOf: groupDn("Servers") }),
    ]);
    expect(policyOf(n, "APP1$")).toBe(DOMAIN);
    expect(policyOf(n, "u-server")).toBe(psoId("ServerPso"));
  });

  it("leaves the policy unknown, with a gap, when the group a PSO is linked to has no groupType in the export", async () => {
    const untyped = group(groupDn("Untyped"), "Untyped", 1200);
    delete untyped.groupType;
    const n = await normalize([
      untyped,
      pso("Linked", 1, 20, [groupDn("Untyped")]),
      user(`CN=u-member,OU=Groups,${BASE}`, "u-member", 1300, { memberOf: groupDn("Untyped") }),
      user(`CN=u-other,OU=Groups,${BASE}`, "u-other", 1301),
    ]);
    expect(policyOf(n, "u-member")).toBeNull();
    expect(policyOf(n, "u-other")).toBe(DOMAIN);
    expect(n.gaps).toHaveLength(1);
    expect(n.gaps[0]).toMatchObject({ step: "groups", affects: ["accounts.passwordPolicy"] });
    expect(n.gaps[0].message).toContain(`1 account(s) are members of 1 group(s) a password settings object is linked to, and the export holds no groupType for them: ${groupDn("Untyped")}`);
  });

  it("leaves the policy unknown when msDS-PSOApplied names a PSO the export does not hold (the container was not readable)", async () => {
    const hidden = `CN=Hidden,${CONTAINER}`;
    const n = await normalize([
      group(groupDn("Admins"), "Admins", 1200, { "msDS-PSOApplied": hidden }),
      group(groupDn("Mail"), "Mail", 1201, { groupType: "-2147483640", "msDS-PSOApplied": hidden }),
      user(`CN=u-direct,OU=Groups,${BASE}`, "u-direct", 1300, { "msDS-PSOApplied": hidden }),
      user(`CN=u-group,OU=Groups,${BASE}`, "u-group", 1301, { memberOf: groupDn("Admins") }),
      user(`CN=u-universal,OU=Groups,${BASE}`, "u-universal", 1302, { memberOf: groupDn("Mail") }),
      user(`CN=u-none,OU=Groups,${BASE}`, "u-none", 1303),
    ]);
    expect(policyOf(n, "u-direct")).toBeNull();
    expect(policyOf(n, "u-group")).toBeNull();
    // A universal group's PSO does not apply, read or not.
    expect(policyOf(n, "u-universal")).toBe(DOMAIN);
    expect(policyOf(n, "u-none")).toBe(DOMAIN);
    expect(n.gaps).toHaveLength(1);
    expect(n.gaps[0]).toMatchObject({ step: "passwordSettings", affects: ["passwordPolicies", "accounts.passwordPolicy"] });
    expect(n.gaps[0].message).toMatch(/^2 account\(s\) are governed by 1 password settings object\(s\) \(msDS-ResultantPSO, msDS-PSOApplied\) missing from the export: CN=Hidden,/);
  });

  it("breaks a precedence tie by the lowest objectGUID in stored byte order, not by DN or GUID text; a PSO linked to the user wins regardless", async () => {
    // As text, TextLowest's GUID sorts first (00000002 < 00000100) and so does its DN; as AD
    // stores it (first field little-endian: 02 00 00 00 vs 00 01 00 00) BytesLowest's is lower.
    const textLowest = { ...pso("A-TextLowest", 5, 10, [groupDn("Tied")]), objectGUID: encodeGuid("00000002-0000-4000-8000-000000000000") };
    const bytesLowest = { ...pso("B-BytesLowest", 5, 12, [groupDn("Tied")]), objectGUID: encodeGuid("00000100-0000-4000-8000-000000000000") };
    const n = await normalize([
      group(groupDn("Tied"), "Tied", 1200),
      textLowest,
      bytesLowest,
      { ...pso("C-DirectA", 7, 14, [`CN=u-direct,OU=Groups,${BASE}`]), objectGUID: encodeGuid("00000002-0000-4000-8000-000000000000") },
      { ...pso("D-DirectB", 7, 16, [`CN=u-direct,OU=Groups,${BASE}`]), objectGUID: encodeGuid("00000100-0000-4000-8000-000000000000") },
      { ...pso("E-Direct-Weak", 99, 6, [`CN=u-linked,OU=Groups,${BASE}`]), objectGUID: encodeGuid("ffffffff-0000-4000-8000-000000000000") },
      user(`CN=u-tied,OU=Groups,${BASE}`, "u-tied", 1300, { memberOf: groupDn("Tied") }),
      user(`CN=u-direct,OU=Groups,${BASE}`, "u-direct", 1301),
      user(`CN=u-linked,OU=Groups,${BASE}`, "u-linked", 1302, { memberOf: groupDn("Tied") }),
    ]);
    expect(n.gaps).toEqual([]);
    expect(policyOf(n, "u-tied")).toBe(psoId("B-BytesLowest"));
    expect(policyOf(n, "u-direct")).toBe(psoId("D-DirectB"));
    // Precedence 99 linked to the user beats the group's precedence 5.
    expect(policyOf(n, "u-linked")).toBe(psoId("E-Direct-Weak"));
  });

  it("leaves the policy unknown, with a gap, when PSOs tied on precedence were exported without objectGUID", async () => {
    const n = await normalize([
      group(groupDn("Tied"), "Tied", 1200),
      pso("First", 5, 10, [groupDn("Tied")]),
      pso("Second", 5, 12, [groupDn("Tied")]),
      pso("Lower", 9, 14, [groupDn("Other")]),
      group(groupDn("Other"), "Other", 1201),
      user(`CN=u-tied,OU=Groups,${BASE}`, "u-tied", 1300, { memberOf: [groupDn("Tied"), groupDn("Other")] }),
      user(`CN=u-other,OU=Groups,${BASE}`, "u-other", 1301, { memberOf: groupDn("Other") }),
    ]);
    expect(policyOf(n, "u-tied")).toBeNull();
    // One PSO reaching an account needs no tie-break, with or without objectGUID.
    expect(policyOf(n, "u-other")).toBe(psoId("Lower"));
    expect(n.gaps).toHaveLength(1);
    expect(n.gaps[0]).toMatchObject({ step: "passwordSettings", affects: ["accounts.passwordPolicy"] });
    expect(n.gaps[0].message).toMatch(/^1 account\(s\) are reached by password settings objects of equal msDS-PasswordSettingsPrecedence, and the export holds no objectGUID for 2 of them: CN=First,.*CN=Second,/);
  });

  it("applies no PSO in a domain below the Windows Server 2008 functional level (msDS-Behavior-Version < 3)", async () => {
    const estate = () => [
      group(groupDn("Linked"), "Linked", 1200),
      pso("ViaGroup", 1, 20, [groupDn("Linked")]),
      pso("Direct", 2, 24, [`CN=u-direct,OU=Groups,${BASE}`]),
      user(`CN=u-group,OU=Groups,${BASE}`, "u-group", 1300, { memberOf: groupDn("Linked") }),
      user(`CN=u-direct,OU=Groups,${BASE}`, "u-direct", 1301),
    ];
    const win2003 = await normalize(estate(), { "msDS-Behavior-Version": "2" });
    expect([policyOf(win2003, "u-group"), policyOf(win2003, "u-direct")]).toEqual([DOMAIN, DOMAIN]);
    expect(win2003.gaps).toEqual([]);
    const win2008 = await normalize(estate(), { "msDS-Behavior-Version": "3" });
    expect([policyOf(win2008, "u-group"), policyOf(win2008, "u-direct")]).toEqual([psoId("ViaGroup"), psoId("Direct")]);
  });
});
