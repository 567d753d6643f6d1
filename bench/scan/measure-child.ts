// Evaluates one snapshot in this process and reports, as JSON on fd 3: seconds to read it,
// seconds to evaluate it (serialise the input, load the cached policy module, run every
// package, join with the catalog), the findings count and the peak RSS of the process.
import { readFileSync, writeSync } from "node:fs";
import { loadCatalog } from "../../src/policy/catalog/load.ts";
import { evaluateSnapshot } from "../../src/policy/engine/index.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";

const file = process.argv[2];
// As `credgov evaluate` does: parse once for the fields the engine needs, then hand the file's
// bytes to the policy module and let the parsed object go.
const readStart = performance.now();
const bytes = readFileSync(file);
const { accounts, sources } = (() => {
  const parsed = JSON.parse(bytes.toString("utf8")) as Snapshot;
  return { accounts: parsed.accounts.length, sources: parsed.sources };
})();
const input = { bytes, sources };
// Drop the parsed object before the module allocates its own copy (bench/main.ts runs suites
// with --expose-gc; without it V8 collects when it sees fit).
(globalThis as { gc?: () => void }).gc?.();
const readSeconds = (performance.now() - readStart) / 1000;
const catalog = loadCatalog();
const start = performance.now();
const cpuStart = process.cpuUsage();
const evaluation = await evaluateSnapshot(input, { catalog, warn: (m) => process.stderr.write(`warning: ${m}\n`) });
const evaluateSeconds = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuStart);
// CPU time next to wall time: on a shared machine the wall clock also measures the neighbours.
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const byStatus: Record<string, number> = {};
for (const f of evaluation.findings) byStatus[f.status] = (byStatus[f.status] ?? 0) + 1;
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
  }),
);
