// Evaluates a snapshot with the compiled policy library (and optionally an OPA-built bundle)
// through the official @open-policy-agent/opa-wasm SDK, then joins results with the catalog.
// The snapshot is serialised once and handed to every entrypoint as the same buffer.
import type { Catalog } from "../catalog/types.ts";
import type { Snapshot } from "../../snapshot/types.ts";
import { readBundle } from "../bundle/bundle.ts";
import { UserInputError } from "../../errors.ts";
import { buildLibrary } from "./build-library.ts";
import type { Finding } from "./finding.ts";
import { joinWithCatalog } from "./join-catalog.ts";
import { builtinPoliciesDir, combinedEntrypoint, readPolicyLibrary } from "./policy-sources.ts";
import { PolicyWorker } from "./policy-worker.ts";
import { checkRegoResult, type RegoResult } from "./rego-result.ts";

// The thresholds the policies read are the config's (credgov.yaml `thresholds`).
export type { Thresholds } from "../../config/types.ts";
import type { Thresholds } from "../../config/types.ts";

export interface EvaluateOptions {
  catalog: Catalog;
  thresholds?: Partial<Thresholds>;
  /** Evaluation time (RFC 3339); default: the snapshot's generatedAt, for reproducible findings. */
  now?: string;
  /** Evaluate credgov's built-in library (default true). */
  builtin?: boolean;
  /** Extra policy directories compiled together with the built-in library. */
  policyDirs?: string[];
  /** An OPA-built bundle.tar.gz evaluated alongside. */
  bundle?: string;
  warn?: (message: string) => void;
  verbose?: (message: string) => void;
  /** Ceiling of a policy module's memory in MiB (default 4096, the most a wasm32 module can address). */
  maxMemoryMiB?: number;
  /**
   * Deadline of one policy package's evaluation in milliseconds (default 10 minutes). A package
   * past it is stopped and its controls are `error`; the other packages still evaluate.
   */
  packageDeadlineMs?: number;
}

export const DEFAULT_PACKAGE_DEADLINE_MS = 10 * 60 * 1000;

export interface EvaluationStats {
  policyHash: string | null;
  compiledFromCache: boolean;
  entrypoints: string[];
  compileSeconds: number;
  evaluateSeconds: number;
}

export interface Evaluation {
  findings: Finding[];
  stats: EvaluationStats;
}

interface LoadedLibrary {
  policy: PolicyWorker | null;
  entrypoints: string[];
  loadError?: string;
}

/**
 * A snapshot already serialised (the bytes of snapshot.json, which must hold a valid
 * snapshot) plus its sources: lets a caller evaluate a large estate without keeping the
 * parsed snapshot and a second serialisation of it in memory at the same time.
 */
export interface SerializedSnapshot {
  bytes: Uint8Array;
  sources: Snapshot["sources"];
}

export async function evaluateSnapshot(snapshot: Snapshot | SerializedSnapshot, options: EvaluateOptions): Promise<Evaluation> {
  // Every loaded module lives in a worker thread; none may outlive the call, whatever happens.
  const libraries: LoadedLibrary[] = [];
  try {
    return await evaluateWith(libraries, snapshot, options);
  } finally {
    await Promise.all(libraries.map((l) => l.policy?.close()));
  }
}

async function evaluateWith(libraries: LoadedLibrary[], snapshot: Snapshot | SerializedSnapshot, options: EvaluateOptions): Promise<Evaluation> {
  const warn = options.warn ?? (() => {});
  const verbose = options.verbose ?? (() => {});
  const data = { credgov: { config: { thresholds: options.thresholds ?? {} }, ...(options.now ? { now: options.now } : {}) } };
  // One serialisation for all entrypoints: the SDK copies an ArrayBuffer into the module as is.
  const inputBuffer = toArrayBuffer("bytes" in snapshot ? snapshot.bytes : new TextEncoder().encode(JSON.stringify(snapshot)));
  const memory = memoryLimits(inputBuffer.byteLength, options.maxMemoryMiB);
  const compileStart = performance.now();
  let policyHash: string | null = null;
  let compiledFromCache = false;

  const dirs = [...(options.builtin === false ? [] : [builtinPoliciesDir]), ...(options.policyDirs ?? [])];
  if (dirs.length > 0) {
    const library = readPolicyLibrary(dirs);
    let built;
    try {
      built = await buildLibrary(library);
    } catch (error) {
      // Errors in the user's Rego stop the run (exit 2); a compiler failure on the library
      // turns every control into `error` instead of a crash or, worse, silence.
      if (error instanceof UserInputError) throw error;
      const reason = `the policy library could not be compiled: ${error instanceof Error ? error.message : String(error)}`;
      libraries.push({ policy: null, entrypoints: library.entrypoints, loadError: reason });
    }
    if (built) {
      policyHash = built.hash;
      compiledFromCache = built.fromCache;
      verbose(`policy library ${built.hash.slice(0, 12)} (${built.entrypoints.length - 1} packages, ${built.fromCache ? "cached" : "compiled"})`);
      libraries.push(await load(built.wasm, built.entrypoints, data, memory, inputBuffer));
    }
  }
  if (options.bundle) {
    let bundle;
    try {
      bundle = await readBundle(options.bundle);
    } catch (error) {
      throw new UserInputError(`cannot read the policy bundle: ${error instanceof Error ? error.message : String(error)}`, { file: options.bundle, field: "--bundle" });
    }
    const merged = { ...bundle.data, credgov: { ...(bundle.data.credgov as object | undefined), ...data.credgov } };
    const loaded = await load(bundle.wasm, null, merged, memory, inputBuffer);
    // The user chose this bundle: one that cannot run is an input error, not a quiet set of errors.
    if (!loaded.policy) throw new UserInputError(`unusable policy bundle: ${loaded.loadError ?? "policy.wasm could not be loaded"}`, { file: options.bundle, field: "--bundle" });
    if (loaded.entrypoints.length === 0) throw new UserInputError("the bundle's policy.wasm has no entrypoint ending in /results (build it with opa build -t wasm -e <package>/results)", { file: options.bundle, field: "--bundle" });
    libraries.push(loaded);
  }
  const compileSeconds = (performance.now() - compileStart) / 1000;

  const evaluateStart = performance.now();
  const results: RegoResult[] = [];
  const failedPackages = new Map<string, string>();
  const entrypoints: string[] = [];
  const collect = (entrypoint: string, values: unknown) => {
    let rejected = 0;
    for (const value of Array.isArray(values) ? values : []) {
      const checked = checkRegoResult(value);
      if (typeof checked === "string") {
        rejected++;
        if (rejected === 1) warn(`${entrypoint}: ignored a malformed result (${checked})`);
      } else {
        results.push(checked);
      }
    }
  };
  const deadlineMs = options.packageDeadlineMs ?? DEFAULT_PACKAGE_DEADLINE_MS;
  for (const library of libraries) {
    const packages = library.entrypoints.filter((e) => e !== combinedEntrypoint);
    entrypoints.push(...packages);
    const policy = library.policy;
    if (!policy) {
      for (const ep of packages) failedPackages.set(packageOf(ep), library.loadError ?? "policy module could not be loaded");
      continue;
    }
    if (library.entrypoints.includes(combinedEntrypoint)) {
      // All packages in one call parse the input once; its deadline is the packages' together.
      const started = performance.now();
      const combined = await policy.evaluate(combinedEntrypoint, deadlineMs * packages.length);
      if (combined.kind === "result") {
        const values = combined.value as Record<string, unknown> | undefined;
        for (const ep of packages) collect(ep, values?.[ep]);
        verbose(`${packages.length} policy packages evaluated in ${seconds(started)} s`);
        continue;
      }
      verbose(`combined evaluation ${combined.kind === "deadline" ? "ran past its deadline" : `failed (${combined.message})`}; evaluating each package alone`);
    }
    for (const entrypoint of packages) {
      const started = performance.now();
      const outcome = await policy.evaluate(entrypoint, deadlineMs);
      if (outcome.kind === "result") {
        collect(entrypoint, outcome.value);
        verbose(`${entrypoint} evaluated in ${seconds(started)} s`);
      } else if (outcome.kind === "deadline") {
        failedPackages.set(packageOf(entrypoint), `evaluation of ${entrypoint} was stopped after ${formatDeadline(deadlineMs)} (the per-package evaluation deadline; raise it with --eval-timeout)`);
      } else {
        failedPackages.set(packageOf(entrypoint), `evaluation of ${entrypoint} failed: ${describeEvaluationError(outcome.message, memory)}`);
      }
    }
  }
  for (const [pkg, reason] of failedPackages) warn(`${pkg}: ${reason}; its controls are reported as error`);
  const sourceKinds = new Map(snapshot.sources.map((s) => [s.id, s.kind as string]));
  const evaluatedPackages = new Set(entrypoints.map(packageOf));
  const findings = joinWithCatalog({ catalog: options.catalog, results, failedPackages, evaluatedPackages, sourceKinds, warn });
  return {
    findings,
    stats: { policyHash, compiledFromCache, entrypoints, compileSeconds, evaluateSeconds: (performance.now() - evaluateStart) / 1000 },
  };
}

// Growing Wasm memory a page at a time while evaluating a large estate costs far more than
// the evaluation itself (measured: 19 s instead of 1.3 s at 10k accounts), so the memory
// starts at a size proportional to the input. Untouched pages cost address space, not RAM.
const wasmPage = 65536;
// One page short of the 4 GiB a wasm32 module can address: a runtime computing the memory
// size in bytes as a u32 would see exactly 4 GiB as 0.
const maxInitialPages = 65535;

/** Initial size proportional to the input, and a ceiling: past it the module's allocation fails with an error. */
function memoryLimits(inputBytes: number, maxMemoryMiB = 4096): { initial: number; maximum: number } {
  const maximum = Math.max(1, Math.min(65536, Math.floor((maxMemoryMiB * 1024 * 1024) / wasmPage)));
  const pages = Math.ceil((inputBytes * 12) / wasmPage) + 256;
  return { initial: Math.min(maxInitialPages, pages, maximum), maximum };
}

/** Why an evaluation failed, with the limit that explains it when it is the memory ceiling. */
function describeEvaluationError(message: string, memory: { maximum: number }): string {
  if (/out of memory|memory access out of bounds|allocation|grow/i.test(message)) {
    return `${message} (the evaluation memory ceiling is ${Math.round((memory.maximum * wasmPage) / 2 ** 20)} MiB; raise it with --eval-memory)`;
  }
  return message;
}

// The SDK copies an ArrayBuffer into the module; a Buffer from readFile may be a view into a
// larger pool, so hand over exactly its bytes.
function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  // Buffer#slice is a view of the same memory, not a copy: copy exactly the bytes of the view.
  return Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer;
}

function packageOf(entrypoint: string): string {
  return entrypoint.replace(/\/results$/, "").replaceAll("/", ".");
}

const seconds = (since: number): string => ((performance.now() - since) / 1000).toFixed(2);

function formatDeadline(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

async function load(wasm: Uint8Array, entrypoints: string[] | null, data: object, memory: { initial: number; maximum: number }, input: ArrayBuffer): Promise<LoadedLibrary> {
  try {
    const policy = await PolicyWorker.start({ wasm, data, memory, input });
    const wanted = entrypoints ?? policy.entrypoints.filter((e) => e.endsWith("/results")).sort();
    return { policy, entrypoints: wanted };
  } catch (error) {
    return { policy: null, entrypoints: entrypoints ?? [], loadError: `policy module could not be loaded: ${error instanceof Error ? error.message : String(error)}` };
  }
}
