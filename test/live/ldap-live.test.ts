// Live legacy-LDAP collection against a real OpenLDAP slapd with the ppolicy overlay, started and
// seeded by this file (test/live/slapd/*.sh): ppolicy facts, equality with an `ldapsearch -LLL`
// export read through the file transport, and the failure modes provoked for real (size limit,
// referral, server killed mid-paging, server stopped, wrong password).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CollectorContext } from "../../src/collectors/collector.ts";
import type { SourceSettingsOf } from "../../src/config/types.ts";
import type { SourcePart } from "../../src/snapshot/source-part.ts";
import type { LdapEntry } from "../../src/collectors/ldap-common/entry.ts";
import { readLdifFile } from "../../src/collectors/ldap-common/ldif-reader.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";
import { ldapCollector } from "../../src/collectors/ldap/index.ts";
import { ldapEntrySearches } from "../../src/collectors/ldap/live-queries.ts";
import { LiveLdapTransport } from "../../src/collectors/ldap/live-transport.ts";
import { dumpWithLdapsearch } from "./ldapsearch-dump.ts";
import { startSlapd, type Slapd } from "./slapd-server.ts";

const haveSlapd = (() => {
  try {
    execFileSync("sh", ["-c", "test -x /usr/sbin/slapd && command -v ldapsearch"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const BULK = 1200;
let slapd: Slapd;
let work: string;
const logs: string[] = [];

function context(settings: Record<string, unknown>, env: NodeJS.ProcessEnv = { LDAP_PW: slapd.password }): CollectorContext<"ldap"> {
  // defaultPolicyDN: slapd's ppolicy_default lives in its config, which clients cannot read
  const source: SourceSettingsOf<"ldap"> = { id: "legacy", kind: "ldap", url: slapd.url, baseDN: slapd.baseDN, bindDN: slapd.bindDN, passwordEnv: "LDAP_PW", pageSize: 100, defaultPolicyDN: `cn=default,ou=policies,${slapd.baseDN}`, ...settings };
  return { source, configDir: work, env, progress: { step() {}, tick() {} }, log: (m) => logs.push(m) };
}
const collect = (settings: Record<string, unknown> = {}, env?: NodeJS.ProcessEnv) => ldapCollector.collect(context(settings, env));

function comparable(part: SourcePart): unknown {
  const { collectedAt: _a, transport: _t, endpoint: _e, queries: _q, errors: _r, status: _s, ...source } = part.source;
  return { ...part, source };
}

function expectFailure(part: SourcePart, status: "error" | "partial", code: string, step: string): void {
  expect(part.source.status).toBe(status);
  const error = part.source.errors.find((e) => e.code === code);
  expect(error, JSON.stringify(part.source.errors)).toBeDefined();
  expect(error!.step).toBe(step);
  expect(error!.message).toContain(`127.0.0.1:${slapd.port}: ${step}: `);
  expect(JSON.stringify(part)).not.toContain(slapd.password);
}

describe.skipIf(!haveSlapd)("live LDAP collection from a real OpenLDAP slapd with ppolicy", () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "credgov-ldap-live-"));
    slapd = await startSlapd({ bulk: BULK });
  });
  afterAll(async () => {
    await slapd?.dispose();
    if (work) rmSync(work, { recursive: true, force: true });
    expect(logs.join("\n")).not.toContain(slapd.password);
  });

  it("collects ppolicy objects and the operational password state of every account", async () => {
    const part = await collect();
    expect(part.source.status).toBe("ok");
    const policies = new Map(part.passwordPolicies.map((p) => [p.name, p]));
    expect(policies.get("default")).toMatchObject({ scope: "ppolicy", minLength: 8, historyLength: 5, maxAgeDays: 90, mustChangeAfterReset: true, allowUserChange: true, lockoutThreshold: 3 });
    expect(policies.get("service")).toMatchObject({ scope: "ppolicy", minLength: 12, maxAgeDays: 0, mustChangeAfterReset: false, allowUserChange: false });
    const byName = new Map(part.accounts.map((a) => [a.name, a]));
    expect(part.accounts.length).toBe(BULK + 7); // 6 seeded people + cn=limited + bulk
    const svc = byName.get("svc-app")!;
    expect(svc.passwordPolicy).toBe(policies.get("service")!.id);
    expect(svc.owners).toEqual([expect.objectContaining({ name: "carol", relation: "manager" })]);
    expect(byName.get("alice")!.passwordPolicy).toBe(policies.get("default")!.id);
    expect(byName.get("alice")!.passwordLastSet).toMatch(/^\d{4}-\d\d-\d\dT/);
    // admin reset under pwdMustChange: a temporary password the user must finish replacing
    expect((byName.get("bob")!.flags as Record<string, boolean>).mustChangeAtNextLogon).toBe(true);
    expect((byName.get("alice")!.flags as Record<string, boolean>).mustChangeAtNextLogon).toBe(false);
    expect((byName.get("mallory")!.flags as Record<string, boolean>).lockedOut).toBe(true);
    // ppolicy refuses dan's binds after his pwdEndTime (2019): he cannot sign in
    expect(byName.get("dan")).toMatchObject({ enabled: false, expiry: { kind: "time", time: "2019-06-01T00:00:00.000Z" } });
    expect(byName.get("alice")).toMatchObject({ enabled: true, expiry: { kind: "never" } });
    const accounts = part.source.queries.find((q) => q.step === "accounts")!;
    expect(accounts.resultCount).toBe(BULK + 7);
    expect(accounts.pages).toBeGreaterThanOrEqual(Math.ceil((BULK + 7) / 100));
    expect(accounts.call).toContain("pwdPolicySubentry");
  });

  it("gives the same entries and the same snapshot as an ldapsearch -LLL export read by the file transport", async () => {
    const ldif = join(work, "dump.ldif");
    await dumpWithLdapsearch(ldapEntrySearches(slapd.baseDN), { url: slapd.url, bindDN: slapd.bindDN, password: slapd.password }, ldif);
    const live: LdapEntry[] = [];
    const transport = new LiveLdapTransport({ url: slapd.url, baseDN: slapd.baseDN, bindDN: slapd.bindDN, passwordEnv: "LDAP_PW", pageSize: 37 }, { env: { LDAP_PW: slapd.password }, configDir: work });
    for await (const e of transport.entries()) live.push(e);
    const file: LdapEntry[] = [];
    for await (const e of readLdifFile(ldif)) file.push({ dn: e.dn, attributes: e.attributes });
    expect(live.length).toBe(2 + BULK + 7 + 1); // 2 policies, accounts, 1 group
    expect(live.map(canonical)).toEqual(file.map(canonical));

    const livePart = await collect();
    const filePart = await ldapCollector.collect({ ...context({}), source: { id: "legacy", kind: "ldap", file: ldif, defaultPolicyDN: `cn=default,ou=policies,${slapd.baseDN}` } });
    expect(comparable(livePart)).toEqual(comparable(filePart));
  });

  it("credgov collect exits 0 on a complete collection and 3 when the server's size limit cut it short", async () => {
    const yaml = (bindDN: string) =>
      `version: 1\nsources:\n  - id: legacy\n    kind: ldap\n    url: ${slapd.url}\n    baseDN: ${slapd.baseDN}\n    bindDN: ${bindDN}\n    passwordEnv: CREDGOV_TEST_LDAP_PW\n    defaultPolicyDN: cn=default,ou=policies,${slapd.baseDN}\n`;
    writeFileSync(join(work, "admin.yaml"), yaml(slapd.bindDN));
    writeFileSync(join(work, "limited.yaml"), yaml(`cn=limited,${slapd.baseDN}`));
    const ok = credgov(["collect", "--config", join(work, "admin.yaml"), "--out", join(work, "ok.json")], { CREDGOV_TEST_LDAP_PW: slapd.password });
    expect(ok.status, ok.stderr).toBe(0);
    expect((JSON.parse(readFileSync(join(work, "ok.json"), "utf8")) as Snapshot).accounts.length).toBe(BULK + 7);
    const cut = credgov(["collect", "--config", join(work, "limited.yaml"), "--out", join(work, "cut.json")], { CREDGOV_TEST_LDAP_PW: "Us3r!Seed#2026" });
    expect(cut.status).toBe(3);
    expect(cut.stdout + cut.stderr).not.toContain("Us3r!Seed#2026");
    const snapshot = JSON.parse(readFileSync(join(work, "cut.json"), "utf8")) as Snapshot;
    expect(snapshot.sources[0]).toMatchObject({ status: "partial" });
    expect(snapshot.sources[0]!.errors.some((e) => e.code === "size-limit" && e.message.includes(`127.0.0.1:${slapd.port}: accounts: `))).toBe(true);
  });

  it("finds the base DN from the rootDSE when none is configured", async () => {
    const part = await collect({ baseDN: undefined });
    expect(part.source.status).toBe("ok");
    expect(part.source.queries[0]).toMatchObject({ step: "rootDSE", resultCount: 1 });
    expect(part.source.queries.find((q) => q.step === "accounts")!.call.startsWith(`${slapd.baseDN}?sub?`)).toBe(true);
    expect(part.accounts.length).toBe(BULK + 7);
  });

  describe("failures: status error or partial, server and step named, never the password", () => {
    it("bad credentials", async () => {
      const part = await collect({}, { LDAP_PW: "Wr0ng!Password" });
      expectFailure(part, "error", "invalid-credentials", "bind");
      expect(JSON.stringify(part)).not.toContain("Wr0ng!Password");
    });

    it("server size limit hit while paging", async () => {
      const part = await collect({ bindDN: `cn=limited,${slapd.baseDN}` }, { LDAP_PW: "Us3r!Seed#2026" });
      // the policies arrived, the accounts did not: partial, and the accounts search is marked failed
      expectFailure(part, "partial", "size-limit", "accounts");
      expect(part.source.queries.find((q) => q.step === "accounts")).toMatchObject({ status: "error", resultCount: 0 });
      expect(part.accounts).toEqual([]);
    });

    it("StartTLS against a server certificate nobody trusts", async () => {
      const part = await collect({ startTLS: true });
      expectFailure(part, "error", "tls", "startTLS");
    });

    it("StartTLS with the server's own certificate as CA", async () => {
      const part = await collect({ startTLS: true, tls: { caFile: join(slapd.dir, "tls.crt") } });
      expect(part.source.status).toBe("ok");
    });

    it("a referral inside the searched tree", async () => {
      await slapd.admin("ldapadd", ["-M"], `dn: ou=partner,${slapd.baseDN}\nobjectClass: referral\nobjectClass: extensibleObject\nou: partner\nref: ldap://partner.invalid:389/ou=partner,${slapd.baseDN}\n`);
      try {
        const part = await collect();
        // every subtree search crosses it; the first one (policies) already says so
        expectFailure(part, "partial", "referral", "passwordPolicies");
        expect(part.source.errors.filter((e) => e.code === "referral").map((e) => e.step)).toEqual(["passwordPolicies", "accounts", "groups"]);
        expect(part.source.errors.find((e) => e.code === "referral")!.message).toContain("partner.invalid");
      } finally {
        await slapd.admin("ldapdelete", ["-M", `ou=partner,${slapd.baseDN}`]);
      }
    });

    it("server that accepts the connection but never answers: timeoutMs", async () => {
      const sockets: Socket[] = [];
      const silent = createServer((socket) => void sockets.push(socket));
      await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
      const port = (silent.address() as AddressInfo).port;
      try {
        const started = Date.now();
        const part = await collect({ url: `ldap://127.0.0.1:${port}`, timeoutMs: 700 });
        expect(Date.now() - started).toBeLessThan(5000);
        expect(part.source.status).toBe("error");
        const error = part.source.errors[0]!;
        expect(error.code).toBe("timeout");
        expect(error.message).toContain(`ldap://127.0.0.1:${port}: bind: no answer within timeoutMs`);
      } finally {
        for (const socket of sockets) socket.destroy();
        silent.close();
      }
    });

    it("server killed mid-paging, then stopped", async () => {
      const transport = new LiveLdapTransport({ url: slapd.url, baseDN: slapd.baseDN, bindDN: slapd.bindDN, passwordEnv: "LDAP_PW", pageSize: 50 }, { env: { LDAP_PW: slapd.password }, configDir: work });
      let seen = 0;
      for await (const entry of transport.entries()) {
        seen++;
        if (entry.dn.startsWith("uid=bulk") && seen > 60) {
          // a page is in hand and more are to come: cut the server
          if (seen === 61) await slapd.stop(true);
        }
      }
      expect(seen).toBeGreaterThan(60);
      expect(seen).toBeLessThan(BULK);
      expect(transport.outcome.status).toBe("partial");
      const error = transport.outcome.errors[0]!;
      expect(error.step).toBe("accounts");
      expect(error.code).toBe("connection-lost");
      expect(error.message).toContain(`ldap://127.0.0.1:${slapd.port}: accounts: connection lost after`);
      const accounts = transport.outcome.queries.find((q) => q.step === "accounts")!;
      expect(accounts.status).toBe("partial");
      expect(accounts.resultCount).toBe(seen - 2); // the 2 policies came first
      expect(transport.outcome.queries.find((q) => q.step === "groups")!.status).toBe("missing");

      const stopped = await collect();
      expectFailure(stopped, "error", "unreachable", "connect");
      expect(stopped.accounts).toEqual([]);
    });
  });
});

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
function credgov(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1", ...env } });
}

function canonical(e: LdapEntry): unknown {
  return { dn: e.dn, attributes: Object.fromEntries(Object.keys(e.attributes).sort().map((k) => [k, e.attributes[k]!.map((v) => Buffer.from(v).toString("base64"))])) };
}
