import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/errors.ts";
import type { CollectorContext } from "../../../src/collectors/collector.ts";
import type { SourcePart } from "../../../src/snapshot/source-part.ts";
import { ldapCollector } from "../../../src/collectors/ldap/index.ts";
import type { Account } from "../../../src/snapshot/types.ts";
import { toLdif } from "../ldap-common/ldif-builder.ts";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/ldif");
const BASE = "dc=legacy,dc=test";
const DEFAULT_POLICY = `cn=default,ou=policies,${BASE}`;

function context(file: string, extra: Record<string, unknown> = {}, configDir = FIXTURES): CollectorContext<"ldap"> {
  return { source: { id: "legacy", kind: "ldap", file, ...extra }, configDir, env: {}, progress: { step() {}, tick() {} }, log: () => {} };
}

const byName = (part: SourcePart, name: string): Account => {
  const a = part.accounts.find((x) => x.name === name);
  if (!a) throw new Error(`no account ${name}`);
  return a;
};

describe("ldap collector on a real slapd ppolicy export", () => {
  it("reads both ppolicy entries and applies the configured default policy", async () => {
    const part = await ldapCollector.collect(context("openldap-ppolicy.ldif", { defaultPolicyDN: DEFAULT_POLICY }));
    expect(part.source).toMatchObject({ kind: "ldap", status: "ok", namingContext: BASE, counts: { entries: 17, policies: 2, accounts: 8, groups: 2 } });
    const [defaults, service] = part.passwordPolicies;
    expect(defaults).toMatchObject({
      scope: "ppolicy", name: "default", appliesTo: ["*"], maxAgeDays: 90, minAgeDays: 0, minLength: 8, historyLength: 5,
      lockoutThreshold: 3, lockoutDurationMinutes: 0, mustChangeAfterReset: true, allowUserChange: true,
    });
    const svc = byName(part, "svc-app");
    // cn=service has no pwdMinAge / pwdLockoutDuration: the ppolicy defaults (0) apply.
    expect(service).toMatchObject({ name: "service", maxAgeDays: 0, minAgeDays: 0, lockoutDurationMinutes: 0, minLength: 12, lockoutThreshold: 0, mustChangeAfterReset: false, allowUserChange: false, appliesTo: [svc.id] });
    expect(byName(part, "alice").passwordPolicy).toBe(defaults.id);
    expect(svc.passwordPolicy).toBe(service.id);
    expect(svc.flags).toMatchObject({ passwordNeverExpires: true, cannotChangePassword: true });
  });

  it("turns pwdReset into must-change and a temporary-password reset path that needs the user", async () => {
    const part = await ldapCollector.collect(context("openldap-ppolicy.ldif", { defaultPolicyDN: DEFAULT_POLICY }));
    const bob = byName(part, "bob");
    expect(bob.flags.mustChangeAtNextLogon).toBe(true);
    expect(part.resetPaths).toEqual([
      expect.objectContaining({ target: bob.id, mechanism: "temporary-password", requiresUserCompletion: true, via: DEFAULT_POLICY }),
    ]);
    expect(byName(part, "alice").flags.mustChangeAtNextLogon).toBe(false);
  });

  it("decodes lockout, pwdChangedTime, owners, admin groups and service accounts", async () => {
    const part = await ldapCollector.collect(context("openldap-ppolicy.ldif", { defaultPolicyDN: DEFAULT_POLICY }));
    expect(byName(part, "mallory")).toMatchObject({ enabled: true, flags: { lockedOut: true } });
    const alice = byName(part, "alice");
    expect(alice.passwordLastSet).toMatch(/^2026-11-26T04:29:59\.000Z$/);
    expect(alice.id).toMatch(/^legacy:[0-9a-f-]{36}$/); // entryUUID
    // alice and svc-app are in ops, which is nested in admins.
    expect(alice).toMatchObject({ privileged: true, privilegedReasons: ["admins (nested)"] });
    const carol = byName(part, "carol");
    expect(byName(part, "svc-app").owners).toEqual([{ ref: carol.id, name: "carol", source: "legacy", relation: "manager", status: "enabled" }]);
    expect(byName(part, "svc-app").kind).toBe("service"); // name pattern svc-*
    expect(byName(part, "backup").kind).toBe("service"); // account + simpleSecurityObject, in ou=services
    expect(byName(part, "limited").kind).toBe("service"); // bind account (organizationalRole + simpleSecurityObject)
    expect(byName(part, "zoë")).toMatchObject({ kind: "human", displayName: "Zoë Çelik" });
    const cred = part.credentials.find((c) => c.account === alice.id)!;
    expect(cred).toMatchObject({ managedBy: "user", rotation: "none", neverExpires: false, expires: "2027-02-24T04:29:59.000Z" });
  });

  it("uses configured owner attributes (seeAlso) and reports owners that no longer exist", async () => {
    const part = await ldapCollector.collect(context("openldap-ppolicy.ldif", { defaultPolicyDN: DEFAULT_POLICY, ownerAttributes: ["seeAlso"] }));
    expect(byName(part, "backup").owners).toEqual([{ ref: `uid=dave,ou=people,${BASE}`, name: "dave", source: "legacy", relation: "owner", status: "deleted" }]);
    expect(byName(part, "svc-app").owners).toEqual([]);
  });

  it("without a default policy and with two policies, records the gap and leaves the policy unknown", async () => {
    const part = await ldapCollector.collect(context("openldap-ppolicy.ldif"));
    expect(part.source.status).toBe("partial");
    expect(part.source.errors[0]).toMatchObject({ step: "ppolicy" });
    expect(byName(part, "alice").passwordPolicy).toBeNull();
    expect(part.credentials.find((c) => c.account === byName(part, "alice").id)).toMatchObject({ neverExpires: null, expires: null });
  });
});

describe("ldap collector on plain ldapsearch output", () => {
  it("reads the comments and trailer of plain (non -LLL) output and marks a size-limited export partial", async () => {
    const part = await ldapCollector.collect(context("openldap-sizelimit.ldif"));
    expect(part.source.counts.entries).toBe(5);
    expect(part.source.status).toBe("partial");
    expect(part.source.queries[0]).toMatchObject({ resultCount: 5, status: "partial" });
    expect(part.source.errors[0]).toMatchObject({ step: "ldap-ldif", code: "ldap-result-4", affects: ["*"] });
    expect(part.source.errors[0].message).toMatch(/result: 4 Size limit exceeded" \(line \d+\)/);
  });

  it("accepts a complete plain export with a zero result and ref: records", async () => {
    const text = "# extended LDIF\n#\n\n# a\ndn: uid=a,dc=x\nobjectClass: inetOrgPerson\nuid: a\nentryUUID: 6f1c2f0e-1d7a-4a3e-9a53-0d0f2d1f6a01\n\n# search reference\nref: ldap://other.example/dc=y??sub\n\n# search result\nsearch: 2\nresult: 0 Success\n\n# numEntries: 1\n";
    const dir = mkdtempSync(join(tmpdir(), "credgov-ldap-"));
    writeFileSync(join(dir, "x.ldif"), text);
    const part = await ldapCollector.collect(context("x.ldif", {}, dir));
    expect(part.source.status).toBe("ok");
    expect(part.accounts.map((a) => a.name)).toEqual(["a"]);
    expect(part.source.queries[0].call).toMatch(/1 referrals not followed/);
  });
});

describe("ldap normalizer on synthetic entries", () => {
  function write(text: string): string {
    const dir = mkdtempSync(join(tmpdir(), "credgov-ldap-"));
    writeFileSync(join(dir, "x.ldif"), text);
    return dir;
  }

  it("takes the default from an exported ppolicy overlay config and resolves posixGroup memberUid", async () => {
    const text = toLdif([
      { dn: "olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config", objectClass: ["olcOverlayConfig", "olcPPolicyConfig"], olcPPolicyDefault: "cn=p2,ou=policies,dc=x" },
      { dn: "dc=x", objectClass: ["dcObject", "organization"], dc: "x", o: "x" },
      { dn: "cn=p1,ou=policies,dc=x", objectClass: ["device", "pwdPolicy"], cn: "p1", pwdAttribute: "userPassword", pwdMaxAge: "86400" },
      { dn: "cn=p2,ou=policies,dc=x", objectClass: ["device", "pwdPolicy"], cn: "p2", pwdAttribute: "userPassword", pwdMaxAge: "0", pwdLockout: "TRUE", pwdMaxFailure: "4" },
      { dn: "uid=ann,ou=people,dc=x", objectClass: ["inetOrgPerson", "posixAccount"], uid: "ann", cn: "Ann", sn: "A", uidNumber: "1000", gidNumber: "1000", homeDirectory: "/home/ann", pwdChangedTime: "20240115103000Z", pwdAccountLockedTime: "000001010000Z" },
      { dn: "cn=wheel,ou=groups,dc=x", objectClass: ["posixGroup"], cn: "wheel", gidNumber: "10", memberUid: "ann" },
    ]);
    const part = await ldapCollector.collect(context("x.ldif", {}, write(text)));
    const ann = byName(part, "ann");
    expect(ann).toMatchObject({ enabled: false, privileged: true, privilegedReasons: ["wheel"], passwordPolicy: "legacy:policy:cn=p2,ou=policies,dc=x", passwordLastSet: "2024-01-15T10:30:00.000Z" });
    expect(part.passwordPolicies.find((p) => p.name === "p2")).toMatchObject({ appliesTo: ["*"], lockoutThreshold: 4 });
    expect(part.source.counts.config).toBe(1);
  });

  it("does not take the only pwdPolicy entry as the default: without a configured default, accounts lacking pwdPolicySubentry have an unknown policy", async () => {
    const head = { dn: "dc=x", objectClass: ["dcObject", "organization"], dc: "x", o: "x" };
    const policy = { dn: "cn=strict,ou=policies,dc=x", objectClass: ["device", "pwdPolicy"], cn: "strict", pwdAttribute: "userPassword", pwdMinLength: "16" };
    const person = (uid: string, extra: Record<string, string> = {}) => ({ dn: `uid=${uid},ou=people,dc=x`, objectClass: ["inetOrgPerson"], uid, cn: uid, sn: uid, entryUUID: `6f1c2f0e-1d7a-4a3e-9a53-0d0f2d1f6a0${uid.length}`, ...extra });
    const part = await ldapCollector.collect(context("x.ldif", {}, write(toLdif([head, policy, person("ann", { pwdPolicySubentry: policy.dn }), person("bo")]))));
    expect(byName(part, "ann").passwordPolicy).toBe("legacy:policy:cn=strict,ou=policies,dc=x");
    expect(byName(part, "bo").passwordPolicy).toBeNull();
    expect(part.source.status).toBe("partial");
    expect(part.source.errors).toEqual([
      {
        step: "ppolicy",
        message:
          "1 pwdPolicy entry and no default policy (defaultPolicyDN in the config, or an exported olcPPolicyDefault): the policy of the 1 account(s) without pwdPolicySubentry is unknown (slapd applies its configured default, or none); set defaultPolicyDN to slapd's ppolicy default",
        affects: ["passwordPolicies", "accounts.passwordPolicy"],
      },
    ]);
    expect(part.passwordPolicies.find((p) => p.name === "strict")).toMatchObject({ appliesTo: [byName(part, "ann").id] });
    // Every account naming its policy: nothing depends on the default.
    const named = await ldapCollector.collect(context("x.ldif", {}, write(toLdif([head, policy, person("ann", { pwdPolicySubentry: policy.dn })]))));
    expect(named.source).toMatchObject({ status: "ok", errors: [] });
  });

  it("marks an export made without operational attributes partial: pending resets and password changes are unknown", async () => {
    const person = (uid: string, extra: Record<string, string> = {}) => ({ dn: `uid=${uid},ou=people,dc=x`, objectClass: ["inetOrgPerson"], uid, cn: uid, sn: uid, ...extra });
    const head = { dn: "dc=x", objectClass: ["dcObject", "organization"], dc: "x", o: "x" };
    const bare = await ldapCollector.collect(context("x.ldif", {}, write(toLdif([head, person("ann"), person("bob")]))));
    expect(bare.source.status).toBe("partial");
    expect(bare.source.errors).toEqual([
      {
        step: "entries",
        message: "none of the 2 account entries has an operational attribute (entryUUID, createTimestamp, pwdChangedTime, pwdReset, ...): the export was made without operational attributes ('+'), so password changes, pending resets and per-account policies are unknown; export with ldapsearch -LLL '*' +",
        affects: ["accounts", "credentials", "resetPaths"],
      },
    ]);
    // One operational attribute anywhere shows the read asked for them: absent ones then mean "not set".
    const withPlus = await ldapCollector.collect(context("x.ldif", {}, write(toLdif([head, person("ann"), person("bob", { pwdReset: "TRUE" })]))));
    expect(withPlus.source.status).toBe("ok");
    expect(byName(withPlus, "bob").flags.mustChangeAtNextLogon).toBe(true);
  });

  // Found by test/fuzz/cli-fuzz.ts: a negative ppolicy value reached the snapshot and broke its
  // schema, an internal error instead of the file's line.
  it.each(["pwdMaxFailure", "pwdMinLength", "pwdInHistory", "pwdMaxAge"])("refuses a negative %s at its line", async (attribute) => {
    const text = `dn: cn=p,ou=policies,dc=x\nobjectClass: device\nobjectClass: pwdPolicy\ncn: p\npwdLockout: TRUE\n${attribute}: -1\n\n`;
    const error = await ldapCollector.collect(context("x.ldif", {}, write(text))).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as UserInputError).format()).toBe(`x.ldif:6 ${attribute}: must be 0 or more, got -1 (entry cn=p,ou=policies,dc=x)`);
  });

  it("locates bad values at their line", async () => {
    const text = "dn: uid=a,dc=x\nobjectClass: inetOrgPerson\nuid: a\npwdReset: maybe\n\n";
    const dir = write(text);
    const error = await ldapCollector.collect(context("x.ldif", {}, dir)).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as UserInputError).format()).toBe('x.ldif:4 pwdReset: expected TRUE or FALSE, got "maybe" (entry uid=a,dc=x)');
    const badTime = "dn: uid=a,dc=x\nobjectClass: inetOrgPerson\nuid: a\npwdChangedTime: yesterday\n\n";
    const timeError = await ldapCollector.collect(context("x.ldif", {}, write(badTime))).then(
      () => null,
      (e: UserInputError) => e.format(),
    );
    expect(timeError).toMatch(/^x\.ldif:4 pwdChangedTime: not a generalized time: "yesterday"/);
  });
});
