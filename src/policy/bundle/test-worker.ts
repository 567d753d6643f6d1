// Worker thread of `policy test`: started while the tests are compiled (so that loading the SDK
// overlaps the compile), it loads the compiled test module once, then evaluates one test
// entrypoint per request and reports its value, print() output, the parametrised cases it
// entered and the lines it reached. Running tests here lets the runner stop a test that exceeds
// --timeout (evaluation is synchronous) by terminating the worker.
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { parentPort } from "node:worker_threads";
import { withEvaluationHooks } from "../wasm/host-builtins/evaluation-hooks.ts";
import { hostBuiltins } from "../wasm/host-builtins/index.ts";

export interface TestRequest {
  id: number;
  entrypoint: string;
  /** Run the test this many times more after the first (for --bench). */
  repeat: number;
}

/** The first message: the compiled test module and the data it runs against. */
export interface LoadRequest {
  load: { wasm: Uint8Array; data: Record<string, unknown> };
}

export interface TestResponse {
  id: number;
  /** Undefined when the test rule is undefined. */
  value?: unknown;
  defined: boolean;
  error?: string;
  output: string[];
  cases: unknown[][];
  covered: Array<[string, number]>;
  durationMs: number;
  /** Mean time of the repeated runs, in nanoseconds. */
  nsPerOp?: number;
}

const port = parentPort;
if (!port) throw new Error("test-worker.ts must run as a worker thread");

let policy: Awaited<ReturnType<typeof loadPolicy>> | undefined;

port.on("message", async (message: LoadRequest | TestRequest) => {
  if ("load" in message) {
    policy = await loadPolicy(message.load.wasm, undefined, hostBuiltins);
    policy.setData(message.load.data);
    port.postMessage("ready");
    return;
  }
  const request = message;
  const loaded = policy;
  if (!loaded) throw new Error("internal: the test worker got a test before its module");
  const output: string[] = [];
  const cases: unknown[][] = [];
  const covered: Array<[string, number]> = [];
  const hooks = { print: (line: string) => output.push(line), testCase: (key: unknown[]) => cases.push(key), cover: (f: string, r: number) => covered.push([f, r]) };
  const t0 = performance.now();
  let response: TestResponse;
  try {
    const rs = withEvaluationHooks(hooks, () => loaded.evaluate(undefined, request.entrypoint)) as Array<{ result?: unknown }>;
    const durationMs = performance.now() - t0;
    response = { id: request.id, defined: rs.length > 0, value: rs[0]?.result, output, cases, covered, durationMs };
    if (request.repeat > 0) {
      const b0 = process.hrtime.bigint();
      for (let i = 0; i < request.repeat; i++) loaded.evaluate(undefined, request.entrypoint);
      response.nsPerOp = Number(process.hrtime.bigint() - b0) / request.repeat;
    }
  } catch (err) {
    response = { id: request.id, defined: false, error: err instanceof Error ? err.message : String(err), output, cases, covered, durationMs: performance.now() - t0 };
  }
  port.postMessage(response);
});
