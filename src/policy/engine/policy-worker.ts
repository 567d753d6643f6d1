// A policy module loaded in a worker thread (evaluation-worker.ts), evaluated one entrypoint at a
// time under a deadline: past it the worker is terminated, which is the only way to stop a
// synchronous Wasm evaluation (a runaway comprehension, a cross product), and the next call
// starts a fresh worker, so the remaining packages still evaluate.
import { Worker } from "node:worker_threads";
import type { EvaluateRequest, WorkerReply, WorkerSetup } from "./evaluation-worker.ts";
import { workerEnv } from "./worker-env.ts";

export type EntrypointOutcome = { kind: "result"; value: unknown } | { kind: "failed"; message: string } | { kind: "deadline" };

// `.ts` when run from a checkout, `.js` in the built package.
const workerUrl = new URL(`./evaluation-worker${import.meta.url.slice(import.meta.url.lastIndexOf("."))}`, import.meta.url);

export class PolicyWorker {
  readonly #setup: WorkerSetup;
  #worker: Worker | undefined;
  #nextId = 0;
  entrypoints: string[] = [];

  private constructor(setup: WorkerSetup) {
    this.#setup = setup;
  }

  /** Loads the module; rejects with the loader's message when the module cannot be instantiated. */
  static async start(setup: WorkerSetup): Promise<PolicyWorker> {
    const policy = new PolicyWorker(setup);
    await policy.#spawn();
    return policy;
  }

  async #spawn(): Promise<Worker> {
    // The input is copied into the worker (structured clone); the engine keeps its own copy to
    // start a new worker after a deadline.
    const worker = new Worker(workerUrl, { workerData: this.#setup, env: workerEnv() });
    // Listeners are removed one by one: removeAllListeners() would also drop the ones Node
    // keeps on a Worker to deliver its messages.
    let onMessage!: (reply: WorkerReply) => void;
    let onError!: (error: Error) => void;
    let onExit!: (code: number) => void;
    const first = await new Promise<WorkerReply>((resolve, reject) => {
      onMessage = resolve;
      onError = reject;
      onExit = (code) => reject(new Error(`the evaluation worker exited with code ${code} while loading the policy`));
      worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    }).finally(() => worker.off("message", onMessage).off("error", onError).off("exit", onExit));
    if (first.kind !== "ready") {
      await worker.terminate();
      throw new Error(first.kind === "load-failed" ? first.message : `unexpected reply from the evaluation worker: ${first.kind}`);
    }
    this.entrypoints = first.entrypoints;
    this.#worker = worker;
    return worker;
  }

  /** Evaluates one entrypoint; "deadline" when it ran longer than `deadlineMs` (the worker is stopped). */
  async evaluate(entrypoint: string, deadlineMs: number): Promise<EntrypointOutcome> {
    const worker = this.#worker ?? (await this.#spawn());
    const request: EvaluateRequest = { id: this.#nextId++, entrypoint };
    let onMessage!: (reply: WorkerReply) => void;
    let onError!: (error: Error) => void;
    let onExit!: (code: number) => void;
    let timer: NodeJS.Timeout | undefined;
    const outcome = await new Promise<EntrypointOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: "deadline" }), deadlineMs);
      onMessage = (reply) => {
        if (reply.kind === "result" && reply.id === request.id) resolve({ kind: "result", value: reply.value });
        if (reply.kind === "failed" && reply.id === request.id) resolve({ kind: "failed", message: reply.message });
      };
      onError = (error) => resolve({ kind: "failed", message: `the evaluation worker failed: ${error.message}` });
      onExit = (code) => resolve({ kind: "failed", message: `the evaluation worker exited with code ${code}` });
      worker.on("message", onMessage).on("error", onError).on("exit", onExit);
      worker.postMessage(request);
    });
    clearTimeout(timer);
    worker.off("message", onMessage).off("error", onError).off("exit", onExit);
    if (outcome.kind !== "result") {
      // A worker that ran past its deadline or failed is not reused: its module state is unknown.
      this.#worker = undefined;
      await worker.terminate();
    }
    return outcome;
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }
}
