// Live AD collection against a real Samba AD DC provisioned and seeded by this file
// (test/live/samba/*.sh): the seeded facts, equality with an `ldapsearch -LLL` export of the
// same searches read through the file transport, and every failure mode provoked for real.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectorContext } from "../../src/collectors/collector.ts";
import type { SourceSettingsOf } from "../../src/config/types.ts";
import type { SourcePart } from "../../src/snapshot/source-part.ts";
import { adCollector } from "../../src/collectors/ad/index.ts";
import { adEntrySearches, trusteeSearches } from "../../src/collectors/ad/live-queries.ts";
import { LiveAdTransport } from "../../src/collectors/ad/live-transport.ts";
import type { LdapEntry } from "../../src/collectors/ldap-common/entry.ts";
import { readLdifFile } from "../../src/collectors/ldap-common/ldif-reader.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";
import { dumpWithLdapsearch } from "./ldapsearch-dump.ts";
import { startSambaDc, type SambaDc } from "./samba-dc.ts";

const haveSamba = (() => {
  try {
    execFileSync("sh", ["-c", "command -v samba && command -v samba-tool && command -v ldapsearch"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const SEEDED_USER_PASSWORD = "Us3r!Seed#2026"; // every seeded user's (samba/seed.sh)
const PARTNER_SID = "S-1-5-21-3623811015-3361044348-30300820-1013"; // see samba/seed.sh
let dc: SambaDc;
let work: string;
const logs: string[] = [];

function context(settings: Record<string, unknown>, env: NodeJS.ProcessEnv = { AD_PW: dc.password }): CollectorContext<"ad"> {
  const source: SourceSettingsOf<"ad"> = { id: "corp-ad", kind: "ad", bindDN: dc.bindDN, passwordEnv: "AD_PW", tls: { rejectUnauthorized: false }, ...settings };
  return { source, configDir: work, env, progress: { step() {}, tick() {} }, log: (m) => logs.push(m) };
}

const collect = (settings: Record<string, unknown>, env?: NodeJS.ProcessEnv) => adCollector.collect(context(settings, env));

/** A snapshot part without what legitimately differs between two collections of one directory. */
function comparable(part: SourcePart): unknown {
  const { collectedAt: _a, transport: _t, endpoint: _e, queries: _q, errors: _r, status: _s, ...source } = part.source;
  return { ...part, source };
}

function expectFailure(part: SourcePart, status: "error" | "partial", code: string, step: string): void {
  expect(part.source.status).toBe(status);
  const error = part.source.errors.find((e) => e.code === code);
  expect(error, JSON.stringify(part.source.errors)).toBeDefined();
  expect(error!.step).toBe(step);
  // names the server and the step
  expect(error!.message).toContain(`${new URL(part.source.endpoint).host}`);
  expect(error!.message).toContain(`: ${step}: `);
  expect(JSON.stringify(part)).not.toContain(dc.password);
}

describe.skipIf(!haveSamba)("live AD collection from a real Samba AD DC", () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "credgov-ad-live-"));
    dc = await startSambaDc();
  });
  afterAll(async () => {
    await dc?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    expect(logs.join("\n")).not.toContain(dc.password);
  });

  it("collects the seeded estate: policies, PSOs, flags, owners, SPNs, nested privilege, delegated reset rights, stale krbtgt", async () => {
    const part = await collect({ url: dc.url, baseDN: dc.baseDN, pageSize: 5 });
    expect(part.source.status).toBe("ok");
    expect(part.source.errors).toEqual([]);
    const byName = new Map(part.accounts.map((a) => [a.name, a]));
    const flags = (name: string) => byName.get(name)!.flags as Record<string, boolean>;
    expect(flags("dave.mustchange").mustChangeAtNextLogon).toBe(true);
    expect(flags("erin.nopwd").passwordNotRequired).toBe(true);
    expect(flags("frank.noexpire").passwordNeverExpires).toBe(true);
    expect(flags("bob.smith").passwordNeverExpires).toBe(false);
    const svc = byName.get("svc-sql")!;
    expect(svc.kind).toBe("service");
    expect(svc.spns).toEqual(["MSSQLSvc/sql01.live.credgov.test:1433"]);
    expect(svc.passwordLastSet?.startsWith("2023-01-15")).toBe(true);
    expect(svc.owners).toEqual([expect.objectContaining({ name: "carol.jones", relation: "manager", status: "disabled" })]);
    expect(byName.get("WS01$")!.owners).toEqual([expect.objectContaining({ name: "carol.jones", relation: "managedBy", status: "disabled" })]);
    expect(byName.get("carol.jones")!.enabled).toBe(false);
    // accountExpires: gina.expired is enabled in userAccountControl but expired in 2019, so she cannot sign in
    expect(byName.get("gina.expired")).toMatchObject({ enabled: false, expiry: { kind: "time", time: "2019-06-01T00:00:00.000Z" } });
    expect(byName.get("bob.smith")).toMatchObject({ enabled: true, expiry: { kind: "never" } });
    expect(byName.get("alice.admin")!.privileged).toBe(true);
    expect(byName.get("bob.smith")!.privileged).toBe(false);
    expect(byName.get("gmsa-app$")).toMatchObject({ kind: "service", gmsa: true });
    expect((part.settings as { krbtgtPasswordLastSet?: string }).krbtgtPasswordLastSet?.startsWith("2023-01-15")).toBe(true);

    const pso = part.passwordPolicies.find((p) => p.name === "PSO:SvcAccountsPSO")!;
    expect(pso).toMatchObject({ scope: "pso", minLength: 20, precedence: 10, appliesTo: [`CN=Service Account Policy,OU=Groups,${dc.baseDN}`] });
    expect(svc.passwordPolicy).toBe(pso.id);
    expect(part.passwordPolicies.find((p) => p.scope === "domain")).toMatchObject({ appliesTo: ["*"], minLength: 7 });

    const helpDesk = part.resetPaths.filter((r) => r.actor?.name === "Help Desk");
    const targets = new Set(helpDesk.map((r) => part.accounts.find((a) => a.id === r.target)!.name));
    expect(targets).toEqual(new Set(["bob.smith", "carol.jones", "dave.mustchange", "erin.nopwd", "frank.noexpire", "helen.desk"]));
    for (const r of helpDesk) expect(r).toMatchObject({ mechanism: "delegated-acl", right: "User-Force-Change-Password", inherited: true, via: `OU=Staff,${dc.baseDN}` });
    const partner = part.resetPaths.filter((r) => r.actor?.id === PARTNER_SID);
    expect(new Set(partner.map((r) => part.accounts.find((a) => a.id === r.target)!.name))).toEqual(new Set(["svc-sql", "svc-web"]));

    // every search is recorded with its result count and pages; pageSize 5 forced real paging
    const steps = part.source.queries.map((q) => q.step);
    expect(steps).toEqual(expect.arrayContaining(["rootDSE", "schema", "domain", "passwordSettings", "containers", "groups", "accounts", "privilegedGroups", "privilegedMembers"]));
    const accounts = part.source.queries.find((q) => q.step === "accounts")!;
    expect(accounts.resultCount).toBe(part.accounts.length);
    // pageSize 5: one page per 5 entries, plus at most one empty closing page
    expect(accounts.pages).toBeGreaterThanOrEqual(Math.ceil(accounts.resultCount / 5));
    expect(accounts.pages).toBeLessThanOrEqual(Math.ceil(accounts.resultCount / 5) + 1);
    expect(accounts.call).toContain("nTSecurityDescriptor");
    expect(part.source.queries.every((q) => q.status === "ok" && typeof q.durationMs === "number")).toBe(true);
    expect(part.source.queries.some((q) => q.call.includes("1.2.840.113556.1.4.1941"))).toBe(true);
  });

  it("resolves transitive privileged membership on the server with LDAP_MATCHING_RULE_IN_CHAIN", async () => {
    const transport = new LiveAdTransport({ url: dc.url, bindDN: dc.bindDN, passwordEnv: "AD_PW", tls: { rejectUnauthorized: false } }, { env: { AD_PW: dc.password }, configDir: work });
    for await (const _ of transport.entries()) void _;
    const members = transport.outcome.privilegedMembers;
    const alice = `CN=alice.admin,OU=Admins,${dc.baseDN}`;
    // alice ⊂ Tier0 Operators ⊂ Domain Admins ⊂ Administrators: found through two levels of nesting
    expect(members[`CN=Domain Admins,CN=Users,${dc.baseDN}`]).toContain(alice);
    expect(members[`CN=Administrators,CN=Builtin,${dc.baseDN}`]).toContain(alice);
    expect(members[`CN=Schema Admins,CN=Users,${dc.baseDN}`]).not.toContain(alice);
    expect(transport.outcome.lapsAttributes).toEqual([]); // Samba's schema has no LAPS attributes
    // the partner forest's help desk is only a SID in the ACL: looked up, found as a foreign principal
    expect(transport.outcome.unresolvedTrustees).toEqual([PARTNER_SID]);
    const trustees = transport.outcome.queries.find((q) => q.step === "trustees")!;
    expect(trustees).toMatchObject({ resultCount: 1, status: "ok" });
    expect(trustees.call).toContain(`(objectSid=${PARTNER_SID})`);
  });

  it("gives the same entries and the same snapshot as an ldapsearch -LLL export of the same searches read by the file transport", async () => {
    const live: LdapEntry[] = [];
    const transport = new LiveAdTransport({ url: dc.url, baseDN: dc.baseDN, bindDN: dc.bindDN, passwordEnv: "AD_PW", tls: { rejectUnauthorized: false }, pageSize: 7 }, { env: { AD_PW: dc.password }, configDir: work });
    for await (const e of transport.entries()) live.push(e);

    // the export runs the same searches, including the trustee look-ups the live run needed
    const ldif = join(work, "dump.ldif");
    const searches = [...adEntrySearches(dc.baseDN, []), ...trusteeSearches(dc.baseDN, transport.outcome.unresolvedTrustees)];
    await dumpWithLdapsearch(searches, { url: dc.url, bindDN: dc.bindDN, password: dc.password }, ldif);
    const file: LdapEntry[] = [];
    for await (const e of readLdifFile(ldif)) file.push({ dn: e.dn, attributes: e.attributes });
    expect(live.length).toBeGreaterThan(60);
    // byte-for-byte: binary SIDs, GUIDs and security descriptors included
    expect(live.map((e) => ({ dn: e.dn, attributes: sortKeys(e.attributes) }))).toEqual(file.map((e) => ({ dn: e.dn, attributes: sortKeys(e.attributes) })));

    const livePart = await collect({ url: dc.url, baseDN: dc.baseDN, pageSize: 7 });
    const filePart = await adCollector.collect({ ...context({}), source: { id: "corp-ad", kind: "ad", file: ldif } });
    expect(livePart.source.transport).toBe("live");
    expect(filePart.source.transport).toBe("file");
    expect(comparable(livePart)).toEqual(comparable(filePart));
  });

  it("follows AD range retrieval: member and memberOf read one value per request give the same entries and snapshot", async () => {
    // A DC answers a large group with `member;range=0-1499` and the rest only on request; Samba
    // does the same for ranges asked for, so a range of one value makes every multi-valued
    // member/memberOf go through the follow-up requests.
    const entries = async (settings: Record<string, unknown>) => {
      const transport = new LiveAdTransport({ url: dc.url, baseDN: dc.baseDN, bindDN: dc.bindDN, passwordEnv: "AD_PW", tls: { rejectUnauthorized: false }, ...settings }, { env: { AD_PW: dc.password }, configDir: work });
      const list: { dn: string; attributes: Record<string, number[][]> }[] = [];
      for await (const e of transport.entries()) list.push({ dn: e.dn, attributes: sortKeys(e.attributes) });
      return list;
    };
    const whole = await entries({});
    const ranged = await entries({ valueRangeSize: 1 });
    const administrators = ranged.find((e) => e.dn === `CN=Administrators,CN=Builtin,${dc.baseDN}`)!;
    expect(administrators.attributes.member!.length).toBeGreaterThan(2);
    expect(Object.keys(administrators.attributes).filter((k) => k.includes(";range="))).toEqual([]);
    expect(ranged).toEqual(whole);

    const wholePart = await collect({ url: dc.url, baseDN: dc.baseDN });
    const rangedPart = await collect({ url: dc.url, baseDN: dc.baseDN, valueRangeSize: 2 });
    expect(rangedPart.source.status).toBe("ok");
    expect(comparable(rangedPart)).toEqual(comparable(wholePart));
  });

  it("resolves PSOs from an export without msDS-ResultantPSO as the DC does: a precedence tie goes to the lowest objectGUID bytes, a direct link wins", async () => {
    // Live, every account's policy is the DC's own msDS-ResultantPSO. An export without that
    // constructed attribute ('*' does not return it) makes credgov resolve the links itself.
    const live = await collect({ url: dc.url, baseDN: dc.baseDN });
    const withoutResultant = adEntrySearches(dc.baseDN, []).map((s) => ({ ...s, attributes: s.attributes.filter((a) => a !== "msDS-ResultantPSO") }));
    const ldif = join(work, "no-resultant.ldif");
    await dumpWithLdapsearch(withoutResultant, { url: dc.url, bindDN: dc.bindDN, password: dc.password }, ldif);
    expect(readFileSync(ldif, "utf8")).not.toMatch(/^msDS-ResultantPSO:/im);
    const file = await adCollector.collect({ ...context({}), source: { id: "corp-ad", kind: "ad", file: ldif } });
    const policies = (part: SourcePart) => Object.fromEntries(part.accounts.map((a) => [a.name, a.passwordPolicy]));
    expect(policies(file)).toEqual(policies(live));
    // samba/seed.sh names the PSO of lower objectGUID bytes TieZ: the DC picks it over TieA for
    // hank.tied; iris.direct, in the same group, has TieA linked to her directly.
    const idOf = (name: string) => live.passwordPolicies.find((p) => p.name === name)!.id;
    expect(policies(live)["hank.tied"]).toBe(idOf("PSO:TieZ"));
    expect(policies(live)["iris.direct"]).toBe(idOf("PSO:TieA"));
  });

  it("a bind account that may not read the PSOs: the policies they govern are unknown (partial), never the domain's", async () => {
    // helen.desk is an ordinary user. Samba, as AD, lets her list the Password Settings
    // Container and read svc-sql's msDS-ResultantPSO, but not the PSO itself: her passwordSettings
    // search comes back empty, as from a domain without PSOs.
    const part = await collect({ url: dc.url, baseDN: dc.baseDN, bindDN: "helen.desk@live.credgov.test" }, { AD_PW: SEEDED_USER_PASSWORD });
    expect(part.source.status).toBe("partial");
    const pso = `CN=SvcAccountsPSO,CN=Password Settings Container,CN=System,${dc.baseDN}`;
    const listed = part.source.errors.find((e) => e.code === "insufficient-access" && e.step === "passwordSettings");
    expect(listed?.message).toContain(pso);
    expect(listed?.affects).toEqual(expect.arrayContaining(["passwordPolicies", "accounts.passwordPolicy"]));
    const resultant = part.source.errors.find((e) => e.message.includes("msDS-ResultantPSO"));
    expect(resultant?.message).toContain(pso);
    expect(resultant?.affects).toEqual(["passwordPolicies", "accounts.passwordPolicy"]);
    expect(part.passwordPolicies.map((p) => p.scope)).toEqual(["domain"]);
    // svc-sql's policy is unknown, not the domain's (which the PSO overrides)
    expect(part.accounts.find((a) => a.name === "svc-sql")?.passwordPolicy).toBeNull();

    // The administrator reads the PSO: no such error, and svc-sql is under it.
    const admin = await collect({ url: dc.url, baseDN: dc.baseDN });
    expect(admin.source.status).toBe("ok");
    const svcSql = admin.accounts.find((a) => a.name === "svc-sql")!;
    expect(admin.passwordPolicies.find((p) => p.id === svcSql.passwordPolicy)?.minLength).toBe(20);
    expect(admin.source.queries.filter((q) => q.step === "passwordSettings").map((q) => q.resultCount)).toEqual([3, 3]);
  });

  it("a bind account that sees no PSO and no msDS-ResultantPSO: msDS-PSOApplied on the group leaves its members' policy unknown, never the domain's", async () => {
    // ivan.reader (samba/seed.sh) is denied the Password Settings Container and msDS-ResultantPSO:
    // his passwordSettings search and the container listing come back empty, as from a domain
    // without PSOs. Only the back link on Service Account Policy says a PSO governs its members.
    const part = await collect({ url: dc.url, baseDN: dc.baseDN, bindDN: "ivan.reader@live.credgov.test" }, { AD_PW: SEEDED_USER_PASSWORD });
    const pso = `CN=SvcAccountsPSO,CN=Password Settings Container,CN=System,${dc.baseDN}`;
    expect(part.passwordPolicies.map((p) => p.scope)).toEqual(["domain"]);
    const byName = new Map(part.accounts.map((a) => [a.name, a]));
    for (const name of ["svc-sql", "svc-web"]) expect(byName.get(name)?.passwordPolicy, name).toBeNull();
    expect(byName.get("bob.smith")?.passwordPolicy).toBe(part.passwordPolicies[0]!.id);
    expect(part.source.status).toBe("partial");
    const applied = part.source.errors.find((e) => e.message.includes("msDS-PSOApplied"));
    expect(applied?.message).toContain(pso);
    expect(applied?.affects).toEqual(["passwordPolicies", "accounts.passwordPolicy"]);
  });

  it("credgov collect: a live scan and a file scan of the same DC write equal snapshots; a failed source exits 3", async () => {
    const transport = new LiveAdTransport({ url: dc.url, bindDN: dc.bindDN, passwordEnv: "AD_PW", tls: { rejectUnauthorized: false } }, { env: { AD_PW: dc.password }, configDir: work });
    for await (const _ of transport.entries()) void _;
    await dumpWithLdapsearch(
      [...adEntrySearches(dc.baseDN, []), ...trusteeSearches(dc.baseDN, transport.outcome.unresolvedTrustees)],
      { url: dc.url, bindDN: dc.bindDN, password: dc.password },
      join(work, "cli-dump.ldif"),
    );
    const live = `version: 1\nsources:\n  - id: corp-ad\n    kind: ad\n    url: ${dc.url}\n    baseDN: ${dc.baseDN}\n    bindDN: ${dc.bindDN}\n    passwordEnv: CREDGOV_TEST_AD_PW\n    pageSize: 10\n    tls:\n      rejectUnauthorized: false\n`;
    writeFileSync(join(work, "live.yaml"), live);
    writeFileSync(join(work, "file.yaml"), `version: 1\nsources:\n  - id: corp-ad\n    kind: ad\n    file: cli-dump.ldif\n`);
    const liveRun = credgov(["collect", "--config", join(work, "live.yaml"), "--out", join(work, "live.json")], { CREDGOV_TEST_AD_PW: dc.password });
    expect(liveRun.status, liveRun.stderr).toBe(0);
    const fileRun = credgov(["collect", "--config", join(work, "file.yaml"), "--out", join(work, "file.json")], {});
    expect(fileRun.status, fileRun.stderr).toBe(0);
    const liveSnapshot = JSON.parse(readFileSync(join(work, "live.json"), "utf8")) as Snapshot;
    const fileSnapshot = JSON.parse(readFileSync(join(work, "file.json"), "utf8")) as Snapshot;
    expect(liveSnapshot.sources[0]).toMatchObject({ transport: "live", status: "ok", endpoint: dc.url });
    expect(fileSnapshot.sources[0]).toMatchObject({ transport: "file", status: "ok" });
    expect(liveSnapshot.accounts.length).toBeGreaterThan(10);
    expect(snapshotComparable(liveSnapshot)).toEqual(snapshotComparable(fileSnapshot));

    const failed = credgov(["collect", "--config", join(work, "live.yaml"), "--out", join(work, "failed.json")], { CREDGOV_TEST_AD_PW: "Wr0ng!Password" });
    expect(failed.status).toBe(3);
    expect(failed.stdout + failed.stderr).not.toContain("Wr0ng!Password");
    const failedSnapshot = JSON.parse(readFileSync(join(work, "failed.json"), "utf8")) as Snapshot;
    expect(failedSnapshot.sources[0]).toMatchObject({ status: "error" });
    expect(failedSnapshot.sources[0]!.errors[0]!.message).toContain(`${new URL(dc.url).host}: bind: `);
    expect(failedSnapshot.accounts).toEqual([]);
  });

  it("collects over StartTLS on the plain port", async () => {
    const part = await collect({ url: dc.plainUrl, startTLS: true, baseDN: dc.baseDN });
    expect(part.source.status).toBe("ok");
    expect(part.accounts.length).toBeGreaterThan(10);
  });

  describe("failures: status error or partial, server and step named, never the password", () => {
    it("unreachable server", async () => {
      const part = await collect({ url: `ldaps://${dc.ip}:1` });
      expectFailure(part, "error", "unreachable", "connect");
      expect(part.accounts).toEqual([]);
    });

    it("bad credentials", async () => {
      const part = await collect({ url: dc.url }, { AD_PW: "Wr0ng!Password" });
      expectFailure(part, "error", "invalid-credentials", "bind");
      expect(JSON.stringify(part)).not.toContain("Wr0ng!Password");
    });

    it("password variable not set", async () => {
      const part = await collect({ url: dc.url }, {});
      expectFailure(part, "error", "missing-password", "bind");
      expect(part.source.errors[0]!.message).toContain("AD_PW");
    });

    it("plain LDAP where the DC requires a protected bind", async () => {
      const part = await collect({ url: dc.plainUrl });
      expectFailure(part, "error", "strong-auth-required", "bind");
      expect(part.source.errors[0]!.message).toMatch(/ldaps:\/\/|startTLS/);
    });

    it("TLS to a port that speaks plain LDAP", async () => {
      const part = await collect({ url: `ldaps://${dc.ip}:389`, timeoutMs: 5000 });
      expectFailure(part, "error", "tls", "connect");
    });

    it("self-signed server certificate with rejectUnauthorized true", async () => {
      const part = await collect({ url: dc.url, tls: { rejectUnauthorized: true } });
      expectFailure(part, "error", "tls", "connect");
      expect(part.source.errors[0]!.message).toMatch(/certificate/);
    });

    it("server certificate not signed by the configured CA", async () => {
      const key = join(work, "other-ca.key");
      const crt = join(work, "other-ca.pem");
      execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Some Other CA", "-keyout", key, "-out", crt], { stdio: "ignore" });
      const part = await collect({ url: dc.url, tls: { caFile: "other-ca.pem", rejectUnauthorized: true } });
      expectFailure(part, "error", "tls", "connect");
    });

    it("unreadable CA file", async () => {
      writeFileSync(join(work, "placeholder"), "");
      const part = await collect({ url: dc.url, tls: { caFile: "no-such-ca.pem" } });
      expectFailure(part, "error", "tls-ca-file", "tls");
      expect(part.source.errors[0]!.message).toContain("no-such-ca.pem");
    });

    it("base DN that does not exist", async () => {
      const part = await collect({ url: dc.url, baseDN: "DC=nowhere,DC=test" });
      expect(part.source.status).toBe("error");
      expect(part.source.errors.some((e) => e.code === "no-such-object" && e.message.includes(": domain: "))).toBe(true);
    });
  });
});

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
function credgov(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
}

/** A snapshot without what differs between two runs or two transports of the same directory. */
function snapshotComparable(snapshot: Snapshot): unknown {
  const { generatedAt: _g, generator: _r, sources, ...rest } = snapshot;
  return { ...rest, sources: sources.map(({ collectedAt: _c, transport: _t, endpoint: _e, queries: _q, ...source }) => source) };
}

function sortKeys(attributes: Record<string, Uint8Array[]>): Record<string, number[][]> {
  return Object.fromEntries(Object.keys(attributes).sort().map((k) => [k, attributes[k]!.map((v) => [...v])]));
}
