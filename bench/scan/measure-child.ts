// Evaluates one snapshot in this process and reports, as JSON on fd 3: seconds to read it,
// seconds to evaluate it (serialise the input, load the cached policy module, run every
// package, join with the catalog), the findings count and the peak RSS of the process.
import { writeSync } from "node:fs";
import module from "node:module";
import { readFileBytes } from "../../src/io/read-file-bytes.ts";
import { loadCatalog } from "../../src/policy/catalog/load.ts";
import { evaluateSnapshot } from "../../src/policy/engine/index.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";
import { holdYoungGenerationSize } from "../../src/young-generation.ts";

// Node's compile cache on, as bin/credgov.js turns it on for every command (the engine hands it
// on to its worker threads, whose start-up is inside the measured evaluation).
module.enableCompileCache?.();
// The heap setting every credgov command runs with (src/cli/main.ts).
holdYoungGenerationSize();
const file = process.argv[2];
// Subjects per batch of the sharded evaluation (0: the whole snapshot in one module; absent: the engine's default).
const batchArg = process.argv[3];
const batchSubjects = batchArg === undefined || batchArg === "" ? undefined : Number(batchArg);
// Input projection, for comparison: "whole-subjects": batches carry every member (no
// projection); "projected-elements": elements cut down to the keys the library names too;
// absent: the engine's default (the members the library reads, elements whole).
const project = process.argv[4] !== "whole-subjects";
const projectElements = process.argv[4] === "projected-elements";
// As `credgov evaluate` does: parse once for the fields the engine needs, then hand the file's
// bytes to the policy module and let the parsed object go.
const readStart = performance.now();
// In shared memory, as `credgov evaluate` reads it: the batch workers read it in place.
const bytes = await readFileBytes(file, { shared: true });
// A 300k-account snapshot is longer than the longest string V8 can hold, so only the small
// `sources` array is parsed here; the engine hands the bytes to the module unparsed.
const sources = JSON.parse(topLevelArray(bytes, "sources")) as Snapshot["sources"];
const accounts = sources.reduce((n, s) => n + (s.counts.accounts ?? 0), 0);
const input = { bytes, sources };
// Drop the parsed object before the module allocates its own copy (bench/main.ts runs suites
// with --expose-gc; without it V8 collects when it sees fit).
(globalThis as { gc?: () => void }).gc?.();
const readSeconds = (performance.now() - readStart) / 1000;
const catalog = loadCatalog();
const start = performance.now();
const cpuStart = process.cpuUsage();
const evaluation = await evaluateSnapshot(input, { catalog, batchSubjects, project, projectElements, warn: (m) => process.stderr.write(`warning: ${m}\n`) });
const evaluateSeconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
// CPU time next to wall time: on a shared machine the wall clock also measures the neighbours.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const byStatus: Record<string, number> = {};
for (const f of evaluation.findings) byStatus[f.status] = (byStatus[f.status] ?? 0) + 1;
/** Text of the top-level array `key` of a JSON object, found by scanning bytes (string-aware). */
function topLevelArray(buf: Buffer, key: string): string {
  const marker = Buffer.from(`"${key}"`);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
      continue;
    }
    if (c === 0x22) {
      if (depth === 1 && buf.subarray(i, i + marker.length).equals(marker)) {
        const start = buf.indexOf(0x5b, i + marker.length);
        let d = 0;
        let str = false;
        for (let j = start; j < buf.length; j++) {
          const b = buf[j];
          if (str) {
            if (b === 0x5c) j++;
            else if (b === 0x22) str = false;
          } else if (b === 0x22) str = true;
          else if (b === 0x5b || b === 0x7b) d++;
          else if (b === 0x5d || b === 0x7d) {
            d--;
            if (d === 0) return buf.subarray(start, j + 1).toString("utf8");
          }
        }
      }
      inString = true;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  throw new Error(`no top-level "${key}" array in ${file}`);
}

writeSync(
  3,
  JSON.stringify({
    accounts,
    readSeconds,
    evaluateSeconds,
    cpuSeconds,
    wasmSeconds: evaluation.stats.evaluateSeconds,
    loadSeconds: evaluation.stats.compileSeconds,
    fromCache: evaluation.stats.compiledFromCache,
    findings: evaluation.findings.length,
    byStatus,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    batches: evaluation.stats.batches ?? 1,
    peakBatchHeapBytes: evaluation.stats.peakBatchHeapBytes ?? 0,
  }),
);
