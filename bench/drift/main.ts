// Drift and history at estate scale.
//   npm run bench -- drift [--accounts=100000] [--days=365] [--keep]
// 1. Object-level diff of two snapshots of a synthetic estate (the second with accounts,
//    credentials, reset paths, identities, policies and settings added, removed and changed),
//    in a fresh process: read + validate both, diff, write drift.json/md/sarif.
// 2. History: `days` daily scans of that estate recorded (the failing findings of a real
//    evaluation, a slice resolved and new ones each day), in SQLite and in a PostgreSQL 15
//    started for the run; then, in a fresh process, per-control trend queries over all of them.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildEstate, peopleForAccounts, writeEstate } from "../estate/generate.ts";
import { collectAll } from "../../src/collectors/collect-all.ts";
import { loadConfig } from "../../src/config/load.ts";
import { failingFindings, type FailingFinding } from "../../src/drift/finding-diff.ts";
import { openHistory, type ScanRecord } from "../../src/history/index.ts";
import { loadCatalog } from "../../src/policy/catalog/load.ts";
import { evaluateSnapshot } from "../../src/policy/engine/index.ts";
import { summarizeControls } from "../../src/report/control-summary.ts";
import { readSnapshot, writeSnapshot } from "../../src/snapshot/store.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";
import { startPostgres } from "../../test/history/postgres-server.ts";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const accounts = arg("accounts", 100_000);
const days = arg("days", 365);
const keep = process.argv.includes("--keep");
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

const dir = mkdtempSync(join(tmpdir(), "credgov-bench-drift-"));
const rows: string[] = [];
try {
  process.stderr.write(`drift: generating and collecting a ${accounts}-account estate\n`);
  const estateDir = join(dir, "estate");
  await writeEstate(buildEstate({ people: peopleForAccounts(accounts), seed: 11, now: new Date("2026-11-01T00:00:00Z"), demo: false }), estateDir);
  const beforeFile = join(dir, "before.json");
  const configFile = join(estateDir, "credgov.yaml");
  const collected = await collectAll({ config: loadConfig(configFile), configFile, env: process.env });
  if (collected.incomplete.length > 0) throw new Error("collection incomplete");
  await writeSnapshot(beforeFile, collected.snapshot);

  // The second snapshot: the same estate a day later with changes of every kind.
  let snapshot: Snapshot | undefined = await readSnapshot(beforeFile);
  const afterFile = join(dir, "after.json");
  const changed = mutate(snapshot);
  await writeSnapshot(afterFile, snapshot);
  const base = { sources: snapshot.sources, counts: { accounts: snapshot.accounts.length, credentials: snapshot.credentials.length, resetPaths: snapshot.resetPaths.length, passwordPolicies: snapshot.passwordPolicies.length, identities: snapshot.identities.length } };
  snapshot = undefined;

  const diff = spawnSync(process.execPath, ["--expose-gc", here("./diff-child.ts"), beforeFile, afterFile, join(dir, "drift-out")], { stdio: ["ignore", "inherit", "inherit", "pipe"] });
  if (diff.status !== 0) throw new Error(`diff child exited ${diff.status}`);
  const d = JSON.parse(diff.output[3]!.toString()) as { accounts: number; changes: number; readSeconds: number; diffSeconds: number; writeSeconds: number; totalSeconds: number; cpuSeconds: number; maxRssBytes: number };
  rows.push(
    `| diff two snapshots (${d.accounts.toLocaleString("en")} accounts, ${(statSync(beforeFile).size / 1e6).toFixed(0)} MB each; ${d.changes.toLocaleString("en")} changes, ${changed} made) | ` +
      `read+validate ${d.readSeconds.toFixed(2)} s, diff ${d.diffSeconds.toFixed(2)} s, write ${d.writeSeconds.toFixed(2)} s | **${d.totalSeconds.toFixed(2)} s** (CPU ${d.cpuSeconds.toFixed(2)} s) | **${mib(d.maxRssBytes)}** |`,
  );

  process.stderr.write("drift: evaluating the estate for the findings to record\n");
  const evaluation = await evaluateSnapshot({ bytes: readFileSync(beforeFile), sources: base.sources }, { catalog: loadCatalog() });
  const failing = failingFindings(evaluation.findings);
  const summaries = summarizeControls(evaluation.findings);
  const controls = summaries.map((s) => s.controlId);
  const busiest = [...summaries].sort((a, b) => b.failed - a.failed)[0].controlId;
  const since = new Date(Date.parse("2026-11-01T00:00:00Z") - days * 86_400_000).toISOString();

  const pg = await startPostgres();
  try {
    for (const [name, target] of [
      ["SQLite", join(dir, "history.db")],
      ["PostgreSQL 15", pg.url],
    ] as const) {
      process.stderr.write(`drift: recording ${days} daily scans in ${name}\n`);
      const store = await openHistory({ target, field: "--history" });
      // Only store.record is timed: building each day's findings is the benchmark's own work.
      let recordSeconds = 0;
      for (let day = 0; day < days; day++) {
        const scan = dailyScan(day, days, base, summaries, failing);
        const recordStart = performance.now();
        await store.record(scan);
        recordSeconds += (performance.now() - recordStart) / 1000;
      }
      await store.close();
      const size = name === "SQLite" ? statSync(target).size : await pgSize(target);
      const trend = spawnSync(process.execPath, [here("./trend-child.ts"), target, since, busiest, ...controls.filter((c) => c !== busiest).slice(0, 4)], { stdio: ["ignore", "inherit", "inherit", "pipe"] });
      if (trend.status !== 0) throw new Error(`trend child exited ${trend.status}`);
      const t = JSON.parse(trend.output[3]!.toString()) as { points: number; firstSeconds: number; medianSeconds: number; maxSeconds: number };
      rows.push(
        `| ${name}: record ${days} scans (${failing.length.toLocaleString("en")} failing findings each, ${controls.length} controls) | ${recordSeconds.toFixed(1)} s (${((recordSeconds / days) * 1000).toFixed(0)} ms/scan), ${mib(size)} stored | | |`,
        `| ${name}: trend of one control over ${t.points} scans | first query ${(t.firstSeconds * 1000).toFixed(1)} ms, median ${(t.medianSeconds * 1000).toFixed(1)} ms | **${(t.maxSeconds * 1000).toFixed(1)} ms** (slowest of 15) | |`,
      );
    }
  } finally {
    await pg.stop();
  }
} finally {
  if (keep) process.stderr.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}
process.stdout.write("| measured | detail | time | peak RSS |\n|---|---|---:|---:|\n" + rows.join("\n") + "\n");

/** Changes of every object kind, spread over the estate; returns how many were made. */
function mutate(s: Snapshot): number {
  let n = 0;
  for (let i = 0; i < s.accounts.length; i += 97) {
    s.accounts[i].enabled = !s.accounts[i].enabled;
    n++;
  }
  const removed = new Set(s.accounts.filter((_, i) => i % 199 === 5).map((a) => a.id));
  s.accounts = s.accounts.filter((a) => !removed.has(a.id));
  n += removed.size;
  for (let i = 0; i < 500; i++) {
    s.accounts.push({ ...s.accounts[i * 7], id: `${s.accounts[i * 7].id}-new`, name: `${s.accounts[i * 7].name}-new` });
    n++;
  }
  for (let i = 0; i < s.credentials.length; i += 53) {
    s.credentials[i].lastRotated = "2026-11-02T00:00:00.000Z";
    n++;
  }
  const before = s.resetPaths.length;
  s.resetPaths = s.resetPaths.filter((_, i) => i % 301 !== 0);
  n += before - s.resetPaths.length;
  for (let i = 0; i < s.identities.length; i += 211) {
    s.identities[i].name = `${s.identities[i].name ?? "x"} (renamed)`;
    n++;
  }
  s.passwordPolicies[0].minLength = (s.passwordPolicies[0].minLength ?? 0) + 2;
  const firstSource = Object.keys(s.settings)[0];
  s.settings[firstSource] = { ...s.settings[firstSource], passwordWritebackEnabled: true };
  return n + 2;
}

/** Day `day` of the year: the real failing findings, ~2% resolved and ~2% new ones each day. */
function dailyScan(day: number, total: number, base: { sources: Snapshot["sources"]; counts: Omit<ScanRecord["counts"], "failed" | "excepted" | "passed" | "errors" | "notEvaluated"> }, summaries: ReturnType<typeof summarizeControls>, failing: FailingFinding[]): ScanRecord {
  const startedAt = new Date(Date.parse("2026-11-01T02:00:00Z") - (total - day) * 86_400_000);
  const today = failing.filter((_, i) => (i + day) % 50 !== 0);
  for (let i = 0; i < failing.length / 50; i++) {
    const f = failing[(i * 37 + day) % failing.length];
    today.push({ ...f, subjectId: `${f.subjectId}#day${day}-${i}` });
  }
  const byControl = new Map<string, FailingFinding[]>();
  for (const f of today) {
    const list = byControl.get(f.controlId);
    if (list) list.push(f);
    else byControl.set(f.controlId, [f]);
  }
  const controls = summaries.map((s) => ({ controlId: s.controlId, severity: s.severity, failed: byControl.get(s.controlId)?.length ?? 0, excepted: 0, passed: s.passed, errors: s.errors, notEvaluated: s.notEvaluated, failing: byControl.get(s.controlId) ?? [] }));
  const id = `${startedAt.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${String(day).padStart(6, "0")}`;
  return {
    id,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date(startedAt.getTime() + 60_000).toISOString(),
    toolVersion: "bench",
    host: "bench",
    configSha256: null,
    policySha256: null,
    snapshotSha256: "0".repeat(64),
    snapshotGeneratedAt: startedAt.toISOString(),
    exitCode: 1,
    sources: base.sources.map((s) => ({ id: s.id, kind: s.kind, status: s.status, counts: s.counts })),
    counts: { ...base.counts, failed: today.length, excepted: 0, passed: controls.reduce((n, c) => n + c.passed, 0), errors: 0, notEvaluated: 0 },
    controls,
  };
}

async function pgSize(url: string): Promise<number> {
  const store = await openHistory({ target: url, field: "--history" });
  const rows = await store.connection.all("SELECT pg_database_size(current_database()) AS n");
  await store.close();
  return Number(rows[0].n);
}
