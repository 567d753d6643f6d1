import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeAd } from "../../../src/collectors/ad/normalizer.ts";
import { UserInputError } from "../../../src/errors.ts";
import type { NormalizedDirectoryFacts } from "../../../src/collectors/normalized-facts.ts";
import { parseLdif, readLdifFile } from "../../../src/collectors/ldap-common/ldif-reader.ts";
import { serviceAccountRules } from "../../../src/collectors/ldap-common/service-account-rules.ts";
import type { Account, ResetPath } from "../../../src/snapshot/types.ts";
import { BASE, guidFor, SID, syntheticEstate } from "./synthetic-estate.ts";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/ldif");
const options = {
  sourceId: "corp",
  serviceRules: serviceAccountRules(),
  locate: (_e: unknown, error: Error) => error,
  collectedAt: "2026-01-01T00:00:00.000Z",
};

async function* once(text: string) {
  yield Buffer.from(text);
}

async function synthetic(): Promise<NormalizedDirectoryFacts> {
  return normalizeAd(parseLdif(once(syntheticEstate()), "synthetic.ldif"), options);
}

const byName = (n: NormalizedDirectoryFacts, name: string): Account => {
  const a = n.accounts.find((x) => x.name === name);
  if (!a) throw new Error(`no account ${name}`);
  return a;
};
const pathsTo = (n: NormalizedDirectoryFacts, a: Account): ResetPath[] => n.resetPaths.filter((p) => p.target === a.id);
const summary = (paths: ResetPath[]) => paths.map((p) => `${p.mechanism} ${p.actor.name ?? p.actor.id} ${p.right ?? "-"}${p.inherited ? " inherited" : ""}${p.via ? ` via ${p.via}` : ""}`).sort();

describe("AD normalizer on a real Samba export", () => {
  async function real(): Promise<NormalizedDirectoryFacts> {
    return normalizeAd(readLdifFile(join(FIXTURES, "samba-delegation.ldif")), { ...options, sourceId: "corp-ad" });
  }

  it("reads the domain policy, the PSO and the settings", async () => {
    const n = await real();
    expect(n.settings).toMatchObject({ domainName: "corp.example", functionalLevel: 4, lapsSchema: null });
    expect(n.settings.krbtgtPasswordLastSet).toMatch(/^2026-11-26T04:21/);
    const [domain, pso] = n.passwordPolicies;
    expect(domain).toMatchObject({ scope: "domain", appliesTo: ["*"], minLength: 7, historyLength: 24, maxAgeDays: 42, minAgeDays: 1, lockoutThreshold: 0, lockoutDurationMinutes: 30, complexity: true, reversibleEncryption: false });
    const backup = n.accounts.find((a) => a.name === "svc-backup")!;
    expect(pso).toMatchObject({ scope: "pso", name: "PSO:ServicePSO", precedence: 10, minLength: 20, maxAgeDays: 0, appliesTo: [backup.id] });
    expect(backup.passwordPolicy).toBe(pso.id);
    expect(n.counts).toMatchObject({ entries: 19, users: 7, computers: 1, groups: 7, organizationalUnits: 2, domains: 1, passwordSettingsObjects: 1 });
  });

  it("classifies accounts and decodes flags, owners and privilege", async () => {
    const n = await real();
    const alice = byName(n, "alice");
    const bob = byName(n, "bob");
    expect(alice.nativeIds.objectSid).toMatch(/^S-1-5-21-3435912748-1817764177-2126073969-\d+$/);
    expect(alice.owners).toEqual([{ ref: bob.id, name: "bob", source: "corp-ad", relation: "manager", status: "enabled" }]);
    expect(alice).toMatchObject({ kind: "human", enabled: true, privileged: false });
    expect(bob.privilegedReasons).toEqual(["Administrators (nested)", "Domain Admins (nested)"]);
    expect(byName(n, "svc-backup")).toMatchObject({ kind: "service", spns: ["HTTP/backup.corp.example"], flags: { passwordNeverExpires: true } });
    expect(byName(n, "carol")).toMatchObject({ enabled: false, flags: { mustChangeAtNextLogon: true }, passwordLastSet: null });
    expect(byName(n, "WS01$")).toMatchObject({ kind: "computer", laps: { kind: "none" }, flags: { mustChangeAtNextLogon: true } });
    // ...but a computer account reset is not a reset a person has to finish.
    expect(n.resetPaths.filter((p) => p.target === byName(n, "WS01$").id && p.mechanism === "force-change-at-logon")).toEqual([]);
    expect(byName(n, "krbtgt")).toMatchObject({ kind: "service", enabled: false, privilegedReasons: ["adminCount=1"] });
    expect(byName(n, "Administrator").privilegedReasons).toContain("built-in Administrator");
  });

  it("turns the inherited Helpdesk delegation and the explicit GenericAll into reset paths", async () => {
    const n = await real();
    const alice = byName(n, "alice");
    const helpdesk1 = byName(n, "helpdesk1");
    const paths = pathsTo(n, alice);
    const delegated = paths.filter((p) => p.mechanism === "delegated-acl");
    expect(summary(delegated)).toEqual([
      "delegated-acl Helpdesk User-Force-Change-Password inherited via OU=Staff,DC=corp,DC=example",
      "delegated-acl helpdesk1 GenericAll",
    ]);
    expect(delegated.find((p) => p.right === "GenericAll")!.actor).toEqual({ kind: "user", id: helpdesk1.id, name: "helpdesk1", admin: false });
    // Built-in admin groups reach every user: admin-role, not delegation.
    expect(paths.filter((p) => p.mechanism === "admin-role").map((p) => p.actor.name)).toEqual(expect.arrayContaining(["Domain Admins", "Enterprise Admins", "Administrators", "Account Operators"]));
    // A privileged user reachable through a help-desk delegation: the finding the product exists for.
    expect(summary(pathsTo(n, byName(n, "bob")).filter((p) => p.mechanism === "delegated-acl"))).toEqual([
      "delegated-acl Helpdesk User-Force-Change-Password inherited via OU=Staff,DC=corp,DC=example",
    ]);
    // The OU=Services account is outside the delegated OU.
    expect(pathsTo(n, byName(n, "svc-backup")).filter((p) => p.mechanism === "delegated-acl")).toEqual([]);
    const carol = pathsTo(n, byName(n, "carol")).find((p) => p.mechanism === "force-change-at-logon");
    expect(carol).toMatchObject({ requiresUserCompletion: true, actor: { kind: "self" } });
    // SYSTEM is never an actor; paths are unique per (actor, target, right).
    expect(n.resetPaths.some((p) => p.actor.id === "S-1-5-18")).toBe(false);
    const keys = n.resetPaths.map((p) => `${p.target}|${p.actor.id}|${p.right}|${p.mechanism}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("creates one password credential per account", async () => {
    const n = await real();
    expect(n.credentials).toHaveLength(n.accounts.length);
    const alice = byName(n, "alice");
    const cred = n.credentials.find((c) => c.account === alice.id)!;
    expect(cred).toMatchObject({ type: "password", managedBy: "user", rotation: "none", neverExpires: false });
    expect(Date.parse(cred.expires!) - Date.parse(cred.lastRotated!)).toBe(42 * 86_400_000);
    expect(n.credentials.find((c) => c.account === byName(n, "svc-backup").id)).toMatchObject({ managedBy: "unknown", neverExpires: true, expires: null });
  });

  it("also normalizes the live-search-shaped Samba export", async () => {
    const n = await normalizeAd(readLdifFile(join(FIXTURES, "samba-real.ldif")), options);
    expect(n.settings.domainName).toBe("live.credgov.test");
    expect(n.accounts.length).toBeGreaterThan(5);
    expect(n.gaps).toEqual([]);
    expect(n.resetPaths.length).toBeGreaterThan(0);
  });
});

describe("AD normalizer on a synthetic estate", () => {
  it("derives inherited paths from OU ACLs when users have no descriptor of their own", async () => {
    const n = await synthetic();
    const u1 = byName(n, "u1");
    expect(summary(pathsTo(n, u1))).toEqual([
      `admin-role Enterprise Admins GenericAll inherited via ${BASE}`,
      `delegated-acl Helpdesk User-Force-Change-Password inherited via OU=Staff,${BASE}`,
      `delegated-acl ${SID.tier2} WriteDACL inherited via OU=Staff,${BASE}`,
    ]);
    // Deeper in the tree: NO_PROPAGATE_INHERIT stops Tier2 at the OU's direct children.
    const u3 = byName(n, "u3");
    expect(summary(pathsTo(n, u3))).toEqual([
      `admin-role Enterprise Admins GenericAll inherited via ${BASE}`,
      `delegated-acl Helpdesk User-Force-Change-Password inherited via OU=Staff,${BASE}`,
    ]);
    // adminCount=1: AdminSDHolder protects the DACL, nothing is inherited.
    expect(pathsTo(n, byName(n, "admin1"))).toEqual([]);
  });

  it("applies InheritedObjectType: computer-only ACEs reach computers, user-only ACEs do not", async () => {
    const n = await synthetic();
    expect(summary(pathsTo(n, byName(n, "PC1$")))).toEqual([
      `admin-role Enterprise Admins GenericAll inherited via ${BASE}`,
      `delegated-acl Desktop GenericAll inherited via OU=Staff,${BASE}`,
      `delegated-acl ${SID.tier2} WriteDACL inherited via OU=Staff,${BASE}`,
    ]);
  });

  it("honours a deny ACE placed before an inherited allow, skips INHERIT_ONLY ACEs and names user actors", async () => {
    const n = await synthetic();
    const u2 = byName(n, "u2");
    const u1 = byName(n, "u1");
    const paths = pathsTo(n, u2);
    expect(summary(paths)).toEqual([`admin-role Enterprise Admins GenericAll inherited via ${BASE}`, "delegated-acl u1 GenericAll"]);
    expect(paths.find((p) => p.actor.name === "u1")!.actor).toEqual({ kind: "user", id: u1.id, name: "u1", admin: false });
  });

  it("resolves PSOs: direct link first, else lowest precedence over nested groups, else the domain", async () => {
    const n = await synthetic();
    const id = (name: string) => `corp:policy:cn=${name.toLowerCase()},cn=password settings container,cn=system,dc=corp,dc=example`;
    expect(byName(n, "u1").passwordPolicy).toBe(id("PSO-B")); // GG (20) and, through GG -> GG2, PSO-B (10)
    expect(byName(n, "u2").passwordPolicy).toBe(id("PSO-C")); // linked to the user directly, despite precedence 50
    expect(byName(n, "u3").passwordPolicy).toBe("corp:policy:dc=corp,dc=example");
    expect(byName(n, "u1").flags.reversibleEncryption).toBe(true); // PSO-B allows reversible encryption
    const domain = n.passwordPolicies.find((p) => p.scope === "domain")!;
    expect(domain).toMatchObject({ minLength: 12, maxAgeDays: 90, complexity: true, reversibleEncryption: true, lockoutThreshold: 5 });
    const credential = n.credentials.find((c) => c.account === byName(n, "u1").id)!;
    expect(credential).toMatchObject({ neverExpires: true, expires: null });
  });

  it("resolves privilege through nested groups and owners with their status", async () => {
    const n = await synthetic();
    expect(byName(n, "u3")).toMatchObject({ privileged: true, privilegedReasons: ["Domain Admins (nested)"] });
    expect(byName(n, "u1")).toMatchObject({ privileged: false, displayName: "Ünal One" });
    expect(byName(n, "u1").owners).toEqual([{ ref: byName(n, "u3").id, name: "u3", source: "corp", relation: "manager", status: "enabled" }]);
    expect(byName(n, "u2").owners[0]).toMatchObject({ relation: "managedBy", status: "deleted", ref: `CN=ghost,OU=Staff,${BASE}` });
    expect(byName(n, "u3").owners[0]).toMatchObject({ status: "unknown" });
    expect(byName(n, "sqlengine").owners[0]).toMatchObject({ name: "carol", status: "disabled" });
    expect(byName(n, "PC1$").owners[0]).toEqual({ ref: `CN=Desktop,CN=Users,${BASE}`, name: "Desktop", source: "corp", relation: "managedBy", status: "enabled" });
  });

  it("classifies service accounts (SPN, service OU, name pattern, gMSA) and decodes their credentials", async () => {
    const n = await synthetic();
    expect(byName(n, "sqlengine")).toMatchObject({ kind: "service", spns: ["MSSQLSvc/sql01.corp.example:1433", "MSSQLSvc/sql01.corp.example"] });
    expect(byName(n, "batch")).toMatchObject({ kind: "service", flags: { passwordNotRequired: true, noPreauth: true } });
    expect(byName(n, "svc_web")).toMatchObject({ kind: "service", flags: { lockedOut: true } });
    expect(byName(n, "u1").kind).toBe("human");
    const gmsa = byName(n, "gmsa1$");
    expect(gmsa).toMatchObject({ kind: "service", gmsa: true, id: `corp:${guidFor(1400)}`, nativeIds: { objectGuid: guidFor(1400) } });
    expect(n.credentials.find((c) => c.account === gmsa.id)).toMatchObject({ managedBy: "enterprise", rotation: "gmsa", lastRotated: "2024-03-01T00:00:00.000Z", expires: "2024-03-31T00:00:00.000Z" });
  });

  it("decodes both LAPS flavours and the LAPS schema setting", async () => {
    const n = await synthetic();
    expect(byName(n, "PC1$").laps).toEqual({ kind: "legacy", expires: "2024-04-01T00:00:00.000Z" });
    expect(byName(n, "PC2$").laps).toEqual({ kind: "windows", expires: "2024-05-01T00:00:00.000Z" });
    expect(byName(n, "PC3$").laps).toEqual({ kind: "none" });
    expect(n.settings.lapsSchema).toBe("both");
    expect(n.credentials.find((c) => c.account === byName(n, "PC1$").id)).toMatchObject({ managedBy: "enterprise", rotation: "laps", expires: "2024-04-01T00:00:00.000Z" });
    expect(n.credentials.find((c) => c.account === byName(n, "PC3$").id)).toMatchObject({ name: "machine account password", managedBy: "unknown", rotation: "none", expires: null });
  });

  it("reports the krbtgt password age and counts per kind", async () => {
    const n = await synthetic();
    expect(n.settings).toMatchObject({ domainName: "corp.example", functionalLevel: 7, krbtgtPasswordLastSet: "2019-03-01T08:00:00.000Z" });
    expect(n.counts).toMatchObject({ users: 9, computers: 3, groupManagedServiceAccounts: 1, groups: 8, passwordSettingsObjects: 3, domains: 1, organizationalUnits: 3 });
  });

  it("refuses a text value that is base64 of another encoding instead of reading U+FFFD into the name", async () => {
    const latin1 = Buffer.from("Adé Abbott", "latin1").toString("base64");
    const text = `dn: CN=x,OU=Staff,DC=corp,DC=example\nobjectClass: user\nsAMAccountName: x\nuserAccountControl: 512\ndisplayName:: ${latin1}\n\n`;
    const error = await normalizeAd(parseLdif(once(text), "x.ldif"), options).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "AttributeValueError", attribute: "displayname", message: "is not UTF-8 text (a base64 value of another encoding, such as Latin-1?); export the directory's values unchanged" });
    // The same for the DN itself, at its line.
    const dn = `dn:: ${Buffer.from("CN=Adé,DC=corp", "latin1").toString("base64")}\nobjectClass: user\n\n`;
    const refused = await normalizeAd(parseLdif(once(dn), "x.ldif"), options).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UserInputError);
    expect((refused as UserInputError).format()).toBe("x.ldif:1 dn: the DN is not UTF-8 text (base64 of another encoding, such as Latin-1?); export the directory's values unchanged");
  });

  it("records a gap when the domain head is missing", async () => {
    const text = "dn: CN=x,OU=Staff,DC=corp,DC=example\nobjectClass: user\nsAMAccountName: x\nuserAccountControl: 512\n\n";
    const n = await normalizeAd(parseLdif(once(text), "x.ldif"), options);
    expect(n.gaps.map((g) => g.step)).toEqual(["domain"]);
    expect(n.accounts[0].passwordPolicy).toBeNull();
  });
});
