// One DN written two ways (AD answers `CN=Smith\, John`; other tools and exports write
// `CN=Smith\2C John`, change the case of the attribute types, or put spaces around `=` and `,`)
// is one object: manager, managedBy, member, memberOf, msDS-ResultantPSO and a PSO's targets
// must join across spellings, and the snapshot keeps the DN as the directory wrote it.
import { describe, expect, it } from "vitest";
import { normalizeAd } from "../../../src/collectors/ad/normalizer.ts";
import { parseLdif } from "../../../src/collectors/ldap-common/ldif-reader.ts";
import { serviceAccountRules } from "../../../src/collectors/ldap-common/service-account-rules.ts";
import { daysToAdDuration } from "../../../src/collectors/ldap-common/ad-duration.ts";
import { encodeSid } from "../../../src/collectors/ldap-common/sid.ts";
import { toLdif } from "../ldap-common/ldif-builder.ts";
import { BASE, D, ids, user } from "./synthetic-estate.ts";

const SMITH = `CN=Smith\\, John,OU=Staff,${BASE}`;
const PSO = `CN=Fine\\, Grained,CN=Password Settings Container,CN=System,${BASE}`;
const GROUP = `CN=Ops\\+Dev,OU=Staff,${BASE}`;

async function* once(text: string) {
  yield Buffer.from(text);
}

describe("AD joins across spellings of one DN", () => {
  it("resolves manager, managedBy, member, memberOf, msDS-ResultantPSO and msDS-PSOAppliesTo whatever the escaping", async () => {
    const ldif = toLdif([
      { dn: BASE, objectClass: ["top", "domain", "domainDNS"], ...ids(0), objectSid: encodeSid(D), minPwdLength: "7", maxPwdAge: daysToAdDuration(42).toString() },
      { dn: `OU=Staff,${BASE}`, objectClass: ["top", "organizationalUnit"] },
      { dn: PSO, objectClass: ["top", "msDS-PasswordSettings"], cn: "Fine, Grained", "msDS-PasswordSettingsPrecedence": "1", "msDS-MinimumPasswordLength": "20", "msDS-PSOAppliesTo": `cn=smith\\2c john, ou=staff,dc=CORP,dc=example` },
      { dn: GROUP, objectClass: ["top", "group"], sAMAccountName: "Ops+Dev", ...ids(1200), member: `CN=Smith\\2C John,OU=Staff,${BASE}` },
      user(SMITH, "jsmith", 1100, { memberOf: `cn = Ops\\2BDev , ou=Staff,${BASE}` }),
      user(`CN=svc-report,OU=Staff,${BASE}`, "svc-report", 1101, {
        manager: `CN=Smith\\2C John,OU=Staff,${BASE}`,
        managedBy: `cn="Smith, John",ou=staff,${BASE}`,
        "msDS-ResultantPSO": `CN=Fine\\2C Grained,CN=Password Settings Container,CN=System,${BASE}`,
      }),
    ]);
    const n = await normalizeAd(parseLdif(once(ldif), "corp.ldif"), { sourceId: "corp", serviceRules: serviceAccountRules(), locate: (_e: unknown, error: Error) => error, collectedAt: "2026-01-01T00:00:00.000Z" });
    const smith = n.accounts.find((a) => a.name === "jsmith")!;
    const svc = n.accounts.find((a) => a.name === "svc-report")!;
    expect(n.gaps).toEqual([]);
    // Owners: the account itself, not a deleted or unknown DN.
    expect(svc.owners).toEqual([
      { ref: smith.id, name: "jsmith", source: "corp", relation: "managedBy", status: "enabled" },
      { ref: smith.id, name: "jsmith", source: "corp", relation: "manager", status: "enabled" },
    ]);
    // Group membership from both sides, the group DN kept as AD wrote it.
    expect(smith.groups).toEqual([GROUP]);
    // The PSO named by msDS-ResultantPSO, and the PSO's target read as the account.
    const pso = n.passwordPolicies.find((p) => p.scope === "pso")!;
    expect(pso).toMatchObject({ dn: PSO, appliesTo: [smith.id], minLength: 20 });
    expect(svc.passwordPolicy).toBe(pso.id);
    expect(smith.passwordPolicy).toBe(pso.id);
    expect(smith.nativeIds.dn).toBe(SMITH);
  });
});
