// Evaluates a snapshot with the compiled policy library (and optionally an OPA-built bundle)
// through the official @open-policy-agent/opa-wasm SDK, then joins results with the catalog.
// The snapshot is serialised once and handed to every entrypoint as the same buffer.
import { availableParallelism } from "node:os";
import type { Catalog } from "../catalog/types.ts";
import type { Snapshot } from "../../snapshot/types.ts";
import { readBundle } from "../bundle/bundle.ts";
import { UserInputError } from "../../errors.ts";
import { buildLibrary } from "./build-library.ts";
import type { Finding } from "./finding.ts";
import { joinWithCatalog } from "./join-catalog.ts";
import { batchEntrypoint, builtinPoliciesDir, combinedEntrypoint, engineEntrypoints, readPolicyLibrary } from "./policy-sources.ts";
import { RuleIndex, type InputProjection } from "./input-projection.ts";
import { describeEvaluationError, memoryLimits, toArrayBuffer } from "./policy-module.ts";
import { evaluateInBatches, startBatchPool, type BatchPool } from "./sharded-evaluation.ts";
import { subjectArrays, subjectBatches, subjectDigestOptions, subjectReferences, type BatchPlanOptions, type SubjectBatches } from "./subject-batches.ts";
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
  /**
   * Evaluate the built-in library in batches of about this many subjects (accounts,
   * credentials, reset paths, identities) in worker threads (sharded-evaluation.ts); 0:
   * never. Default: batches of 12,500 for a snapshot of 16 MiB or more that has more
   * subjects than that.
   */
  batchSubjects?: number;
  /** Worker threads of a batched evaluation (default: the machine's parallelism, at most 4). */
  workers?: number;
  /**
   * Hand the batches of a sharded evaluation only the input members the library reads
   * (input-projection.ts; default true). False: every batch carries every member.
   */
  project?: boolean;
  /**
   * Also cut the batches' elements down to the keys the library names (default false). It
   * saves the module about a fifth of the bytes it parses, but cutting costs the workers more
   * CPU than the module saves (bench/scan/README.md), so elements go whole unless memory is
   * what matters.
   */
  projectElements?: boolean;
}

export const DEFAULT_PACKAGE_DEADLINE_MS = 10 * 60 * 1000;

export interface EvaluationStats {
  policyHash: string | null;
  compiledFromCache: boolean;
  entrypoints: string[];
  compileSeconds: number;
  evaluateSeconds: number;
  /** Batches of a sharded evaluation (absent when the snapshot was evaluated whole). */
  batches?: number;
  /** The most heap one batch's evaluation used in its policy module, input included (sharded evaluation only). */
  peakBatchHeapBytes?: number;
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
  const inputBytes = "bytes" in snapshot ? snapshot.bytes : new TextEncoder().encode(JSON.stringify(snapshot));
  const memory = memoryLimits(inputBytes.byteLength, options.maxMemoryMiB);
  // Batches (of the built-in library alone) are planned once the workers are starting.
  const mayBatch = options.builtin !== false && !options.policyDirs?.length && !options.bundle && batchingConsidered(inputBytes, options.batchSubjects);
  let batches: SubjectBatches | undefined;
  const workers = options.workers ?? Math.min(4, availableParallelism());
  // Started before the library is read: the workers load their code meanwhile, ready to help
  // locate the snapshot's elements.
  let pool: BatchPool | undefined = mayBatch ? startBatchPool(inputBytes, { workers, maxMemoryMiB: options.maxMemoryMiB }) : undefined;
  // Copied for the whole-snapshot modules only: a batched evaluation cuts batches from the bytes.
  let wholeInput: ArrayBuffer | undefined;
  const inputBuffer = () => (wholeInput ??= toArrayBuffer(inputBytes));
  let batched: { packages: string[] } | undefined;
  let batchCount: number | undefined;
  let peakBatchHeapBytes: number | undefined;
  const compileStart = performance.now();
  let policyHash: string | null = null;
  let compiledFromCache = false;

  const dirs = [...(options.builtin === false ? [] : [builtinPoliciesDir]), ...(options.policyDirs ?? [])];
  try {
    if (dirs.length > 0) await readLibrary();
  } catch (error) {
    await pool?.close();
    throw error;
  }
  async function readLibrary(): Promise<void> {
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
      verbose(`policy library ${built.hash.slice(0, 12)} (${built.entrypoints.filter((e) => !engineEntrypoints.has(e)).length} packages, ${built.fromCache ? "cached" : "compiled"})`);
      if (pool) {
        const rules = options.project === false ? undefined : new RuleIndex(library.modules);
        const projected = (entrypoint: string): InputProjection | undefined => {
          const p = rules?.projection([entrypoint]);
          return p && { members: p.members, keys: options.projectElements ? p.keys : null };
        };
        const batch = projected(batchEntrypoint);
        const estate = projected(combinedEntrypoint);
        const projections = batch && estate && { batch, estate };
        pool.setup({ wasm: built.wasm, data, ...(projections ? { projections } : {}) });
        try {
          // The workers help locate the elements before they evaluate batches.
          const located = await pool.layout(new Set(subjectArrays), { digests: { names: subjectReferences, options: subjectDigestOptions } });
          verbose(`snapshot located in ${located.chunks} chunks, ${located.helped} of them by the batch workers`);
          batches = planBatches(inputBytes, options.batchSubjects, { batchesMultipleOf: workers, onLayout: (batchBytes) => pool!.prepare(batchBytes), layout: located.layout });
        } finally {
          if (!batches) await pool.close();
        }
        if (batches) {
          if (projections) verbose(`batches carry input members ${describeProjection(projections.batch)}`);
          batched = { packages: built.entrypoints.filter((e) => !engineEntrypoints.has(e)) };
        } else pool = undefined;
      }
      if (!batched) libraries.push(await load(built.wasm, built.entrypoints, data, memory, inputBuffer()));
    } else if (pool) {
      await pool.close();
      pool = undefined;
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
    const loaded = await load(bundle.wasm, null, merged, memory, inputBuffer());
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
  if (batched && batches && pool) {
    const outcome = await evaluateInBatches(batches, pool, { catalog: options.catalog, packages: batched.packages, data, batchSubjects: batchSize(options.batchSubjects), warn, verbose });
    // One by one: a 1M-account estate has hundreds of thousands of results, past the call stack as arguments.
    for (const r of outcome.results) results.push(r);
    for (const [pkg, reason] of outcome.failedPackages) failedPackages.set(pkg, reason);
    entrypoints.push(...batched.packages);
    batchCount = outcome.batches;
    peakBatchHeapBytes = outcome.peakBatchHeapBytes;
  }
  for (const library of libraries) {
    const packages = library.entrypoints.filter((e) => !engineEntrypoints.has(e));
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
        failedPackages.set(packageOf(entrypoint), `evaluation of ${entrypoint} was stopped after ${formatDeadline(deadlineMs)} (the per-package evaluation deadline; raise it with --eval-timeout or policies.evalTimeout in credgov.yaml)`);
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
    stats: { policyHash, compiledFromCache, entrypoints, compileSeconds, evaluateSeconds: (performance.now() - evaluateStart) / 1000, ...(batchCount !== undefined ? { batches: batchCount, peakBatchHeapBytes } : {}) },
  };
}

// The module works in a heap that grows with its batch; a small heap keeps to the caches.
// Measured at 100k accounts (bench/scan/README.md, process CPU): 100,000 subjects per batch
// 3.8-4.0 s, 25,000 3.4-3.6 s, 12,500 3.1-3.4 s, 6,250 3.1-3.2 s.
const defaultBatchSubjects = 12_500;
// Below this size a snapshot is evaluated whole, unless a batch size is asked for: one
// module holds it easily.
const smallSnapshotBytes = 16 * 2 ** 20;

function batchSize(batchSubjects: number | undefined): number {
  return batchSubjects && batchSubjects > 0 ? batchSubjects : defaultBatchSubjects;
}

/** Whether the snapshot may be evaluated in batches (planBatches decides). */
function batchingConsidered(bytes: Uint8Array, batchSubjects: number | undefined): boolean {
  if (batchSubjects === 0) return false;
  return batchSubjects !== undefined || bytes.byteLength >= smallSnapshotBytes;
}

/** Batches for a sharded evaluation, or undefined when the snapshot is evaluated whole. */
function planBatches(bytes: Uint8Array, batchSubjects: number | undefined, options: BatchPlanOptions): SubjectBatches | undefined {
  const plan = subjectBatches(bytes, batchSize(batchSubjects), options);
  // An explicit batch size always batches (even into one batch); the default only when it helps.
  return batchSubjects !== undefined || plan.count > 1 ? plan : undefined;
}

function describeProjection(p: InputProjection): string {
  return `${p.members ? [...p.members].sort().join(", ") : "all"} (elements: ${p.keys ? `${p.keys.size} keys the policies name` : "whole"})`;
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
