import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { CollectorContext } from "../../../src/collectors/collector.ts";
import { adCollector } from "../../../src/collectors/ad/index.ts";
import { syntheticEstate } from "./synthetic-estate.ts";
import { userInputErrorOf } from "../../user-input-error.ts";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/ldif");
const DEMO = resolve(import.meta.dirname, "../../../examples/demo");

function context(file: string, configDir = FIXTURES, extra: Record<string, unknown> = {}): CollectorContext<"ad"> & { ticks: number } {
  const ctx = {
    source: { id: "corp-ad", kind: "ad" as const, file, ...extra },
    configDir,
    env: {},
    ticks: 0,
    progress: { step() {}, tick() { ctx.ticks++; } },
    log: () => {},
  };
  return ctx;
}

function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "credgov-ad-"));
  writeFileSync(join(dir, name), text);
  return dir;
}

describe("ad collector (file transport)", () => {
  it("collects a real export relative to the config directory, with counts and the file read in queries", async () => {
    const ctx = context("samba-delegation.ldif");
    const part = await adCollector.collect(ctx);
    // The fixture is trimmed to the entries the tests use: groups its members point at are
    // absent, which the completeness check reports (a trimmed export is an incomplete one).
    expect(part.source).toMatchObject({ id: "corp-ad", kind: "ad", transport: "file", endpoint: "samba-delegation.ldif", status: "partial", namingContext: "DC=corp,DC=example" });
    expect(part.source.errors).toEqual([expect.objectContaining({ step: "entries", affects: ["*"] })]);
    expect(part.source.errors[0].message).toMatch(/^4 entries named by member\/memberOf inside DC=corp,DC=example are not in the read \(e\.g\. CN=Users,CN=Builtin,DC=corp,DC=example;/);
    expect(part.source.counts).toMatchObject({ entries: 19, users: 7, groups: 7 });
    expect(part.source.queries).toHaveLength(1);
    expect(part.source.queries[0]).toMatchObject({ step: "ad-ldif", resultCount: 19, status: "ok" });
    // The fixture was written with -LLL: nothing in it vouches for a complete search, and the query says so.
    expect(part.source.queries[0].call).toMatch(/^read LDIF samba-delegation\.ldif \(\d+ lines; no ldapsearch result trailer after the last entry: a search stopped by a size or time limit would not show\)$/);
    expect(ctx.ticks).toBe(19);
    expect(part.accounts).toHaveLength(8);
    expect(part.settings.domainName).toBe("corp.example");
  });

  it("honours configured service OUs and name patterns", async () => {
    const dir = tempFile("estate.ldif", syntheticEstate());
    const part = await adCollector.collect(context("estate.ldif", dir, { serviceOUs: ["OU=Sub,OU=Staff,DC=corp,DC=example"], serviceAccountPatterns: ["batch"] }));
    const kind = (name: string) => part.accounts.find((a) => a.name === name)!.kind;
    expect(kind("u3")).toBe("service");
    expect(kind("batch")).toBe("service");
    expect(kind("svc_web")).toBe("human"); // default patterns replaced by the configured ones
    expect(kind("sqlengine")).toBe("service"); // SPNs always mark a service account
  });

  it("an export without the PSOs that msDS-ResultantPSO names (a reader without access to them): policies unknown, partial", async () => {
    // What an export by an account that may not read the Password Settings Container holds:
    // the accounts' msDS-ResultantPSO, and none of the PSO entries.
    const demo = readFileSync(join(DEMO, "ad.ldif"), "utf8");
    const records = demo.split(/\n\n/);
    const withoutPsos = records.filter((r) => !/^objectClass: msDS-PasswordSettings$/m.test(r));
    expect(withoutPsos.length).toBe(records.length - 2);
    const full = await adCollector.collect(context("ad.ldif", DEMO));
    const part = await adCollector.collect(context("ad.ldif", tempFile("ad.ldif", withoutPsos.join("\n\n"))));
    expect(full.source.status).toBe("ok");
    expect(part.source.status).toBe("partial");
    const gap = part.source.errors.find((e) => e.step === "passwordSettings");
    expect(gap?.message).toMatch(/^\d+ account\(s\) are governed by 1 password settings object\(s\) \(msDS-ResultantPSO, msDS-PSOApplied\) missing from the export: CN=Tier0 Admins,CN=Password Settings Container/);
    expect(gap?.affects).toEqual(["passwordPolicies", "accounts.passwordPolicy"]);
    // The accounts whose msDS-ResultantPSO names it: policy unknown, not the domain's it overrides.
    const named = records.filter((r) => /^msDS-ResultantPSO: /m.test(r)).map((r) => /^dn: (.*(?:\n .*)*)/m.exec(r)![1]!.replace(/\n /g, ""));
    expect(named.length).toBeGreaterThan(0);
    for (const dn of named) {
      expect(full.accounts.find((a) => a.nativeIds.dn === dn)?.passwordPolicy).toMatch(/tier0/);
      expect(part.accounts.find((a) => a.nativeIds.dn === dn)?.passwordPolicy).toBeNull();
    }
  });

  it("records a missing export as a source error instead of crashing", async () => {
    const part = await adCollector.collect(context("nope.ldif"));
    expect(part.source.status).toBe("error");
    expect(part.source.errors[0]).toMatchObject({ step: "ad-ldif", message: "export file nope.ldif not found" });
    expect(part.source.queries[0]).toMatchObject({ status: "missing", resultCount: 0 });
    expect(part.accounts).toEqual([]);
  });

  it("fails a truncated export with file, line and attribute", async () => {
    const text = syntheticEstate();
    const cut = text.slice(0, text.indexOf("nTSecurityDescriptor:: ", text.indexOf("CN=u2,")) + 60);
    const dir = tempFile("cut.ldif", cut);
    const error = await userInputErrorOf(adCollector.collect(context("cut.ldif", dir)));
    expect(error.format()).toMatch(/^cut\.ldif:\d+ nTSecurityDescriptor: file ends in the middle of a line/);
    expect(error.line).toBe(cut.split("\n").length);
  });

  it("locates an undecodable value at its entry's line and attribute", async () => {
    const text = "dn: DC=corp,DC=example\nobjectClass: domainDNS\n\ndn: CN=a,DC=corp,DC=example\nobjectClass: user\nuserAccountControl: 0x200\n\n";
    const dir = tempFile("bad.ldif", text);
    const error = await userInputErrorOf(adCollector.collect(context("bad.ldif", dir)));
    expect(error.format()).toBe('bad.ldif:6 userAccountControl: expected an integer, got "0x200" (entry CN=a,DC=corp,DC=example)');
  });

  // Found by test/fuzz/cli-fuzz.ts: a negative count reached the snapshot and broke its schema,
  // an internal error instead of the file's line.
  it.each([
    ["minPwdLength", "DC=corp,DC=example", "domainDNS"],
    ["lockoutThreshold", "DC=corp,DC=example", "domainDNS"],
    ["msDS-PasswordHistoryLength", "CN=Admins,CN=Password Settings Container,CN=System,DC=corp,DC=example", "msDS-PasswordSettings"],
  ])("refuses a negative %s at its line", async (attribute, dn, objectClass) => {
    const text = `dn: ${dn}\nobjectClass: ${objectClass}\n${attribute}: -1\n\n`;
    const dir = tempFile("neg.ldif", text);
    const error = await userInputErrorOf(adCollector.collect(context("neg.ldif", dir)));
    expect(error.format()).toBe(`neg.ldif:3 ${attribute}: must be 0 or more, got -1 (entry ${dn})`);
  });

  // AD keeps policy intervals at 0 or below; a positive one was edited by hand, and reading its
  // magnitude would report a policy the directory never held.
  it.each([
    ["maxPwdAge", "DC=corp,DC=example", "domainDNS"],
    ["minPwdAge", "DC=corp,DC=example", "domainDNS"],
    ["lockoutDuration", "DC=corp,DC=example", "domainDNS"],
    ["msDS-MaximumPasswordAge", "CN=Admins,CN=Password Settings Container,CN=System,DC=corp,DC=example", "msDS-PasswordSettings"],
    ["msDS-LockoutDuration", "CN=Admins,CN=Password Settings Container,CN=System,DC=corp,DC=example", "msDS-PasswordSettings"],
  ])("refuses a positive interval %s at its line", async (attribute, dn, objectClass) => {
    const text = `dn: ${dn}\nobjectClass: ${objectClass}\n${attribute}: 36288000000000\n\n`;
    const dir = tempFile("pos.ldif", text);
    const error = await userInputErrorOf(adCollector.collect(context("pos.ldif", dir)));
    expect(error.format()).toBe(`pos.ldif:3 ${attribute}: must be 0 or negative (Active Directory stores an interval as a negative count of 100-ns ticks), got 36288000000000 (entry ${dn})`);
  });

  it("locates a corrupt security descriptor", async () => {
    const text = "dn: CN=a,DC=corp,DC=example\nobjectClass: user\nnTSecurityDescriptor:: AQAEhBQAAAAkAAAAAAAAADQAAAA=\n\n";
    const dir = tempFile("sd.ldif", text);
    const error = await userInputErrorOf(adCollector.collect(context("sd.ldif", dir)));
    expect(error.file).toBe("sd.ldif");
    expect(error.line).toBe(3);
    expect(error.field).toBe("nTSecurityDescriptor");
    expect(error.message).toMatch(/truncated|runs past|too short/);
  });

  it("marks the source partial when the export lacks the domain head", async () => {
    const dir = tempFile("ou.ldif", "dn: CN=a,OU=x,DC=corp,DC=example\nobjectClass: user\nsAMAccountName: a\n\n");
    const part = await adCollector.collect(context("ou.ldif", dir));
    expect(part.source.status).toBe("partial");
    // ... and the account lacks userAccountControl, objectSid and pwdLastSet.
    expect(part.source.errors.map((e) => e.step)).toEqual(["domain", "entries", "entries", "entries"]);
  });

  it("marks the source partial when accounts lack userAccountControl (never enabled with no flags)", async () => {
    const text = readFileSync(join(DEMO, "ad.ldif"), "utf8").replace(/^userAccountControl:.*\n/gim, "");
    const part = await adCollector.collect(context("ad.ldif", tempFile("ad.ldif", text)));
    expect(part.source.status).toBe("partial");
    const gap = part.source.errors.find((e) => e.message.includes("userAccountControl"))!;
    expect(gap).toMatchObject({ step: "entries", affects: ["accounts", "credentials", "resetPaths", "identities"] });
    expect(gap.message).toMatch(/^334 account entries lack userAccountControl \(e\.g\. CN=krbtgt,CN=Users,DC=corp,DC=example;/);
  });

  // An OU read without its security descriptor (its reader may not read that one) dropped the
  // Help Desk's reset rights over every account below it without a word: 229 reset paths of
  // the demo, source ok.
  it("marks the source partial when a container lacks nTSecurityDescriptor while other entries carry one", async () => {
    const text = readFileSync(join(DEMO, "ad.ldif"), "utf8").replace(/^(dn: OU=Staff,DC=corp,DC=example\n(?:.+\n)*?)nTSecurityDescriptor::.*\n(?: .*\n)*/m, "$1");
    expect(text).not.toEqual(readFileSync(join(DEMO, "ad.ldif"), "utf8"));
    const part = await adCollector.collect(context("ad.ldif", tempFile("ad.ldif", text)));
    expect(part.source.status).toBe("partial");
    expect(part.source.errors).toEqual([
      {
        step: "entries",
        message: "1 container was read without nTSecurityDescriptor while other entries carry one (e.g. OU=Staff,DC=corp,DC=example): the reset rights it passes down to the accounts below are unknown; export with the SD flags control by an account that may read every descriptor",
        affects: ["resetPaths"],
      },
    ]);
  });

  it("marks the source partial when an account lacks pwdLastSet (a filtered export never reads as 'no reset pending')", async () => {
    const text = readFileSync(join(DEMO, "ad.ldif"), "utf8").replace(/^(sAMAccountName: aabbott\n(?:.*\n)*?)pwdLastSet:.*\n/m, "$1");
    expect(text).not.toEqual(readFileSync(join(DEMO, "ad.ldif"), "utf8"));
    const part = await adCollector.collect(context("ad.ldif", tempFile("ad.ldif", text)));
    expect(part.source.status).toBe("partial");
    expect(part.source.errors).toEqual([
      {
        step: "entries",
        message: "1 account entry lacks pwdLastSet (e.g. CN=Ada Abbott aabbott,OU=Contractors,DC=corp,DC=example): when their passwords were set, and whether a reset is waiting for the user, is unknown; export every attribute ('*') with an account that may read them",
        affects: ["accounts", "credentials", "resetPaths"],
      },
    ]);
  });

  it("does not count foreign security principals (well-known SIDs, trusted domains) among missing members", async () => {
    const text = readFileSync(join(DEMO, "ad.ldif"), "utf8").replace(/^(member: .*)$/m, "$1\nmember: CN=S-1-5-11,CN=ForeignSecurityPrincipals,DC=corp,DC=example");
    expect(text).toContain("CN=S-1-5-11,CN=ForeignSecurityPrincipals");
    const part = await adCollector.collect(context("ad.ldif", tempFile("ad.ldif", text)));
    expect(part.source.errors).toEqual([]);
    expect(part.source.status).toBe("ok");
    // A member below the naming context that is not a foreign principal is still a gap.
    const cut = text.replace("CN=S-1-5-11,CN=ForeignSecurityPrincipals,DC=corp,DC=example", "CN=S-1-5-11,CN=Gone,CN=ForeignSecurityPrincipals,DC=corp,DC=example");
    const partial = await adCollector.collect(context("ad.ldif", tempFile("ad.ldif", cut)));
    expect(partial.source.status).toBe("partial");
  });

  it("marks an export cut at an entry boundary partial (158 of 334 accounts)", async () => {
    const entries = readFileSync(join(DEMO, "ad.ldif"), "utf8").split("\n\n");
    const part = await adCollector.collect(context("ad.ldif", tempFile("ad.ldif", entries.slice(0, 176).join("\n\n") + "\n")));
    expect(part.accounts).toHaveLength(158);
    expect(part.source.status).toBe("partial");
    expect(part.source.errors).toEqual([expect.objectContaining({ step: "entries", affects: ["*"] })]);
    expect(part.source.errors[0].message).toMatch(/^18 entries named by member\/memberOf inside DC=corp,DC=example are not in the read/);
  });

  it("refuses an export that holds one entry twice, naming the second copy's line", async () => {
    const text = readFileSync(join(DEMO, "ad.ldif"), "utf8");
    const entries = text.trimEnd().split("\n\n");
    const user = entries.find((e) => e.startsWith("dn: CN=Ben Abbott babbott,"))!;
    // The copy differs (another userAccountControl): reading either one would be a guess.
    const twice = `${text}\n${user.replace("userAccountControl: 512", "userAccountControl: 66048").replace("dn: CN=Ben Abbott babbott,OU=Staff", "dn: cn=ben abbott babbott,ou=staff")}\n`;
    const error = await userInputErrorOf(adCollector.collect(context("ad.ldif", tempFile("ad.ldif", twice))));
    expect(error.format()).toBe(`ad.ldif:${text.split("\n").length + 1} dn: entry cn=ben abbott babbott,ou=staff,DC=corp,DC=example appears a second time in the export (overlapping searches joined into one file?); export each entry once`);
  });

  it("names file, line and attribute for a FILETIME past the year 9999, a pwdLastSet of 'never' (no internal schema error) or a second userAccountControl", async () => {
    const text = readFileSync(join(DEMO, "ad.ldif"), "utf8");
    const lines = text.split("\n");
    const user = lines.indexOf("dn: CN=Ben Abbott babbott,OU=Staff,DC=corp,DC=example");
    const at = (name: string) => user + lines.slice(user).findIndex((l) => l.startsWith(`${name}: `));
    const edited = (name: string, value: string) => {
      const copy = [...lines];
      copy[at(name)] = `${name}: ${value}`;
      return copy.join("\n");
    };
    const late = await userInputErrorOf(adCollector.collect(context("ad.ldif", tempFile("ad.ldif", edited("lastLogonTimestamp", "9223372036854775806")))));
    expect(late.format()).toBe(`ad.ldif:${at("lastLogonTimestamp") + 1} lastLogonTimestamp: FILETIME 9223372036854775806 is after the year 9999 (only 9223372036854775807 means never) (entry CN=Ben Abbott babbott,OU=Staff,DC=corp,DC=example)`);
    // A second value of a single-valued attribute: taking the first would be a guess.
    const twice = await userInputErrorOf(adCollector.collect(context("ad.ldif", tempFile("ad.ldif", edited("userAccountControl", "512\nuserAccountControl: 514")))));
    expect(twice.format()).toBe(`ad.ldif:${at("userAccountControl") + 1} userAccountControl: holds 2 values, but the directory keeps one (an edited or joined export?) (entry CN=Ben Abbott babbott,OU=Staff,DC=corp,DC=example)`);
    const negative = await userInputErrorOf(adCollector.collect(context("ad.ldif", tempFile("ad.ldif", edited("userAccountControl", "-512")))));
    expect(negative.format()).toBe(`ad.ldif:${at("userAccountControl") + 1} userAccountControl: -512 is not a userAccountControl flag set (a 32-bit value without the sign bit) (entry CN=Ben Abbott babbott,OU=Staff,DC=corp,DC=example)`);
    const never = await userInputErrorOf(adCollector.collect(context("ad.ldif", tempFile("ad.ldif", edited("pwdLastSet", "9223372036854775807")))));
    expect(never.format()).toBe(`ad.ldif:${at("pwdLastSet") + 1} pwdLastSet: 9223372036854775807 is not a time the password was set (AD holds 0 or a time) (entry CN=Ben Abbott babbott,OU=Staff,DC=corp,DC=example)`);
  });

  it("marks a group whose members came by range retrieval without the later ranges partial", async () => {
    const text = readFileSync(join(DEMO, "ad.ldif"), "utf8");
    const group = "dn: CN=Domain Admins,CN=Users,DC=corp,DC=example\n";
    const at = text.indexOf(group);
    const end = text.indexOf("\n\n", at);
    const ranged = (range: (i: number) => string) => {
      let i = 0;
      return text.slice(0, at) + text.slice(at, end).replace(/^member: /gm, () => `member;range=${range(i++)}: `) + text.slice(end);
    };
    const cut = await adCollector.collect(context("ad.ldif", tempFile("ad.ldif", ranged(() => "0-1"))));
    expect(cut.source.status).toBe("partial");
    expect(cut.source.errors).toEqual([expect.objectContaining({ step: "entries", affects: ["*"] })]);
    expect(cut.source.errors[0].message).toMatch(/^1 entry holds only the first values of an attribute \(e\.g\. CN=Domain Admins,CN=Users,DC=corp,DC=example \(member;range=0-1\)\)/);
    // All slices present: the same accounts as the plain export.
    const whole = await adCollector.collect(context("ad.ldif", tempFile("ad.ldif", ranged((i) => (i < 2 ? "0-1" : "2-*")))));
    const plain = await adCollector.collect(context("ad.ldif", DEMO));
    expect(whole.source.status).toBe("ok");
    expect(whole.accounts).toEqual(plain.accounts);
  });

  it("marks an export holding fewer entries than its '# numEntries' trailer partial", async () => {
    const entries = readFileSync(join(DEMO, "ad.ldif"), "utf8").trimEnd().split("\n\n");
    const cut = entries.slice(0, 5).join("\n\n") + "\n\n# search result\nsearch: 2\nresult: 0 Success\n\n# numResponses: 353\n# numEntries: 352\n";
    const part = await adCollector.collect(context("ad.ldif", tempFile("ad.ldif", cut)));
    expect(part.source.status).toBe("partial");
    expect(part.source.errors[0]).toMatchObject({ code: "ldif-count-mismatch", affects: ["*"] });
    expect(part.source.errors[0].message).toContain('states "# numEntries: 352" (line');
    expect(part.source.errors[0].message).toContain("but holds 5 entries");
  });

  it("locates pwdLastSet: -5 at its file and line instead of losing the source", async () => {
    const text = readFileSync(join(DEMO, "ad.ldif"), "utf8").replace(/^pwdLastSet: \d+$/m, "pwdLastSet: -5");
    const error = await userInputErrorOf(adCollector.collect(context("ad.ldif", tempFile("ad.ldif", text))));
    expect(error.format()).toMatch(/^ad\.ldif:\d+ pwdLastSet: negative FILETIME -5 \(entry CN=/);
  });

  it("reads attributes named constructor, toString or hasOwnProperty as data", async () => {
    const text = readFileSync(join(DEMO, "ad.ldif"), "utf8").replace(/^whenCreated: (.*)$/m, "whenCreated: $1\nconstructor: x\ntoString: y\nhasOwnProperty: z");
    const part = await adCollector.collect(context("ad.ldif", tempFile("ad.ldif", text)));
    expect(part.accounts).toHaveLength(334);
    expect(part.source.status).toBe("ok");
  });
});
