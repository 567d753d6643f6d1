// Evaluates a loaded policy module on an input the caller writes straight into the module's
// memory, through the OPA Wasm ABI's one-call entrypoint (opa_eval, ABI 1.2: raw JSON input
// at an address, the result set as JSON text back). The SDK's `evaluate` takes the input as
// a separate buffer, copies it into the module and parses the result in the thread that
// evaluated; a batch worker writes its batch document where the module reads it (no scratch
// buffer, no copies, no fresh pages per batch) and hands the result text on unparsed.
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";

const wasmPage = 65536;

interface AbiExports {
  opa_eval?: (ctx: number, entrypoint: number, data: number, input: number, inputLength: number, heap: number, format: number) => number;
  opa_heap_ptr_get: () => number;
}

export interface WrittenEvaluation {
  /** The result set as JSON text (`[{"result": ...}]`), a copy out of the module's memory. */
  json: Uint8Array;
  /** How far the module's heap reached, input included, in bytes. */
  heapBytes: number;
}

/**
 * Grows the module's memory to hold `bound` bytes of input after its data, lets `write` put
 * the input there (returning its length, at most `bound`) and evaluates `entrypoint` on it.
 */
export function evaluateWrittenInput(policy: LoadedPolicy, entrypoint: string, bound: number, write: (into: Buffer) => number): WrittenEvaluation {
  const exports = (policy.wasmInstance as { exports: AbiExports }).exports;
  if (typeof exports.opa_eval !== "function") throw new Error("the policy module has no opa_eval export (OPA Wasm ABI 1.2 or later is needed)");
  const entrypoints = policy.entrypoints as Record<string, number>;
  if (!Object.hasOwn(entrypoints, entrypoint)) throw new Error(`entrypoint ${entrypoint} is not in the policy module`);
  const memory = policy.mem;
  // Addresses are unsigned: a module past 2 GiB must not read as negative offsets.
  const inputAddress = policy.dataHeapPtr as number;
  const missing = inputAddress + bound - memory.buffer.byteLength;
  if (missing > 0) memory.grow(Math.ceil(missing / wasmPage));
  const length = write(Buffer.from(memory.buffer, inputAddress, bound));
  if (length > bound) throw new Error(`the input took ${length} bytes, more than the ${bound} reserved for it`);
  const resultAddress = exports.opa_eval(0, entrypoints[entrypoint]!, policy.dataAddr, inputAddress, length, inputAddress + length, 0) >>> 0;
  const heapBytes = exports.opa_heap_ptr_get() >>> 0;
  // The evaluation may have grown the memory: a view of its buffer as it is now.
  const after = Buffer.from(memory.buffer);
  const end = after.indexOf(0, resultAddress);
  if (end < 0) throw new Error("the policy module's result is not terminated");
  // Its own buffer, which can move to another thread.
  const json = new Uint8Array(end - resultAddress);
  json.set(after.subarray(resultAddress, end));
  return { json, heapBytes };
}

/** The first result of a result set's JSON text (undefined when the set is empty). */
export function firstResultOf(json: Uint8Array): unknown {
  const set = JSON.parse(Buffer.from(json.buffer, json.byteOffset, json.byteLength).toString("utf8")) as unknown;
  return Array.isArray(set) && set.length > 0 ? (set[0] as { result?: unknown }).result : undefined;
}
