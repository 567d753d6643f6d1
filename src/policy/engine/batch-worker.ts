// Worker thread of a sharded evaluation: one policy module instance (its own Wasm memory),
// fed batches one after another. It writes each batch's input itself from the snapshot's
// bytes, which it shares with the main thread (batch-document.ts), straight into the module's
// memory (written-input.ts): the main thread only says which elements a batch holds. The
// worker starts while the main thread still locates the elements, and helps it
// (parallel-layout.ts); the module's heap is reset
// after each evaluation, so the worker's memory is that of its largest batch, not the estate.
import { parentPort, workerData } from "node:worker_threads";
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { batchDocumentBound, prepareProjection, writeBatchDocument, type DocumentMember, type PickedElements, type PreparedProjection } from "./batch-document.ts";
import type { InputProjection } from "./input-projection.ts";
import { describeEvaluationError, loadPolicySync, memoryLimits, moduleBuiltins, withHostBuiltins } from "./policy-module.ts";
import { evaluateWrittenInput } from "./written-input.ts";
import { locateChunks, type LocateRequest } from "./parallel-layout.ts";

/** A WebAssembly.Module (the project's TypeScript settings do not declare the WebAssembly namespace). */
export type CompiledModule = object;

export interface BatchWorkerData {
  maxMemoryMiB?: number;
  /** The snapshot's bytes, shared with the main thread (never written). */
  snapshot: { buffer: SharedArrayBuffer; byteOffset: number; byteLength: number };
}

/** The library, sent once the main thread has read it (the worker starts before). */
export interface SetupRequest {
  setup: {
    /** Compiled once and shared: every worker runs the same machine code, optimised once. */
    wasm: CompiledModule;
    data: object;
    /** What a batch's and the estate's entrypoint read of the input (absent: everything). */
    projections: { batch?: InputProjection; estate?: InputProjection };
  };
}

export interface BatchRequest {
  id: number;
  /** The snapshot's top-level members (located after the worker started). */
  members: DocumentMember[];
  /** The batch's elements; absent: the estate document (every subject array empty). */
  picked?: PickedElements;
  entrypoint: string;
  /** The module's data for this and later evaluations (the estate evaluation's tallies and facts). */
  data?: object;
}

/** Sent before the first batch, while the main thread groups subjects: about how large a batch's document will be. */
export interface PrepareRequest {
  prepare: number;
}

/**
 * `json`: the result set as JSON text, parsed by the main thread (which is idle while batches
 * run); `heapBytes`: how far the module's heap reached in this evaluation (input included).
 */
export type BatchReply = { id: number; json: Uint8Array; heapBytes: number } | { id: number; error: string };

const setup = workerData as BatchWorkerData;
const source = Buffer.from(setup.snapshot.buffer, setup.snapshot.byteOffset, setup.snapshot.byteLength);
let library: { wasm: CompiledModule; data: object; projections: { batch: PreparedProjection; estate: PreparedProjection } } | undefined;
/** The library the main thread sent (before any prepare or batch). */
function libraryOf(): NonNullable<typeof library> {
  if (!library) throw new Error("the batch worker has no policy module (no setup before the first batch)");
  return library;
}
// The host builtins only if the module declares builtins (not the whole back end with its compiler): a worker starts fast.
const builtins = moduleBuiltins();
let policy: Promise<LoadedPolicy> | undefined;
let memory = memoryLimits(0, setup.maxMemoryMiB);

/** Loaded once (on the prepare message or the first batch), with an initial memory sized to a batch (policy-module.ts). */
function loaded(inputBytes: number): Promise<LoadedPolicy> {
  return (policy ??= load(inputBytes));
}

async function load(inputBytes: number): Promise<LoadedPolicy> {
  memory = memoryLimits(inputBytes * 1.5, setup.maxMemoryMiB);
  let policy: LoadedPolicy;
  // Synchronously (policy-module.ts says why).
  const { wasm, data } = libraryOf();
  try {
    policy = loadPolicySync(wasm as ArrayBuffer, memory, builtins);
  } catch {
    // A host that refuses the large initial memory still evaluates, only slower.
    policy = loadPolicySync(wasm as ArrayBuffer, { initial: 5, maximum: memory.maximum }, builtins);
  }
  await withHostBuiltins(policy, builtins);
  policy.setData(data);
  return policy;
}

async function evaluate(request: BatchRequest): Promise<BatchReply> {
  try {
    const picked = request.picked ?? {};
    const bound = batchDocumentBound(request.members, picked);
    const { projections } = libraryOf();
    const projection = request.picked ? projections.batch : projections.estate;
    const p = await loaded(bound);
    if (request.data) p.setData(request.data);
    const { json, heapBytes } = evaluateWrittenInput(p, request.entrypoint, bound, (into) => writeBatchDocument(source, request.members, picked, projection, into));
    return { id: request.id, json, heapBytes };
  } catch (error) {
    return { id: request.id, error: describeEvaluationError(error, memory) };
  }
}

/**
 * Writes a zero (what fresh Wasm memory holds) into every page of the first `bytes` of the
 * module's heap: the page faults of a first batch's input and heap (about a quarter of a
 * second of system time per 200 MB here) then fall while the main thread still groups
 * subjects, not during the evaluation.
 */
function touchHeap(p: LoadedPolicy, bytes: number): void {
  const view = new Uint8Array(p.mem.buffer);
  const from = p.dataHeapPtr as number;
  const to = Math.min(view.length, from + bytes);
  for (let at = from; at < to; at += 4096) view[at] = 0;
}

// How far a batch's evaluation takes the heap, as a multiple of its input (measured: 4 at
// 100k accounts, more at 1M): what touchHeap touches ahead of the first batch.
const heapPerInputByte = 4;

// One request at a time: the main thread sends the next only after this one's reply.
parentPort!.on("message", (request: BatchRequest | PrepareRequest | LocateRequest | SetupRequest) => {
  if ("setup" in request) {
    const { wasm, data, projections } = request.setup;
    library = { wasm, data, projections: { batch: prepareProjection(projections.batch), estate: prepareProjection(projections.estate) } };
    return;
  }
  if ("locate" in request) {
    // Before the batches: this worker helps the main thread locate the snapshot's elements.
    locateChunks(source, request.locate, (reply, transfer) => parentPort!.postMessage(reply, transfer));
    return;
  }
  if ("prepare" in request) {
    // A failure to load shows at the first batch, which waits for the same load.
    void loaded(request.prepare).then((p) => touchHeap(p, request.prepare * heapPerInputByte), () => {});
    return;
  }
  void evaluate(request).then((reply) => parentPort!.postMessage(reply, "json" in reply ? [reply.json.buffer as ArrayBuffer] : []));
});
parentPort!.postMessage("ready");
