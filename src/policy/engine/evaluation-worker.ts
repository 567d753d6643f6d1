// Worker thread of the evaluation engine: loads one policy module with the snapshot as input
// and evaluates one entrypoint per request. Wasm evaluation is synchronous and cannot be
// interrupted from inside, so the engine runs it here and terminates the worker when a package
// runs past its deadline (policy-worker.ts).
import type { LoadedPolicy } from "@open-policy-agent/opa-wasm";
import { parentPort, workerData } from "node:worker_threads";
import { loadPolicySync, moduleBuiltins, withHostBuiltins } from "./policy-module.ts";

export interface WorkerSetup {
  wasm: Uint8Array;
  data: object;
  /** The snapshot's JSON bytes, handed to every entrypoint as they are. */
  input: ArrayBuffer;
  memory: { initial: number; maximum: number };
}

export interface EvaluateRequest {
  id: number;
  entrypoint: string;
}

export type WorkerReply =
  | { kind: "ready"; entrypoints: string[] }
  | { kind: "load-failed"; message: string }
  | { kind: "result"; id: number; value: unknown }
  | { kind: "failed"; id: number; message: string };

const port = parentPort;
if (!port) throw new Error("evaluation-worker.ts must run as a worker thread");
const setup = workerData as WorkerSetup;

async function load(): Promise<LoadedPolicy> {
  // The host builtins are loaded only for a module that declares builtins (policy-module.ts).
  const builtins = moduleBuiltins();
  let policy;
  // Synchronously (policy-module.ts says why).
  try {
    policy = loadPolicySync(setup.wasm, setup.memory, builtins);
  } catch {
    // A host (or module) that refuses the large initial memory still evaluates, only slower.
    policy = loadPolicySync(setup.wasm, { initial: 5, maximum: setup.memory.maximum }, builtins);
  }
  await withHostBuiltins(policy, builtins);
  policy.setData(setup.data);
  return policy;
}

const message = (error: unknown): string => (error instanceof Error ? error.message : typeof error === "string" ? error : JSON.stringify(error));

try {
  const policy = await load();
  port.on("message", (request: EvaluateRequest) => {
    let reply: WorkerReply;
    try {
      const resultSet = policy.evaluate(setup.input, request.entrypoint) as Array<{ result?: unknown }>;
      reply = { kind: "result", id: request.id, value: Array.isArray(resultSet) && resultSet.length > 0 ? resultSet[0].result : undefined };
    } catch (error) {
      reply = { kind: "failed", id: request.id, message: message(error) };
    }
    port.postMessage(reply);
  });
  port.postMessage({ kind: "ready", entrypoints: Object.keys((policy.entrypoints ?? {}) as Record<string, number>) } satisfies WorkerReply);
} catch (error) {
  port.postMessage({ kind: "load-failed", message: message(error) } satisfies WorkerReply);
}
