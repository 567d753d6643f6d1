// A pool of worker threads with a per-case deadline: a case that hangs (an infinite loop in
// generated code, a runaway builtin) is cut off by terminating its worker, which is replaced.
import { Worker } from "node:worker_threads";
import type { CaseRef } from "./case-file.ts";
import type { Verdict } from "./evaluate-case.ts";
import type { Mode, SourceOptions } from "./module-source.ts";
import type { WorkerResponse } from "./worker.ts";

export interface PoolOptions {
  mode: Mode;
  source: SourceOptions;
  jobs: number;
  timeoutMs: number;
  onResult?: (ref: CaseRef, verdict: Verdict) => void;
}

// `.ts` when run from a checkout, `.js` in the built package.
const workerUrl = new URL(`./worker${import.meta.url.slice(import.meta.url.lastIndexOf("."))}`, import.meta.url);

/** Start a worker and wait until it has loaded the compiler; rejects with the worker's start-up error. */
function startWorker(mode: Mode, source: SourceOptions): Promise<Worker> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, { workerData: { mode, source } });
    const onError = (err: Error) => reject(err);
    worker.once("error", onError);
    worker.once("message", (msg) => {
      worker.off("error", onError);
      if (msg === "ready") resolve(worker);
      else reject(new Error(`unexpected first message from worker: ${JSON.stringify(msg)}`));
    });
  });
}

export async function runPool(refs: CaseRef[], options: PoolOptions): Promise<Verdict[]> {
  const verdicts: Verdict[] = new Array(refs.length);
  let next = 0;
  const lanes = Math.max(1, Math.min(options.jobs, refs.length));

  const lane = async (): Promise<void> => {
    let worker = await startWorker(options.mode, options.source);
    try {
      while (next < refs.length) {
        const id = next++;
        const ref = refs[id];
        const verdict = await new Promise<Verdict>((resolve) => {
          const timer = setTimeout(() => {
            cleanup();
            resolve({ status: "fail", reason: `timed out after ${options.timeoutMs} ms` });
          }, options.timeoutMs);
          const onMessage = (msg: WorkerResponse) => {
            if (msg.id !== id) return;
            cleanup();
            resolve(msg.verdict);
          };
          const onError = (err: Error) => {
            cleanup();
            resolve({ status: "fail", reason: `worker crashed: ${err.message}` });
          };
          const cleanup = () => {
            clearTimeout(timer);
            worker.off("message", onMessage);
            worker.off("error", onError);
          };
          worker.on("message", onMessage);
          worker.on("error", onError);
          worker.postMessage({ id, ref });
        });
        verdicts[id] = verdict;
        options.onResult?.(ref, verdict);
        if (verdict.status === "fail" && /^(timed out|worker crashed)/.test(verdict.reason)) {
          await worker.terminate();
          worker = await startWorker(options.mode, options.source);
        }
      }
    } finally {
      await worker.terminate();
    }
  };

  await Promise.all(Array.from({ length: lanes }, lane));
  return verdicts;
}
