// Worker thread of a sharded evaluation: one policy module instance (its own Wasm memory),
// fed batches one after another. The SDK resets the module's heap after each evaluation, so
// the worker's memory is that of its largest batch, not of the estate.
import { parentPort, workerData } from "node:worker_threads";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { deniedBuiltins, describeEvaluationError, firstResult } from "./policy-module.ts";

/** A WebAssembly.Module (the project's TypeScript settings do not declare the WebAssembly namespace). */
export type CompiledModule = object;

export interface BatchWorkerData {
  /** Compiled once and shared: every worker runs the same machine code, optimised once. */
  wasm: CompiledModule;
  data: object;
  memory: { initial: number; maximum: number };
}

export interface BatchRequest {
  id: number;
  input: ArrayBuffer;
  entrypoint: string;
}

/** `heapBytes`: how far the module's heap reached in this evaluation (input included). */
export type BatchReply = { id: number; result: unknown; heapBytes?: number } | { id: number; error: string };

const { wasm, data, memory } = workerData as BatchWorkerData;
// The host builtins alone (not the whole back end with its compiler): a worker starts fast.
// `.ts` when run from a checkout, `.js` in the built package.
const hostUrl = new URL(`../wasm/host-builtins/index${import.meta.url.slice(import.meta.url.lastIndexOf("."))}`, import.meta.url);
const { hostBuiltins } = (await import(hostUrl.href)) as { hostBuiltins: Record<string, (...args: never[]) => unknown> };
const builtins = { ...hostBuiltins, ...deniedBuiltins };
let policy;
try {
  policy = await loadPolicy(wasm as ArrayBuffer, memory, builtins);
} catch {
  // A host that refuses the large initial memory still evaluates, only slower.
  policy = await loadPolicy(wasm as ArrayBuffer, { initial: 5, maximum: memory.maximum }, builtins);
}
policy.setData(data);
const loaded = policy;
// The SDK does not expose the module's heap pointer; its instance does (OPA's Wasm ABI export).
const heapPointer = (): number | undefined => (loaded as unknown as { wasmInstance?: { exports?: { opa_heap_ptr_get?: () => number } } }).wasmInstance?.exports?.opa_heap_ptr_get?.();
parentPort!.on("message", (request: BatchRequest) => {
  let reply: BatchReply;
  try {
    const result = firstResult(loaded.evaluate(request.input, request.entrypoint));
    reply = { id: request.id, result, heapBytes: heapPointer() };
  } catch (error) {
    reply = { id: request.id, error: describeEvaluationError(error, memory) };
  }
  parentPort!.postMessage(reply);
});
parentPort!.postMessage("ready");
