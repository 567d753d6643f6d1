// `credgov policy test PATH...`, like `opa test`: every `test_*` rule of the loaded modules is a
// test, evaluated without input against the loaded data. A test passes when its value is `true`
// (any other value, undefined or an error fails it); a second definition of a test name is its
// own test (`test_x#01`); a parametrised test (`test_x[tc.note] if { some tc in cases; ... }`)
// reports one sub-result per case it enters; `todo_test_*` rules are SKIPPED. Tests run in a
// worker thread so that one exceeding the timeout is stopped; print() output is kept per test.
import module from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { compileRego, type RegoVersion } from "../rego/index.ts";
import { loadPaths } from "./load-paths.ts";
import type { LoadRequest, TestRequest, TestResponse } from "./test-worker.ts";
import { loadBackEnd } from "./wasm-backend.ts";

export type TestStatus = "PASS" | "FAIL" | "ERROR" | "SKIPPED";

export interface SubResult {
  /** The case's key, as OPA names it (the key value, or the key values joined by "."). */
  name: string;
  status: "PASS" | "FAIL";
}

export interface TestOutcome {
  /** `data.pkg.test_name` (`data.pkg.test_name#01` for a second definition). */
  name: string;
  package: string;
  /** The test rule's file (relative to the working directory, as given). */
  file: string;
  status: TestStatus;
  durationMs: number;
  error?: string;
  /** print() output of the test, one line per call. */
  output: string[];
  subResults?: SubResult[];
  /** --bench: mean time per evaluation and how many evaluations it averages. */
  bench?: { nsPerOp: number; iterations: number };
}

export interface CoverageReport {
  files: Record<string, { covered: number[]; notCovered: number[]; coverage: number }>;
  coverage: number;
}

export interface TestReport {
  outcomes: TestOutcome[];
  coverage?: CoverageReport;
}

export interface TestOptions {
  /** Only tests whose full name (data.pkg.test_x) matches. */
  run?: RegExp;
  /** Per test, like `opa test --timeout` (default 5 s). */
  timeoutMs?: number;
  coverage?: boolean;
  bench?: boolean;
  regoVersion?: RegoVersion;
  allowBuiltins?: ReadonlySet<string>;
  /** Base-name patterns of files and folders to skip (OPA's --ignore). */
  ignore?: readonly string[];
  /** Each path is a bundle folder (OPA's -b): only data.json / data.yaml files are data. */
  bundle?: boolean;
  /** Told where a data file is read differently from its text (a YAML file's later documents, a key set twice). */
  warn?: (message: string) => void;
  /** Compile errors reported before OPA's "error limit reached" (default 10, 0 keeps all). */
  maxErrors?: number;
}

export const DEFAULT_TEST_TIMEOUT_MS = 5000;
/** --bench runs each test for about this long. */
const BENCH_BUDGET_MS = 200;

export function isTestRule(rulePath: string, kind: string): boolean {
  const last = rulePath.split("/").pop() ?? "";
  return kind !== "function" && last.startsWith("test_");
}

export function isTodoTestRule(rulePath: string, kind: string): boolean {
  const last = rulePath.split("/").pop() ?? "";
  return kind !== "function" && last.startsWith("todo_test_");
}

// `.ts` when run from a checkout, `.js` in the built package.
const workerUrl = new URL(`./test-worker${import.meta.url.slice(import.meta.url.lastIndexOf("."))}`, import.meta.url);

interface TestWorker {
  worker: Worker;
  /** Sends the compiled module; resolves once the worker has loaded it. */
  load(wasm: Uint8Array, data: Record<string, unknown>): Promise<Worker>;
}

/**
 * The worker's start-up code. Node's compile cache (bin/credgov.js turns it on) is per thread: the
 * worker turns it on too before it loads its modules, which otherwise are type-stripped and
 * compiled again on every run (about 1.5 s of CPU for the SDK and the host builtins).
 */
function workerSource(): string {
  const cacheDir = module.getCompileCacheDir?.();
  const enableCache = cacheDir ? `require("node:module").enableCompileCache?.(${JSON.stringify(cacheDir)});` : "";
  return `${enableCache}import(${JSON.stringify(workerUrl.href)});`;
}

/** Starts a worker now (it imports the SDK meanwhile); the module follows with load(). */
function spawnWorker(): TestWorker {
  const worker = new Worker(workerSource(), { eval: true });
  let early: Error | undefined;
  const onEarlyError = (err: Error) => {
    early = err;
  };
  worker.on("error", onEarlyError);
  const load = (wasm: Uint8Array, data: Record<string, unknown>) =>
    new Promise<Worker>((resolve, reject) => {
      worker.off("error", onEarlyError);
      if (early) return reject(early);
      worker.once("error", reject);
      worker.once("message", (msg) => {
        worker.off("error", reject);
        if (msg === "ready") resolve(worker);
        else reject(new Error(`unexpected first message from the test worker: ${JSON.stringify(msg)}`));
      });
      const request: LoadRequest = { load: { wasm, data } };
      worker.postMessage(request);
    });
  return { worker, load };
}

async function startWorker(wasm: Uint8Array, data: Record<string, unknown>): Promise<Worker> {
  return spawnWorker().load(wasm, data);
}

/** Evaluates one test in the worker; resolves with "timeout" when it runs past the deadline. */
function evaluate(worker: Worker, request: TestRequest, timeoutMs: number): Promise<TestResponse | "timeout" | Error> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done("timeout"), timeoutMs);
    const onMessage = (msg: TestResponse) => {
      if (msg.id === request.id) done(msg);
    };
    const onError = (err: Error) => done(err);
    const done = (r: TestResponse | "timeout" | Error) => {
      clearTimeout(timer);
      worker.off("message", onMessage);
      worker.off("error", onError);
      resolve(r);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.postMessage(request);
  });
}

function keyName(key: unknown[]): string {
  return key.map((k) => (typeof k === "string" ? k : JSON.stringify(k))).join(".");
}

/** The value at a key path of a parametrised test's object, if every step exists. */
function valueAt(value: unknown, key: unknown[]): unknown {
  let cur: unknown = value;
  for (const k of key) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[typeof k === "string" ? k : JSON.stringify(k)];
  }
  return cur;
}

function judge(response: TestResponse, parametrised: boolean): Pick<TestOutcome, "status" | "error" | "subResults"> {
  if (response.error !== undefined) return { status: "ERROR", error: response.error };
  if (!parametrised) return { status: response.defined && response.value === true ? "PASS" : "FAIL" };
  const seen = new Set<string>();
  const subResults: SubResult[] = [];
  for (const key of response.cases) {
    const name = keyName(key);
    if (seen.has(name)) continue;
    seen.add(name);
    subResults.push({ name, status: valueAt(response.value, key) === true ? "PASS" : "FAIL" });
  }
  const passed = subResults.length > 0 && subResults.every((s) => s.status === "PASS");
  return { status: passed ? "PASS" : "FAIL", subResults };
}

export async function runPolicyTests(paths: string[], options: TestOptions = {}): Promise<TestReport> {
  const loaded = loadPaths(paths, { ignore: options.ignore, bundle: options.bundle, warn: options.warn });
  // Started before the compile so that the worker's start-up runs alongside it.
  const early = spawnWorker();
  try {
    return await compileAndRun(loaded, options, early);
  } finally {
    await early.worker.terminate();
  }
}

async function compileAndRun(loaded: ReturnType<typeof loadPaths>, options: TestOptions, early: TestWorker): Promise<TestReport> {
  const selected = (p: string): boolean => !options.run || options.run.test(`data.${p.replaceAll("/", ".")}`);
  const ruleInfo = new Map<string, { kind: string; file: string }>();
  let skipped: TestOutcome[] = [];
  const compiled = compileRego({
    modules: loaded.modules,
    regoVersion: options.regoVersion,
    enablePrint: true,
    tests: true,
    coverage: options.coverage,
    allowBuiltins: options.allowBuiltins,
    maxErrors: options.maxErrors,
    selectEntrypoints: (rules) => {
      for (const r of rules) ruleInfo.set(r.path, { kind: r.kind, file: r.file });
      skipped = rules
        .filter((r) => isTodoTestRule(r.path, r.kind) && selected(r.path))
        .map((r) => outcomeBase(r.path, r.file, "SKIPPED"));
      return rules
        .filter((r) => isTestRule(r.path, r.kind) && selected(r.path))
        .map((r) => r.path)
        .sort();
    },
  });
  const report: TestReport = { outcomes: [] };
  if (compiled.entrypoints.length > 0) {
    const backEnd = await loadBackEnd({ optimizer: options.bench === true, hostBuiltins: false });
    // Each test runs once: binaryen's optimizer would take longer than the evaluations it speeds
    // up. --bench measures the optimized module that `policy build` would ship.
    const { wasm } = backEnd.compilePlan(compiled.plan, { optimize: options.bench === true });
    const timeoutMs = options.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
    const covered = new Map<string, Set<number>>();
    let worker = await early.load(wasm, loaded.data);
    try {
      let id = 0;
      for (const ep of compiled.entrypoints) {
        const info = ruleInfo.get(ep) ?? { kind: "complete", file: "" };
        const outcome = outcomeBase(ep, info.file, "FAIL");
        let response = await evaluate(worker, { id: id++, entrypoint: ep, repeat: 0 }, timeoutMs);
        if (options.bench && typeof response === "object" && !(response instanceof Error) && response.error === undefined) {
          const iterations = Math.max(1, Math.min(100_000, Math.floor(BENCH_BUDGET_MS / Math.max(response.durationMs, 0.001))));
          const benched = await evaluate(worker, { id: id++, entrypoint: ep, repeat: iterations }, timeoutMs + BENCH_BUDGET_MS * 10);
          if (typeof benched === "object" && !(benched instanceof Error) && benched.nsPerOp !== undefined) {
            outcome.bench = { nsPerOp: benched.nsPerOp, iterations };
            response = benched;
          }
        }
        if (response === "timeout" || response instanceof Error) {
          outcome.status = "ERROR";
          outcome.error = response === "timeout" ? `test timed out after ${timeoutMs} ms (--timeout)` : `test worker failed: ${response.message}`;
          outcome.durationMs = response === "timeout" ? timeoutMs : 0;
          await worker.terminate();
          worker = await startWorker(wasm, loaded.data);
        } else {
          Object.assign(outcome, judge(response, info.kind === "object"));
          outcome.durationMs = response.durationMs;
          outcome.output = response.output;
          for (const [file, row] of response.covered) {
            const rows = covered.get(file) ?? new Set<number>();
            rows.add(row);
            covered.set(file, rows);
          }
        }
        report.outcomes.push(outcome);
      }
    } finally {
      await worker.terminate();
    }
    if (options.coverage) report.coverage = coverageReport(compiled.probes ?? new Map(), covered);
  }
  report.outcomes.push(...skipped);
  return report;
}

function outcomeBase(rulePath: string, file: string, status: TestStatus): TestOutcome {
  const parts = rulePath.split("/");
  return {
    name: `data.${parts.join(".")}`,
    package: `data.${parts.slice(0, -1).join(".")}`,
    file: file ? path.normalize(file) : "",
    status,
    durationMs: 0,
    output: [],
  };
}

/** Lines with a probe that evaluation reached vs never reached, per file (OPA's coverage shape). */
function coverageReport(probes: Map<string, Set<number>>, covered: Map<string, Set<number>>): CoverageReport {
  const files: CoverageReport["files"] = {};
  let total = 0;
  let hit = 0;
  for (const [file, rows] of [...probes].sort(([a], [b]) => a.localeCompare(b))) {
    const reached = covered.get(file) ?? new Set<number>();
    const all = [...rows].sort((a, b) => a - b);
    const c = all.filter((r) => reached.has(r));
    const n = all.filter((r) => !reached.has(r));
    total += all.length;
    hit += c.length;
    files[file] = { covered: c, notCovered: n, coverage: all.length === 0 ? 100 : round2((100 * c.length) / all.length) };
  }
  return { files, coverage: total === 0 ? 100 : round2((100 * hit) / total) };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
