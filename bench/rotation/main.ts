// Rotation benchmark (`npm run bench -- rotation`):
//  - throughput: `credgov rotate apply` over N slapd accounts (--slapd=1000) and N Samba AD
//    accounts (--samba=100), beside a shell loop of the command-line tool doing the same password
//    changes (ldappasswd -ZZ for slapd; ldapmodify of unicodePwd over LDAPS for Samba, which has
//    no Password Modify operation). credgov also verifies every change by binding, stores it in
//    the age store and fsyncs its journal; the tools only set. Goal: credgov <= 1.5x the loop.
//  - end to end: plan + apply of --e2e=10000 slapd accounts.
// Crash test (`npm run bench -- rotation --crash [--trials=100] [--crash-slapd=1000] [--crash-samba=50]
// [--budget-minutes=N] [--samba-trials=N]`; a budget stops the trials early and the table says how many ran):
//  each trial SIGKILLs `rotate apply` at a random point, resumes, then binds as every account with
//  the secret its sink holds as current, and searches for accounts left with a user step
//  (pwdReset, pwdLastSet=0); prints both counts (goal 0 and 0).
// --only=slapd|samba|e2e limits the throughput rows. Needs root, slapd, samba and ldap-utils.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { accountsWithUserStep, lostAccounts, plan, sambaTarget, slapdTarget, type Target } from "./targets.ts";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const flag = (name: string) => process.argv.includes(`--${name}`);
const only = arg("only");

function seconds(start: number): number {
  return (performance.now() - start) / 1000;
}

function apply(target: Target, planFile: string, digest: string, journal: string): { seconds: number; stdout: string } {
  const start = performance.now();
  const r = spawnSync(process.execPath, [join(import.meta.dirname, "../../bin/credgov.js"), "rotate", "apply", planFile, "--config", target.work.config, "--approve", digest, "--journal", journal], { cwd: target.work.dir, env: target.work.env, encoding: "utf8" });
  const took = seconds(start);
  if (r.status !== 0) throw new Error(`apply failed (${r.status}): ${r.stderr}\n${r.stdout}`);
  return { seconds: took, stdout: r.stdout };
}

/** The tool loop: one process per change, as an operator's script would run it. */
function toolLoop(target: Target): number {
  const script = target.accounts.map((a) => target.cliChange(a, `Tool!${randomBytes(12).toString("base64url")}`).map(shellQuote).join(" ")).join("\n");
  const file = join(target.work.dir, "tool-loop.sh");
  writeFileSync(file, `set -e\n${script}\n`);
  const start = performance.now();
  execFileSync("bash", [file], { env: target.cliEnv, stdio: ["ignore", "ignore", "inherit"] });
  return seconds(start);
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

async function throughput(): Promise<void> {
  const rows: string[] = [];
  const series: Array<[string, () => Promise<Target>]> = [];
  if (!only || only === "slapd") series.push(["slapd", () => slapdTarget(Number(arg("slapd") ?? 1000))]);
  if (!only || only === "samba") series.push(["samba", () => sambaTarget(Number(arg("samba") ?? 100))]);
  for (const [, start] of series) {
    const target = await start();
    try {
      const loop = toolLoop(target);
      const { plan: file, digest } = plan(target, "bench");
      const run = apply(target, file, digest, "bench.journal.jsonl");
      const lost = await lostAccounts(target);
      const n = target.accounts.length;
      rows.push(`| ${target.label} | ${n} | ${loop.toFixed(1)} | ${(n / loop).toFixed(0)} | ${run.seconds.toFixed(1)} | ${(n / run.seconds).toFixed(0)} | ${(run.seconds / loop).toFixed(2)}x | ${lost.length} |`);
    } finally {
      await target.stop();
    }
  }
  if (!only || only === "e2e") {
    const n = Number(arg("e2e") ?? 10000);
    const target = await slapdTarget(n);
    try {
      const started = performance.now();
      const { plan: file, digest } = plan(target, "e2e");
      const planned = seconds(started);
      const run = apply(target, file, digest, "e2e.journal.jsonl");
      const lost = await lostAccounts(target);
      rows.push(`| slapd end to end (plan ${planned.toFixed(1)} s + apply) | ${n} | | | ${(planned + run.seconds).toFixed(1)} | ${(n / (planned + run.seconds)).toFixed(0)} | | ${lost.length} |`);
    } finally {
      await target.stop();
    }
  }
  process.stdout.write("| directory | accounts | tool loop (s) | tool changes/s | credgov apply (s) | rotations/s | credgov / loop | lost |\n|---|---:|---:|---:|---:|---:|---:|---:|\n" + rows.join("\n") + "\n");
}

async function crashTrials(target: Target, trials: number, budgetMinutes: number): Promise<string> {
  const { plan: file, digest } = plan(target, "crash");
  // Every account gets a sink secret first, so "current" is defined before the first crash.
  apply(target, file, digest, "baseline.journal.jsonl");
  const records = readFileSync(join(target.work.dir, "baseline.journal.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as { at?: string; startedAt?: string });
  const runMs = Date.parse(records.at(-1)!.at!) - Date.parse(records[0]!.startedAt!);
  const deadline = Date.now() + budgetMinutes * 60_000;
  let lost = 0;
  let userStep = 0;
  let killedMidRun = 0;
  let resumed = 0;
  let trial = 0;
  while (trial < trials && Date.now() < deadline) {
    trial++;
    const journal = `trial-${trial}.journal.jsonl`;
    const child = target.work.spawnCredgov("rotate", "apply", file, "--config", target.work.config, "--approve", digest, "--journal", journal);
    // The kill lands at a uniformly random moment of the rotation itself (journal created ->
    // run end, as long as the baseline's), not in Node's start-up.
    const journalFile = join(target.work.dir, journal);
    const exited = await new Promise<boolean>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const poll = setInterval(() => {
        if (!existsSync(journalFile)) return;
        clearInterval(poll);
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          resolve(false);
        }, Math.random() * runMs);
      }, 2);
      child.once("exit", (code) => {
        clearInterval(poll);
        clearTimeout(timer);
        resolve(code !== null);
      });
    });
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(undefined) : child.once("close", resolve)));
    if (!exited) killedMidRun++;
    let text = "";
    try {
      text = readFileSync(join(target.work.dir, journal), "utf8");
    } catch {
      // killed before the journal existed: nothing to resume, the directory was not touched
    }
    if (text !== "" && !text.includes('"event":"end"')) {
      const r = target.work.credgov("rotate", "resume", journal, "--config", target.work.config);
      if (r.status !== 0) throw new Error(`trial ${trial}: resume exited ${r.status}: ${r.stderr}`);
      resumed++;
    }
    const failures = await lostAccounts(target);
    lost += failures.length;
    if (failures.length > 0) process.stderr.write(`trial ${trial}: ${failures.length} lost: ${failures.slice(0, 5).join("; ")}\n`);
    const pending = await accountsWithUserStep(target);
    userStep += pending.length;
    if (pending.length > 0) process.stderr.write(`trial ${trial}: ${pending.length} left with a user step: ${pending.slice(0, 5).join("; ")}\n`);
    // Keep the transcript small: the canary in the tests reads it; here only the count matters.
    target.work.transcript.length = 0;
  }
  return `| ${target.label} | ${target.accounts.length} | ${trial} | ${killedMidRun} | ${resumed} | ${(runMs / 1000).toFixed(1)} | ${lost} | ${userStep} |`;
}

if (flag("crash")) {
  const trials = Number(arg("trials") ?? 100);
  const rows: string[] = [];
  process.stdout.write("| directory | accounts | trials | killed mid-run | resumed | rotation run (s) | accounts lost | user step left |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
  if (!only || only === "slapd") {
    const target = await slapdTarget(Number(arg("crash-slapd") ?? 1000));
    try {
      rows.push(await crashTrials(target, trials, Number(arg("budget-minutes") ?? 600)));
      process.stdout.write(rows.at(-1) + "\n");
    } finally {
      await target.stop();
    }
  }
  if (!only || only === "samba") {
    const target = await sambaTarget(Number(arg("crash-samba") ?? 50));
    try {
      rows.push(await crashTrials(target, Number(arg("samba-trials") ?? trials), Number(arg("samba-budget-minutes") ?? 600)));
      process.stdout.write(rows.at(-1) + "\n");
    } finally {
      await target.stop();
    }
  }
} else {
  await throughput();
}
