// Central rotation against a real OpenLDAP slapd (ppolicy, StartTLS): plan from findings and
// from a selector, apply with the plan's digest, Password Modify + pwdReset cleared, verify by
// bind (checked again here with ldapwhoami), the age store read back with the age CLI, resume
// after a crash at the worst points (applied but not verified), SIGKILL mid-run, the journal
// lock, and a canary search for every generated secret in everything the runs wrote.
import { execFileSync, spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJournal } from "../../src/rotation/journal.ts";
import type { Plan } from "../../src/rotation/plan.ts";
import { AgeFileSink } from "../../src/rotation/sinks/age-file.ts";
import { startSlapd, type Slapd } from "../live/slapd-server.ts";
import { ageDecrypt, crashedRun, rotationWork, type RotationWork } from "./rotation-fixture.ts";

const haveTools = (() => {
  try {
    execFileSync("sh", ["-c", "test -x /usr/sbin/slapd && command -v ldapwhoami && command -v age"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

const BULK = 40;
let slapd: Slapd;
let work: RotationWork;
let hookLog: string;
const webhookBodies: string[] = [];

function binds(dn: string, secret: string): boolean {
  const result = spawnSync("ldapwhoami", ["-x", "-ZZ", "-H", slapd.url, "-D", dn, "-w", secret], { env: { ...process.env, LDAPTLS_CACERT: join(slapd.dir, "tls.crt") }, encoding: "utf8" });
  return result.status === 0;
}

function operational(dn: string, attribute: string): string {
  return execFileSync("ldapsearch", ["-x", "-ZZ", "-LLL", "-H", slapd.url, "-D", slapd.bindDN, "-w", slapd.password, "-b", dn, "-s", "base", attribute], {
    env: { ...process.env, LDAPTLS_CACERT: join(slapd.dir, "tls.crt") },
    encoding: "utf8",
  });
}

function sink(): AgeFileSink {
  return new AgeFileSink({ dir: join(work.dir, "store"), recipients: ["unused-for-reads"], identity: work.identity });
}

async function currentSecret(location: string): Promise<string | undefined> {
  return (await sink().read(location, "current"))?.secret;
}

/** plan + apply with the printed digest; returns the plan path. */
function planAndApply(name: string, ...selection: string[]): { plan: string; digest: string; apply: ReturnType<RotationWork["credgov"]> } {
  const plan = `${name}.json`;
  const planned = work.credgov("rotate", "plan", "--config", work.config, ...selection, "--out", plan);
  expect(planned.status, planned.stderr).toBe(0);
  const digest = planned.stdout.trim();
  const apply = work.credgov("rotate", "apply", plan, "--config", work.config, "--approve", digest);
  return { plan, digest, apply };
}

describe.skipIf(!haveTools)("rotation on a real OpenLDAP slapd", { timeout: 180_000 }, () => {
  beforeAll(async () => {
    slapd = await startSlapd({ bulk: BULK });
    const extra = `    defaultPolicyDN: cn=default,ou=policies,${slapd.baseDN}\n`;
    work = await rotationWork(
      { kind: "ldap", id: "legacy", url: slapd.url, startTLS: true, tls: `{ caFile: ${join(slapd.dir, "tls.crt")} }`, baseDN: slapd.baseDN, bindDN: slapd.bindDN, password: slapd.password, extra },
      // An exec hook (no shell) appending every event to a file: the canary reads it.
      `  hooks:\n    - kind: exec\n      argv: [${JSON.stringify(process.execPath)}, -e, "process.stdin.pipe(require('fs').createWriteStream(process.argv[1], {flags: 'a'}))", hook-events.jsonl]\n`,
    );
    hookLog = join(work.dir, "hook-events.jsonl");
    const scan = work.credgov("scan", "--config", work.config, "--out", "scan");
    expect([0, 1]).toContain(scan.status);
  }, 60_000);
  afterAll(async () => {
    await slapd?.dispose();
    work?.dispose();
  });

  it("rotates the credentials of failing findings: pwdReset cleared, binds with the secret the age store holds", async () => {
    expect(operational(`uid=bob,ou=people,${slapd.baseDN}`, "pwdReset")).toContain("pwdReset: TRUE");
    const { plan, apply } = planAndApply("reset-plan", "--findings", "scan/findings.json", "--controls", "CG-RESET-001");
    expect(apply.status, apply.stderr + apply.stdout).toBe(0);
    const parsed = JSON.parse(readFileSync(join(work.dir, plan), "utf8")) as Plan;
    expect(parsed.items.map((i) => i.account.name)).toEqual(["bob"]);
    expect(parsed.items[0]!.reasons).toEqual(["CG-RESET-001"]);
    expect(operational(`uid=bob,ou=people,${slapd.baseDN}`, "pwdReset")).not.toContain("pwdReset");
    const secret = await currentSecret("legacy/bob");
    expect(secret).toBeDefined();
    expect(secret!.length).toBeGreaterThanOrEqual(32);
    expect(binds(`uid=bob,ou=people,${slapd.baseDN}`, secret!)).toBe(true);
    expect(binds(`uid=bob,ou=people,${slapd.baseDN}`, "Temp!Reset#2026")).toBe(false);
    // The version file is plain age: Debian's age CLI decrypts it with the store's identity.
    const files = readdirSync(join(work.dir, "store/legacy/bob")).filter((f) => f.endsWith(".age"));
    expect(ageDecrypt(work.identityFile, join(work.dir, "store/legacy/bob", files.at(-1)!))).toBe(secret);
    const report = JSON.parse(readFileSync(join(work.dir, "reset-plan.report.json"), "utf8"));
    expect(report.summary).toMatchObject({ planned: 1, committed: 1, complete: 1, failed: 0 });
    expect(report.items[0]).toMatchObject({ state: "committed", verification: "authenticated", sink: { kind: "age-file", location: "legacy/bob", version: 1 } });
  });

  it("mass reset over a selector: every account binds with its sink's current secret", async () => {
    const { apply } = planAndApply("bulk-plan", "--snapshot", "scan/snapshot.json", "--accounts", "source=legacy;name=bulk*");
    expect(apply.status, apply.stderr).toBe(0);
    expect(apply.stdout).toContain(`${BULK} committed, 0 failed`);
    for (let i = 0; i < BULK; i++) {
      const secret = await currentSecret(`legacy/bulk${i}`);
      expect(binds(`uid=bulk${i},ou=people,${slapd.baseDN}`, secret!), `bulk${i}`).toBe(true);
    }
    const status = work.credgov("rotate", "status", "bulk-plan.journal.jsonl", "--format", "json");
    expect(JSON.parse(status.stdout).counts).toEqual({ committed: BULK });
  });

  it("refuses a plan whose digest differs from the approval, and a second apply of one journal", () => {
    const planned = work.credgov("rotate", "plan", "--config", work.config, "--snapshot", "scan/snapshot.json", "--accounts", "source=legacy;name=alice", "--out", "alice.json");
    const digest = planned.stdout.trim();
    const plan = JSON.parse(readFileSync(join(work.dir, "alice.json"), "utf8")) as Plan;
    plan.items[0]!.sink.location = "legacy/elsewhere";
    writeFileSync(join(work.dir, "alice.json"), JSON.stringify(plan, null, 2) + "\n");
    const refused = work.credgov("rotate", "apply", "alice.json", "--config", work.config, "--approve", digest);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("does not match the plan's SHA-256");
    expect(existsSync(join(work.dir, "alice.journal.jsonl"))).toBe(false);
    const again = work.credgov("rotate", "apply", "bulk-plan.json", "--config", work.config, "--approve", readPlanDigest("bulk-plan.json"));
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("a journal already exists here");
  });

  it("refuses password writes over plain LDAP (the plan skips every item with the reason)", async () => {
    const plain = readFileSync(work.config, "utf8").replace("startTLS: true", "startTLS: false");
    writeFileSync(join(work.dir, "plain.yaml"), plain);
    const planned = work.credgov("rotate", "plan", "--config", "plain.yaml", "--snapshot", "scan/snapshot.json", "--accounts", "source=legacy;name=bulk1*", "--out", "plain-plan.json");
    expect(planned.status, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(join(work.dir, "plain-plan.json"), "utf8")) as Plan;
    expect(plan.items).toEqual([]);
    expect(plan.skipped.length).toBeGreaterThan(0);
    expect(new Set(plan.skipped.map((s) => s.skip))).toEqual(new Set(["plain LDAP: password writes need ldaps:// or startTLS: true"]));
  });

  it("resumes after a crash between applied and verified: finds the pending secret works", async () => {
    const { plan, journal } = await crashedRun(work, "crash-a", "source=legacy;name=bulk2", { directoryChanged: true });
    const resumed = work.credgov("rotate", "resume", journal, "--config", work.config);
    expect(resumed.status, resumed.stderr).toBe(0);
    const replay = await readJournal(join(work.dir, journal));
    const item = replay.items.get(plan.items[0]!.id)!;
    expect(item.state).toBe("committed");
    expect(item.detail).toBe("resumed: pending secret works");
    expect(binds(`uid=bulk2,ou=people,${slapd.baseDN}`, (await currentSecret("legacy/bulk2"))!)).toBe(true);
  });

  it("resumes after a crash between applied and verified: the directory still holds the previous secret, so it sets pending again", async () => {
    const before = await currentSecret("legacy/bulk3");
    const { plan, journal, pending } = await crashedRun(work, "crash-b", "source=legacy;name=bulk3", { directoryChanged: false });
    expect(binds(`uid=bulk3,ou=people,${slapd.baseDN}`, before!)).toBe(true);
    const resumed = work.credgov("rotate", "resume", journal, "--config", work.config);
    expect(resumed.status, resumed.stderr).toBe(0);
    const item = (await readJournal(join(work.dir, journal))).items.get(plan.items[0]!.id)!;
    expect(item.state).toBe("committed");
    expect(item.detail).toBe("resumed: set again and verified");
    expect(await currentSecret("legacy/bulk3")).toBe(pending);
    expect((await sink().read("legacy/bulk3", "previous"))?.secret).toBe(before);
    expect(binds(`uid=bulk3,ou=people,${slapd.baseDN}`, pending)).toBe(true);
    expect(binds(`uid=bulk3,ou=people,${slapd.baseDN}`, before!)).toBe(false);
  });

  it("resumes after a crash inside set (password written, pwdReset not yet removed): sets again, so no user step remains", async () => {
    const dn = `uid=bulk5,ou=people,${slapd.baseDN}`;
    const { plan, journal, pending } = await crashedRun(work, "crash-d", "source=legacy;name=bulk5", { directoryChanged: false, lastState: "stored-pending" });
    // What the killed run left: the new password is in (an admin write, so ppolicy marks it temporary).
    await slapd.admin("ldappasswd", ["-s", pending, dn]);
    expect(operational(dn, "pwdReset")).toContain("pwdReset: TRUE");
    const resumed = work.credgov("rotate", "resume", journal, "--config", work.config);
    expect(resumed.status, resumed.stderr).toBe(0);
    const item = (await readJournal(join(work.dir, journal))).items.get(plan.items[0]!.id)!;
    expect(item.state).toBe("committed");
    expect(operational(dn, "pwdReset")).not.toContain("pwdReset");
    expect(await currentSecret("legacy/bulk5")).toBe(pending);
    expect(binds(dn, pending)).toBe(true);
  });

  it("refuses to resume while another process holds the journal lock, and takes over a dead one's", async () => {
    const { journal } = await crashedRun(work, "crash-c", "source=legacy;name=bulk4", { directoryChanged: true });
    writeFileSync(join(work.dir, `${journal}.lock`), JSON.stringify({ pid: process.pid, host: (await import("node:os")).hostname(), at: "now" }));
    const refused = work.credgov("rotate", "resume", journal, "--config", work.config);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain(`another credgov (pid ${process.pid}`);
    // A pid that no longer exists: the lock is stale and resume takes it over.
    const dead = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(join(work.dir, `${journal}.lock`), JSON.stringify({ pid: dead, host: (await import("node:os")).hostname(), at: "then" }));
    const resumed = work.credgov("rotate", "resume", journal, "--config", work.config);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(existsSync(join(work.dir, `${journal}.lock`))).toBe(false);
  });

  it("SIGKILL in the middle of apply, then resume: every account binds with its sink's current secret", async () => {
    const planned = work.credgov("rotate", "plan", "--config", work.config, "--snapshot", "scan/snapshot.json", "--accounts", "source=legacy;name=bulk*", "--out", "kill-plan.json");
    const child = work.spawnCredgov("rotate", "apply", "kill-plan.json", "--config", work.config, "--approve", planned.stdout.trim(), "--concurrency", "4");
    const journal = join(work.dir, "kill-plan.journal.jsonl");
    // Kill once about a third of the items have been applied (mid-flight states for others).
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const text = existsSync(journal) ? readFileSync(journal, "utf8") : "";
        if ((text.match(/"state":"applied"/g) ?? []).length >= BULK / 3 || child.exitCode !== null) {
          clearInterval(timer);
          child.kill("SIGKILL");
          resolve();
        }
      }, 5);
    });
    await new Promise((resolve) => child.once("close", resolve));
    const before = await readJournal(journal);
    expect([...before.items.values()].filter((i) => i.state === "committed").length).toBeLessThan(BULK);
    const status = work.credgov("rotate", "status", "kill-plan.journal.jsonl");
    expect(status.stdout).toContain("did not end: interrupted");
    const resumed = work.credgov("rotate", "resume", "kill-plan.journal.jsonl", "--config", work.config);
    expect(resumed.status, resumed.stderr).toBe(0);
    let lost = 0;
    for (let i = 0; i < BULK; i++) {
      if (!binds(`uid=bulk${i},ou=people,${slapd.baseDN}`, (await currentSecret(`legacy/bulk${i}`))!)) lost++;
    }
    expect(lost).toBe(0);
    // A kill inside `set` must not leave a temporary password behind (pwdReset would be a user step).
    const temporary = Array.from({ length: BULK }, (_, i) => `uid=bulk${i},ou=people,${slapd.baseDN}`).filter((dn) => operational(dn, "pwdReset").includes("pwdReset: TRUE"));
    expect(temporary).toEqual([]);
  });

  it("scan triggers: a failing control writes a plan, fires signed webhooks and auto-applies within maxItems", async () => {
    const bodies: Array<{ body: string; signature: string | undefined }> = [];
    const server = createServer((req, res) => {
      let body = "";
      req.setEncoding("utf8").on("data", (c: string) => (body += c));
      req.on("end", () => {
        bodies.push({ body, signature: req.headers["x-credgov-signature"] as string | undefined });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      // An admin reset under pwdMustChange makes bob's password temporary again (CG-RESET-001 fails).
      await slapd.admin("ldappasswd", ["-s", "Temp!Again#2026", `uid=bob,ou=people,${slapd.baseDN}`]);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/credgov`;
      const triggers = `  triggers:\n    - controls: [CG-RESET-001]\n      action: apply\n      maxItems: 3\n    - controls: [CG-HYG-006, CG-RESET-005]\n      action: notify\n  hooks:\n    - kind: webhook\n      url: ${url}\n      secretEnv: HOOK_KEY\n      retries: 1\n`;
      writeFileSync(join(work.dir, "triggers.yaml"), readFileSync(work.config, "utf8").replace(/ {2}hooks:\n[\s\S]*$/, triggers).replace("identityEnv: AGE_IDENTITY }", "identityEnv: AGE_IDENTITY }\n  dir: triggered"));
      const missingKey = await work.credgovAsync("scan", "--config", "triggers.yaml", "--out", "scan-triggered");
      expect(missingKey.status).toBe(2);
      expect(missingKey.stderr).toContain("HOOK_KEY is not set");
      work.env.HOOK_KEY = "hook-key-1";
      const scan = await work.credgovAsync("scan", "--config", "triggers.yaml", "--out", "scan-triggered");
      expect([0, 1], scan.stderr).toContain(scan.status);
      expect(scan.stderr).not.toContain("rotation hook failed");
      expect(scan.stderr).toMatch(/rotation plan .*triggered\/plan-.*-1\.json \(1 item\(s\), apply\); applied: 1 committed, 0 failed/);
      expect(operational(`uid=bob,ou=people,${slapd.baseDN}`, "pwdReset")).not.toContain("pwdReset");
      expect(binds(`uid=bob,ou=people,${slapd.baseDN}`, (await currentSecret("legacy/bob"))!)).toBe(true);
      const events = bodies.map((b) => {
        expect(b.signature).toBe(`sha256=${createHmac("sha256", "hook-key-1").update(b.body).digest("hex")}`);
        return JSON.parse(b.body) as { type: string; action?: string; account?: string };
      });
      expect(events.filter((e) => e.type === "plan.created").map((e) => e.action)).toContain("apply");
      expect(events.find((e) => e.type === "item.committed")).toMatchObject({ account: "bob" });
      expect(events.find((e) => e.type === "run.completed")).toMatchObject({ outcome: "completed", counts: { committed: 1 } });
      webhookBodies.push(...bodies.map((b) => b.body));
      const reports = readdirSync(join(work.dir, "triggered")).filter((f) => f.endsWith(".report.json"));
      expect(reports).toHaveLength(1);
    } finally {
      delete work.env.HOOK_KEY;
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("canary: no generated secret appears in output, journals, plans, reports or hook events", async () => {
    const secrets = new Set<string>();
    const store = join(work.dir, "store/legacy");
    for (const account of readdirSync(store)) {
      for (const file of readdirSync(join(store, account)).filter((f) => f.endsWith(".age"))) secrets.add(ageDecrypt(work.identityFile, join(store, account, file)));
    }
    expect(secrets.size).toBeGreaterThan(BULK * 2);
    const events = readFileSync(hookLog, "utf8");
    expect(events).toContain('"type":"item.committed"');
    expect(events).toContain('"type":"run.completed"');
    const written = readdirSync(work.dir)
      .filter((f) => /\.(json|jsonl|md)$/.test(f))
      .map((f) => readFileSync(join(work.dir, f), "utf8"));
    const state = readdirSync(store).map((a) => readFileSync(join(store, a, "state.json"), "utf8"));
    const triggered = readdirSync(join(work.dir, "triggered")).map((f) => readFileSync(join(work.dir, "triggered", f), "utf8"));
    const haystack = [...work.transcript, events, ...webhookBodies, ...written, ...triggered, ...state].join("\n");
    const found = [...secrets].filter((s) => haystack.includes(s));
    expect(found).toEqual([]);
  });
});

function readPlanDigest(plan: string): string {
  return execFileSync("sha256sum", [join(work.dir, plan)], { encoding: "utf8" }).split(" ")[0]!;
}

