import { createRequire } from "node:module";
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";

type Sdk = typeof import("@open-policy-agent/opa-wasm");

/**
 * The SDK's synchronous loader. Its asynchronous loadPolicy asks whether the module is a fetch
 * Response, and the first mention of Response loads Node's fetch implementation into the
 * thread (measured: 35-40 ms of CPU and 0.1-0.2 s of wall time per worker). The SDK's ES
 * module exports only loadPolicy, its CommonJS entry both.
 */
export const loadPolicySync: Sdk["loadPolicySync"] = (createRequire(import.meta.url)("@open-policy-agent/opa-wasm") as Sdk).loadPolicySync;

// What every evaluation of a policy module shares, on the main thread or in a batch worker:
// the memory it starts with and may grow to, the builtins it may not call, how a failure is
// explained, and how its result is read.

// Growing Wasm memory a page at a time while evaluating a large estate costs far more than
// the evaluation itself (measured: 19 s instead of 1.3 s at 10k accounts), so the memory
// starts at a size proportional to the input. Untouched pages cost address space, not RAM.
const wasmPage = 65536;
// One page short of the 4 GiB a wasm32 module can address: a runtime computing the memory
// size in bytes as a u32 would see exactly 4 GiB as 0.
const maxInitialPages = 65535;

/** Initial size proportional to the input, and a ceiling: past it the module's allocation fails with an error. */
export function memoryLimits(inputBytes: number, maxMemoryMiB = 4096): { initial: number; maximum: number } {
  const maximum = Math.max(1, Math.min(65536, Math.floor((maxMemoryMiB * 1024 * 1024) / wasmPage)));
  const pages = Math.ceil((inputBytes * 12) / wasmPage) + 256;
  return { initial: Math.min(maxInitialPages, pages, maximum), maximum };
}

type Builtin = (...args: never[]) => unknown;

/**
 * The builtins handed to the SDK's loadPolicy: at first only the denied ones. The SDK looks a
 * builtin up in this object when the module calls it, so withHostBuiltins can fill it after
 * loading, and only for a module that declares builtins at all: credgov's own library
 * declares none, and importing the host builtins costs a worker about 0.6 s of CPU.
 */
export function moduleBuiltins(): Record<string, Builtin> {
  return { ...deniedBuiltins };
}

interface BuiltinAbi {
  builtins: () => number;
  opa_json_dump: (address: number) => number;
}

/** Adds the host builtins to `builtins` (as loaded with the policy) when the module declares any builtin. */
export async function withHostBuiltins(policy: LoadedPolicy, builtins: Record<string, Builtin>): Promise<void> {
  const exports = (policy.wasmInstance as { exports: BuiltinAbi }).exports;
  // The module's builtin table ({name: id}), as the SDK reads it (OPA Wasm ABI `builtins` export).
  const text = Buffer.from(policy.mem.buffer);
  const at = exports.opa_json_dump(exports.builtins()) >>> 0;
  const declared = JSON.parse(text.toString("utf8", at, text.indexOf(0, at))) as Record<string, number>;
  if (Object.keys(declared).length === 0) return;
  // `.ts` when run from a checkout, `.js` in the built package.
  const hostUrl = new URL(`../wasm/host-builtins/index${import.meta.url.slice(import.meta.url.lastIndexOf("."))}`, import.meta.url);
  const { hostBuiltins } = (await import(hostUrl.href)) as { hostBuiltins: Record<string, Builtin> };
  Object.assign(builtins, hostBuiltins, deniedBuiltins);
}

/**
 * Builtins a policy may not use during evaluation: test.sleep would stall the run (it stays
 * available to `credgov policy test`). Network builtins (http.send) always fail in credgov.
 */
export const deniedBuiltins: Record<string, () => never> = {
  "test.sleep": () => {
    throw new Error("test.sleep is not allowed when evaluating a snapshot");
  },
};

/** Why an evaluation failed, with the limit that explains it when it is the memory ceiling. */
export function describeEvaluationError(error: unknown, memory: { maximum: number }): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/out of memory|memory access out of bounds|allocation|grow/i.test(message)) {
    return `${message} (the evaluation memory ceiling is ${Math.round((memory.maximum * wasmPage) / 2 ** 20)} MiB; raise it with --eval-memory or policies.evalMemory in credgov.yaml)`;
  }
  return message;
}

// The SDK copies an ArrayBuffer into the module; a Buffer from readFile may be a view into a
// larger pool, so hand over exactly its bytes.
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  // Buffer#slice is a view of the same memory, not a copy: copy exactly the bytes of the view.
  return Uint8Array.prototype.slice.call(bytes).buffer as ArrayBuffer;
}

export function firstResult(resultSet: unknown): unknown {
  return Array.isArray(resultSet) && resultSet.length > 0 ? (resultSet[0] as { result?: unknown }).result : undefined;
}
