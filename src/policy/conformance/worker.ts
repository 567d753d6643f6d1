// Worker thread: judges the cases the pool sends, one at a time. Case files are cached per worker
// because one file holds several cases and each case travels as a (file, index) reference.
import { parentPort, workerData } from "node:worker_threads";
import { readCaseFile, type CaseRef, type ConformanceCase } from "./case-file.ts";
import { evaluateCase, type Verdict } from "./evaluate-case.ts";
import { createModuleSource, type Mode, type SourceOptions } from "./module-source.ts";

export interface WorkerRequest {
  id: number;
  ref: CaseRef;
}
export interface WorkerResponse {
  id: number;
  verdict: Verdict;
}

const port = parentPort;
if (!port) throw new Error("worker.ts must run as a worker thread");

const config = workerData as { mode: Mode; source: SourceOptions };
const source = await createModuleSource(config.mode, config.source);
const files = new Map<string, ConformanceCase[]>();

port.on("message", async (request: WorkerRequest) => {
  let verdict: Verdict;
  try {
    let cases = files.get(request.ref.file);
    if (!cases) {
      cases = await readCaseFile(request.ref.file);
      files.clear(); // cases arrive file by file; keep only the current one
      files.set(request.ref.file, cases);
    }
    verdict = await evaluateCase(cases[request.ref.index], source);
  } catch (err) {
    verdict = { status: "fail", reason: `runner error: ${(err as Error).message ?? String(err)}` };
  }
  port.postMessage({ id: request.id, verdict } satisfies WorkerResponse);
});
port.postMessage("ready");
