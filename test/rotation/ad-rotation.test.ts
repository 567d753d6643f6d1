// Central rotation against a real Samba AD DC over LDAPS: unicodePwd reset with pwdLastSet=-1
// (must-change-at-next-logon cleared), the PSO's minimum length honoured, verify by bind
// (checked again with ldapsearch), gMSA skipped with its reason, and resume after a crash
// between "applied" and "verified".
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJournal } from "../../src/rotation/journal.ts";
import type { Plan } from "../../src/rotation/plan.ts";
import { AgeFileSink } from "../../src/rotation/sinks/age-file.ts";
import { startSambaDc, type SambaDc } from "../live/samba-dc.ts";
import { crashedRun, rotationWork, type RotationWork } from "./rotation-fixture.ts";

const haveSamba = (() => {
  try {
    execFileSync("sh", ["-c", "command -v samba && command -v samba-tool && command -v ldapsearch && command -v age"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

let dc: SambaDc;
let work: RotationWork;

const dn = (name: string, ou: string) => `CN=${name},OU=${ou},${dc.baseDN}`;

function binds(bindDN: string, secret: string): boolean {
  // Samba has no WhoAmI extended operation: a base search of the root DSE proves the bind.
  return spawnSync("ldapsearch", ["-x", "-LLL", "-H", dc.url, "-D", bindDN, "-w", secret, "-b", "", "-s", "base", "1.1"], { env: { ...process.env, LDAPTLS_REQCERT: "never" } }).status === 0;
}

function attribute(target: string, name: string): string {
  const out = execFileSync("ldapsearch", ["-x", "-LLL", "-H", dc.url, "-D", dc.bindDN, "-w", dc.password, "-b", target, "-s", "base", name], { env: { ...process.env, LDAPTLS_REQCERT: "never" }, encoding: "utf8" });
  return out.match(new RegExp(`^${name}: (.*)$`, "m"))?.[1] ?? "";
}

async function current(location: string): Promise<string> {
  const sink = new AgeFileSink({ dir: join(work.dir, "store"), recipients: ["unused"], identity: work.identity });
  return (await sink.read(location, "current"))!.secret;
}

describe.skipIf(!haveSamba)("rotation on a real Samba AD DC (LDAPS)", { timeout: 240_000 }, () => {
  beforeAll(async () => {
    dc = await startSambaDc();
    // The DC's certificate names its host, not the loopback alias the tests reach it on.
    work = await rotationWork({ kind: "ad", id: "corp-ad", url: dc.url, startTLS: false, tls: "{ rejectUnauthorized: false }", baseDN: dc.baseDN, bindDN: dc.bindDN, password: dc.password });
    const scan = work.credgov("scan", "--config", work.config, "--out", "scan");
    expect([0, 1], scan.stderr).toContain(scan.status);
  }, 240_000);
  afterAll(async () => {
    await dc?.stop();
    work?.dispose();
  });

  it("rotates flagged accounts: unicodePwd set, must-change cleared, PSO length met, bind works; gMSA skipped", async () => {
    expect(attribute(dn("dave.mustchange", "Staff"), "pwdLastSet")).toBe("0");
    const planned = work.credgov("rotate", "plan", "--config", work.config, "--findings", "scan/findings.json", "--subjects", "svc-sql", "svc-web", "dave.mustchange", "gmsa-app*", "--out", "plan.json");
    expect(planned.status, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(join(work.dir, "plan.json"), "utf8")) as Plan;
    expect(plan.items.map((i) => i.account.name).sort()).toEqual(["dave.mustchange", "svc-sql", "svc-web"]);
    expect(plan.items.find((i) => i.account.name === "svc-sql")!.constraints.minLength).toBe(20); // SvcAccountsPSO
    const gmsa = plan.skipped.find((s) => s.name.startsWith("gmsa-app"));
    if (gmsa) expect(gmsa.skip).toMatch(/^gMSA/);
    const applied = work.credgov("rotate", "apply", "plan.json", "--config", work.config, "--approve", planned.stdout.trim());
    expect(applied.status, applied.stderr + applied.stdout).toBe(0);
    for (const [name, ou] of [["svc-sql", "Service Accounts"], ["svc-web", "Service Accounts"], ["dave.mustchange", "Staff"]] as const) {
      const secret = await current(`corp-ad/${name}`);
      expect(secret.toLowerCase()).not.toContain(name);
      expect(binds(dn(name, ou), secret), name).toBe(true);
      // (The old password is not checked: AD keeps it valid for a while, OldPasswordAllowedPeriod.)
    }
    // pwdLastSet=-1 sets "now": the user no longer has to change it at next logon.
    expect(Number(attribute(dn("dave.mustchange", "Staff"), "pwdLastSet"))).toBeGreaterThan(0);
    const report = JSON.parse(readFileSync(join(work.dir, "plan.report.json"), "utf8"));
    expect(report.summary).toMatchObject({ planned: 3, committed: 3, failed: 0 });
  });

  it("resumes after a crash between applied and verified (pending set in AD): verifies and promotes", async () => {
    const { plan, journal, pending } = await crashedRun(work, "crash", `source=corp-ad;name=svc-web`, { directoryChanged: true });
    const resumed = work.credgov("rotate", "resume", journal, "--config", work.config);
    expect(resumed.status, resumed.stderr).toBe(0);
    const item = (await readJournal(join(work.dir, journal))).items.get(plan.items[0]!.id)!;
    expect(item).toMatchObject({ state: "committed", detail: "resumed: pending secret works" });
    expect(await current("corp-ad/svc-web")).toBe(pending);
    expect(binds(dn("svc-web", "Service Accounts"), pending)).toBe(true);
  });

  it("a refused password (too short for the PSO) fails the item with the directory's reason and keeps the old secret current", async () => {
    const before = await current("corp-ad/svc-sql");
    const { journal } = await crashedRun(work, "short", `source=corp-ad;name=svc-sql`, { directoryChanged: false, pending: "Sh0rt!x" });
    const resumed = work.credgov("rotate", "resume", journal, "--config", work.config);
    expect(resumed.status).toBe(1);
    const status = work.credgov("rotate", "status", journal);
    expect(status.stdout).toContain("failed 0001 svc-sql (corp-ad): ");
    expect(status.stdout).toMatch(/the directory refused the password \(constraint violation|unwilling to set the password/);
    expect(await current("corp-ad/svc-sql")).toBe(before);
    expect(binds(dn("svc-sql", "Service Accounts"), before)).toBe(true);
  });
});
