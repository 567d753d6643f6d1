// Evaluates a large estate in batches of subjects, in worker threads, so that no policy
// module ever holds more than one batch: memory follows the batch size, not the estate
// (a 300k-account estate in one module needed more than the 2 GiB of Wasm memory that
// @open-policy-agent/opa-wasm can address; see bench/scan/README.md).
//
// Findings are those of one evaluation of the whole snapshot, by construction:
// 1. Each batch (subject-batches.ts: whole identities with their accounts, credentials and
//    reset paths, plus every source, policy and setting) is evaluated with
//    data.credgov.shard.role = "subjects". Per-subject results are kept as they are;
//    coverage comes back as tallies (population and failing counts per source), and the
//    library's estate_facts (the few account-derived facts estate-level controls need) as a
//    partial value.
// 2. Tallies are summed and facts merged, then the snapshot without subjects is evaluated
//    once with role "estate": coverage decides pass / not_applicable on the summed counts and
//    estate-level controls (catalog `scope: estate`) judge sources, policies and settings
//    with the merged facts. Results of estate-level controls from batches are dropped.
// 3. Results are a set in Rego: what several evaluations emit alike (a source's collection
//    error) is kept once.
import { Worker } from "node:worker_threads";
import type { Catalog } from "../catalog/types.ts";
import type { BatchReply, BatchRequest, BatchWorkerData, CompiledModule, PrepareRequest, SetupRequest } from "./batch-worker.ts";
import { mergeEstateFacts } from "./estate-facts.ts";
import { batchEntrypoint, combinedEntrypoint } from "./policy-sources.ts";
import { checkRegoResult, type RegoResult } from "./rego-result.ts";
import type { SubjectBatches } from "./subject-batches.ts";
import type { InputProjection } from "./input-projection.ts";
import { firstResultOf } from "./written-input.ts";
import { workerEnv } from "./worker-env.ts";
import { parallelLayout, type ParallelLayout, type ParallelLayoutOptions } from "./parallel-layout.ts";

export interface BatchPoolOptions {
  /** Worker threads. */
  workers: number;
  maxMemoryMiB?: number;
}

/** What the workers evaluate, known once the library is read (after the workers started). */
export interface BatchLibrary {
  /** The compiled library. */
  wasm: Uint8Array;
  /** data.credgov without the shard settings. */
  data: { credgov: Record<string, unknown> };
  /** What the batches' and the estate evaluation's entrypoints read of the input (default: everything). */
  projections?: { batch: InputProjection; estate: InputProjection };
}

export interface BatchOptions {
  catalog: Catalog;
  /** The library's package entrypoints (`credgov/reset/results`, ...). */
  packages: string[];
  /** data.credgov without the shard settings. */
  data: { credgov: Record<string, unknown> };
  /** About this many subjects (accounts, credentials, reset paths, identities) per batch. */
  batchSubjects: number;
  warn: (message: string) => void;
  verbose: (message: string) => void;
}

/** Batch workers, started before the batches are known. */
export interface BatchPool {
  /** Resolves once every worker has loaded its code (rejects when one could not start). */
  readonly workers: Promise<Worker[]>;
  /** Hands the workers the library (before prepare and the first batch). */
  setup(library: BatchLibrary): void;
  /** Lets the workers load the module and touch the memory for batches of about this many bytes. */
  prepare(batchBytes: number): void;
  /** The snapshot's layout (`arrays`' elements located, with digests of some of their members), the workers helping (parallel-layout.ts). */
  layout(arrays: ReadonlySet<string>, options?: ParallelLayoutOptions): Promise<ParallelLayout>;
  close(): Promise<void>;
}

/**
 * Starts the batch workers right away, before the library is known: they load their code
 * while the calling thread reads the library (setup), then help locate the snapshot's
 * elements (layout) and load the module while it cuts batches (subject-batches.ts).
 */
export function startBatchPool(snapshot: Uint8Array, options: BatchPoolOptions): BatchPool {
  const workerData: BatchWorkerData = {
    ...(options.maxMemoryMiB !== undefined ? { maxMemoryMiB: options.maxMemoryMiB } : {}),
    snapshot: sharedBytes(snapshot),
  };
  const started = Array.from({ length: Math.max(1, options.workers) }, () => startWorker(workerData));
  const workers = Promise.all(started.map((s) => s.ready));
  // Awaited by evaluateInBatches; a pool closed before that must not leave a rejection unhandled.
  workers.catch(() => {});
  return {
    workers,
    setup: (library) => {
      // Compiled once, synchronously (about 100 KB), and shared: every worker runs the same machine code.
      const request: SetupRequest = {
        setup: {
          wasm: compileModule(library.wasm),
          data: { credgov: { ...library.data.credgov, shard: { role: "subjects" } } },
          projections: { ...(library.projections ? { batch: library.projections.batch, estate: library.projections.estate } : {}) },
        },
      };
      for (const s of started) s.worker.postMessage(request);
    },
    prepare: (batchBytes) => {
      for (const s of started) s.worker.postMessage({ prepare: batchBytes } satisfies PrepareRequest);
    },
    layout: (arrays, layoutOptions) => parallelLayout(snapshot, arrays, started.map((s) => s.worker), layoutOptions),
    close: async () => void (await Promise.all(started.map((s) => s.worker.terminate()))),
  };
}

export interface BatchedResults {
  results: RegoResult[];
  /** Packages (dotted) whose evaluation failed, with the reason. */
  failedPackages: Map<string, string>;
  batches: number;
  /** The most heap (input included) one batch's evaluation used in a module, in bytes. */
  peakBatchHeapBytes: number;
}

type Tallies = Record<string, Record<string, [number, number]>>;

/** Evaluates the batches on the pool's workers, then the estate document; closes the pool. */
export async function evaluateInBatches(batches: SubjectBatches, pool: BatchPool, options: BatchOptions): Promise<BatchedResults> {
  const estateScoped = new Set(options.catalog.controls.filter((c) => c.scope === "estate").map((c) => c.id));
  const kept = new ResultSet();
  const tallies: Tallies = {};
  let facts: unknown = {};
  let peakBatchHeapBytes = 0;
  const failedPackages = new Map<string, string>();
  const failAll = (reason: string) => {
    for (const ep of options.packages) if (!failedPackages.has(packageOf(ep))) failedPackages.set(packageOf(ep), reason);
  };
  const keep = (entrypoint: string, values: unknown, fromBatch: boolean) => {
    let rejected = 0;
    for (const value of Array.isArray(values) ? values : []) {
      if (fromBatch && isTally(value)) {
        // Estate-level controls count their population in the estate evaluation.
        if (estateScoped.has(value.control)) continue;
        const perScope = (tallies[value.control] ??= {});
        const sum = (perScope[value.subject.source] ??= [0, 0]);
        sum[0] += value.evidence.population;
        sum[1] += value.evidence.failing;
        continue;
      }
      const checked = checkRegoResult(value);
      if (typeof checked === "string") {
        if (++rejected === 1) options.warn(`${entrypoint}: ignored a malformed result (${checked})`);
        continue;
      }
      if (fromBatch && estateScoped.has(checked.control)) continue;
      kept.add(value, checked);
    }
  };

  const started = performance.now();
  const members = batches.members;
  let workers: Worker[] = [];
  try {
    // More workers than batches: the rest stay idle.
    workers = (await pool.workers).slice(0, batches.count);
  } catch (error) {
    // A worker that could not start: every control is `error`, as for a failed batch.
    failAll(`the batch workers could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    let next = 0;
    const take = (): number | undefined => {
      // Once a batch failed, every control is `error`: the rest need not run.
      if (next >= batches.count || failedPackages.size > 0) return undefined;
      return next++;
    };
    const send = (worker: Worker, index: number) => evaluateOn(worker, { id: index, members, picked: batches.picked(index), entrypoint: batchEntrypoint });
    await Promise.all(
      workers.map(async (worker) => {
        let index = take();
        let pending = index === undefined ? undefined : send(worker, index);
        while (index !== undefined && pending) {
          const reply = await pending;
          if ("error" in reply) {
            // Every control is `error` now: no further batch is taken.
            failAll(`evaluation of batch ${index + 1} of ${batches.count} failed: ${reply.error}`);
            break;
          }
          // The worker's next batch goes out before this one's results are read: the worker
          // need not wait while this thread parses them.
          const done = index;
          index = take();
          pending = index === undefined ? undefined : send(worker, index);
          peakBatchHeapBytes = Math.max(peakBatchHeapBytes, reply.heapBytes);
          const output = firstResultOf(reply.json) as { results?: Record<string, unknown>; facts?: unknown } | undefined;
          for (const ep of options.packages) keep(ep, output?.results?.[ep], true);
          facts = mergeEstateFacts(facts, output?.facts ?? {});
          options.verbose(`batch ${done + 1} of ${batches.count} evaluated`);
        }
      }),
    );
    options.verbose(`${batches.count} batches of about ${options.batchSubjects} subjects evaluated in ${((performance.now() - started) / 1000).toFixed(2)} s by ${workers.length} workers`);

    // The estate document in a worker too: its module is loaded, the main thread's would not be.
    const worker = workers.find((w) => w.threadId !== -1);
    if (failedPackages.size === 0 && worker) {
      const reply = await evaluateOn(worker, { id: batches.count, members, entrypoint: combinedEntrypoint, data: { credgov: { ...options.data.credgov, shard: { role: "estate", tallies, facts } } } });
      if ("error" in reply) failAll(`evaluation of the estate-level controls failed: ${reply.error}`);
      else {
        const combined = firstResultOf(reply.json) as Record<string, unknown> | undefined;
        for (const ep of options.packages) keep(ep, combined?.[ep], false);
      }
    }
  } finally {
    await pool.close();
  }
  return { results: kept.results, failedPackages, batches: batches.count, peakBatchHeapBytes };
}

/**
 * Results kept once each, in the order first seen, as a Rego set holds them: two are the same
 * when their JSON is. Most results differ in control, status or subject (a subject is in one
 * batch): those are told apart by that short key, and JSON is compared only among results
 * that share it (a source's collection error emitted by every batch), instead of serialising
 * each of the hundreds of thousands of results of a large estate.
 */
class ResultSet {
  readonly results: RegoResult[] = [];
  readonly #byKey = new Map<string, { value: unknown; json?: string }[]>();
  add(value: unknown, checked: RegoResult): void {
    const key = `${checked.control}\0${checked.status}\0${checked.subject.id}`;
    const same = this.#byKey.get(key);
    if (!same) {
      this.#byKey.set(key, [{ value }]);
      this.results.push(checked);
      return;
    }
    const json = JSON.stringify(value);
    for (const other of same) if ((other.json ??= JSON.stringify(other.value)) === json) return;
    same.push({ value, json });
    this.results.push(checked);
  }
}

/**
 * The snapshot's bytes in memory the workers can read: as they are when they already are
 * (the CLI reads a snapshot into shared memory), else a copy.
 */
function sharedBytes(bytes: Uint8Array): BatchWorkerData["snapshot"] {
  if (bytes.buffer instanceof SharedArrayBuffer) return { buffer: bytes.buffer, byteOffset: bytes.byteOffset, byteLength: bytes.byteLength };
  const buffer = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return { buffer, byteOffset: 0, byteLength: bytes.byteLength };
}

interface Tally {
  control: string;
  status: "tally";
  subject: { source: string };
  evidence: { population: number; failing: number };
}

function isTally(value: unknown): value is Tally {
  const v = value as Partial<Tally> | null;
  return (
    !!v &&
    v.status === "tally" &&
    typeof v.control === "string" &&
    typeof v.subject?.source === "string" &&
    typeof v.evidence?.population === "number" &&
    typeof v.evidence.failing === "number"
  );
}

/**
 * A WebAssembly.Module, which the SDK's loadPolicy accepts in place of the bytes: compiled
 * synchronously (about 100 KB, a few milliseconds) so that the workers start at once.
 */
function compileModule(wasm: Uint8Array): CompiledModule {
  const { WebAssembly: wasmApi } = globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => CompiledModule } };
  return new wasmApi.Module(wasm);
}

function packageOf(entrypoint: string): string {
  return entrypoint.replace(/\/results$/, "").replaceAll("/", ".");
}

// `.ts` when run from a checkout, `.js` in the built package.
const workerUrl = new URL(`./batch-worker${import.meta.url.slice(import.meta.url.lastIndexOf("."))}`, import.meta.url);

function startWorker(data: BatchWorkerData): { worker: Worker; ready: Promise<Worker> } {
  const worker = new Worker(workerUrl, { workerData: data, env: workerEnv() });
  const ready = new Promise<Worker>((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`a batch worker exited with code ${code} while starting`));
    worker.once("error", reject);
    worker.once("exit", onExit);
    worker.once("message", (msg) => {
      worker.off("error", reject);
      worker.off("exit", onExit);
      if (msg === "ready") resolve(worker);
      else reject(new Error(`unexpected first message from a batch worker: ${JSON.stringify(msg)}`));
    });
  });
  return { worker, ready };
}

/** Sends one batch (its element ranges move to the worker) and waits for its reply; a crashed worker is an error reply. */
function evaluateOn(worker: Worker, request: BatchRequest): Promise<BatchReply> {
  return new Promise((resolve) => {
    const onMessage = (reply: BatchReply) => {
      if (reply.id !== request.id) return;
      done(reply);
    };
    const onError = (error: Error) => done({ id: request.id, error: error.message });
    const onExit = (code: number) => done({ id: request.id, error: `the worker exited with code ${code}` });
    const done = (reply: BatchReply) => {
      worker.off("message", onMessage);
      worker.off("error", onError);
      worker.off("exit", onExit);
      resolve(reply);
    };
    worker.on("message", onMessage);
    worker.on("error", onError);
    worker.on("exit", onExit);
    worker.postMessage(request, Object.values(request.picked ?? {}).map((ranges) => ranges!.buffer as ArrayBuffer));
  });
}
