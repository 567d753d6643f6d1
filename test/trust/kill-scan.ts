// The kill test: `credgov scan --demo` SIGKILLed at random points (seeded), into one output
// folder again and again. After every kill the folder must hold no truncated file and no mix of
// runs: every visible file parses and belongs to one run (the previous complete run, whole or
// partly moved aside; or the killed run, partly written), no temp file is visible as an output;
// and once the next run has recovered the folder it is one complete run again.
//
//   node test/trust/kill-scan.ts [--trials 50] [--seed 20261205]
//
// prints the figures; test/trust/kill-scan.test.ts runs a few trials of the same code in CI.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { lockOutputFolder } from "../../src/io/output-lock.ts";
import { isRunBookkeeping, previousRunFolder, readRunManifest, recoverOutputFolder, runFolderProblems, runJournalName, sha256, type RunManifest } from "../../src/io/run-manifest.ts";
import { seededRandom } from "../seeded-random.ts";

const bin = fileURLToPath(new URL("../../bin/credgov.js", import.meta.url));

export type FolderState = "complete" | "killed run, partly written" | "previous run, partly moved" | "empty";

export interface Inspection {
  state: FolderState;
  runId?: string;
  problems: string[];
}

export interface KillFigures {
  trials: number;
  seed: number;
  /** Trials where the scan was still running when the kill came. */
  killed: number;
  /** What the folder looked like right after each kill (or completion). */
  states: Record<FolderState, number>;
  /** Folders that were truncated, mixed, or left a temp file visible; or did not recover. */
  bad: number;
  problems: string[];
  /** Milliseconds of the first uncut scan (kill points are drawn over the last uncut one). */
  scanMs: number;
}

function runScan(out: string, killAfterMs?: number): Promise<{ killed: boolean; ms: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [bin, "scan", "--demo", "--out", out, "--no-history"], { stdio: "ignore", env: { ...process.env, NO_COLOR: "1" } });
  let killed = false;
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => (killed = child.kill("SIGKILL")), killAfterMs);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal === null && code !== 0 && code !== 1) reject(new Error(`scan --demo exited ${code}`));
      else resolve({ killed: signal === "SIGKILL" && killed, ms: Date.now() - started });
    });
  });
}

/** Visible output files: regular files under `dir` that are not credgov's bookkeeping. */
function visibleFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .filter((p) => !p.startsWith(`${previousRunFolder}/`) && !isRunBookkeeping(p))
    .sort();
}

/** A whole file of its format, not a cut one. */
function parseProblem(file: string): string | undefined {
  const text = readFileSync(file, "utf8");
  try {
    if (/\.(json|sarif)$/.test(file)) JSON.parse(text);
    else if (file.endsWith(".xml")) {
      if (!text.trimEnd().endsWith("</testsuites>")) return "is cut (no closing </testsuites>)";
    } else if (text.length === 0) return "is empty";
  } catch (error) {
    return `does not parse: ${(error as Error).message}`;
  }
  return undefined;
}

function journalEntries(dir: string): { runId: string; files: Map<string, string> } | undefined {
  const path = join(dir, runJournalName);
  if (!existsSync(path)) return undefined;
  const [head, ...lines] = readFileSync(path, "utf8").split("\n");
  let runId: string;
  try {
    runId = (JSON.parse(head) as { runId: string }).runId;
  } catch {
    return { runId: "(no header)", files: new Map() };
  }
  const files = new Map<string, string>();
  for (const line of lines) {
    try {
      const [p, h] = JSON.parse(line) as [string, string];
      files.set(p, h);
    } catch {
      // a line cut by the kill
    }
  }
  return { runId, files };
}

/** The folder as a reader finds it right after a kill. */
export async function inspectFolder(dir: string): Promise<Inspection> {
  const problems: string[] = [];
  const visible = visibleFiles(dir);
  for (const name of readdirSync(dir)) if (!name.startsWith(".") && name.endsWith(".tmp")) problems.push(`${name}: a temp file visible as an output`);
  const hashes = new Map<string, string>();
  for (const p of visible) {
    const problem = parseProblem(join(dir, p));
    if (problem) problems.push(`${p} ${problem}`);
    hashes.set(p, await sha256(join(dir, p)));
  }
  const all = (listed: Map<string, string> | Record<string, string>, paths: string[]) =>
    paths.every((p) => (listed instanceof Map ? listed.get(p) : listed[p]) === hashes.get(p));
  const manifest = await readRunManifest(dir).catch(() => undefined);
  const journal = journalEntries(dir);
  if (manifest && !(journal && journal.runId !== manifest.runId)) {
    const outputs = visible.filter((p) => p !== "run.json");
    if (!all(manifest.files, outputs)) problems.push(`run.json of run ${manifest.runId} does not match every visible file (mixed)`);
    for (const p of Object.keys(manifest.files)) if (!hashes.has(p)) problems.push(`${p}: listed in run.json, missing`);
    return { state: "complete", runId: manifest.runId, problems };
  }
  if (visible.length === 0) return { state: "empty", problems };
  if (journal && all(journal.files, visible)) return { state: "killed run, partly written", runId: journal.runId, problems };
  const previous = existsSync(join(dir, previousRunFolder, "run.json")) ? (JSON.parse(readFileSync(join(dir, previousRunFolder, "run.json"), "utf8")) as RunManifest) : undefined;
  if (previous && all(previous.files, visible)) return { state: "previous run, partly moved", runId: previous.runId, problems };
  problems.push(`visible files of more than one run, or of none recorded: ${visible.join(", ")}`);
  return { state: "empty", problems };
}

/** What the next run into the folder does first: take over the dead run's lock, undo what it left. */
async function recoverAsNextRun(dir: string): Promise<void> {
  const lock = await lockOutputFolder(dir);
  try {
    await recoverOutputFolder(dir);
  } finally {
    await lock.release();
  }
}

export async function killTrials(options: { trials: number; seed: number; log?: (line: string) => void }): Promise<KillFigures> {
  const out = mkdtempSync(join(tmpdir(), "credgov-kill-"));
  const next = seededRandom(options.seed);
  const first = await runScan(out);
  const figures: KillFigures = {
    trials: options.trials,
    seed: options.seed,
    killed: 0,
    states: { complete: 0, "killed run, partly written": 0, "previous run, partly moved": 0, empty: 0 },
    bad: 0,
    problems: [],
    scanMs: first.ms,
  };
  let complete = (await readRunManifest(out))?.runId;
  // How long an uncut scan takes here and now (the machine's load varies): the last one that finished.
  let scanMs = first.ms;
  for (let trial = 1; trial <= options.trials; trial++) {
    // Anywhere from the start to a little past the end of an uncut scan.
    const at = Math.round(next() * scanMs * 1.05);
    const { killed, ms } = await runScan(out, at);
    if (killed) figures.killed++;
    else scanMs = ms;
    const seen = await inspectFolder(out);
    figures.states[seen.state]++;
    const problems = [...seen.problems];
    await recoverAsNextRun(out);
    const after = await readRunManifest(out);
    const left = await runFolderProblems(out);
    if (!after) problems.push("no complete run after recovery");
    else if (after.runId !== complete && after.runId !== seen.runId) problems.push(`after recovery run ${after.runId}, neither the previous complete run ${complete} nor the killed one`);
    for (const p of left) problems.push(`after recovery: ${p.file} ${p.problem}`);
    if (readdirSync(out).some((n) => n.endsWith(".tmp") || n === runJournalName || n === previousRunFolder)) problems.push("after recovery: bookkeeping or temp files left");
    complete = after?.runId ?? complete;
    if (problems.length > 0) {
      figures.bad++;
      figures.problems.push(...problems.map((p) => `trial ${trial} (kill at ${at} ms): ${p}`));
    }
    options.log?.(`trial ${trial}: kill at ${at} ms, ${killed ? "killed" : "finished first"}; folder: ${seen.state}${problems.length > 0 ? `; BAD: ${problems.join("; ")}` : ""}`);
  }
  return figures;
}

if (import.meta.main) {
  const arg = (name: string, fallback: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const figures = await killTrials({ trials: arg("--trials", 50), seed: arg("--seed", 20261205), log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  process.exitCode = figures.bad === 0 ? 0 : 1;
}
