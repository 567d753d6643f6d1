// Measures `drift --since SNAPSHOT` without policy evaluation: read both snapshots, diff every
// object kind, write drift.json/md/sarif. Reports JSON on fd 3.
import { writeSync } from "node:fs";
import { buildDriftReport } from "../../src/drift/build-drift-report.ts";
import { writeDriftOutputs } from "../../src/drift/outputs/write-drift-outputs.ts";
import { loadCatalog } from "../../src/policy/catalog/load.ts";
import { readSnapshot } from "../../src/snapshot/store.ts";
import { indexSnapshotFile } from "../../src/drift/snapshot-index.ts";
import { holdYoungGenerationSize } from "../../src/young-generation.ts";

// The heap setting every credgov command runs with (src/cli/main.ts).
holdYoungGenerationSize();

const [beforeFile, afterFile, outDir] = process.argv.slice(2);
const start = performance.now();
const cpuStart = process.cpuUsage();
// As `drift --since SNAPSHOT` reads them: the current one parsed and validated (the drift report
// and the evaluation need it), the earlier one indexed line by line (see snapshot-index.ts).
const after = await readSnapshot(afterFile);
const before = await indexSnapshotFile(beforeFile);
const readSeconds = (performance.now() - start) / 1000;
const diffStart = performance.now();
const report = await buildDriftReport({
  snapshotFile: afterFile,
  snapshot: after,
  findings: [],
  since: { against: { kind: "snapshot", file: beforeFile, generatedAt: before.generatedAt }, failing: [], snapshot: before },
  check: { catalog: loadCatalog() },
});
const diffSeconds = (performance.now() - diffStart) / 1000;
const writeStart = performance.now();
await writeDriftOutputs(report, { dir: outDir, toolVersion: "bench" });
const writeSeconds = (performance.now() - writeStart) / 1000;
const cpu = process.cpuUsage(cpuStart);
writeSync(
  3,
  JSON.stringify({
    accounts: after.accounts.length,
    changes: report.since!.objects!.changes.length,
    counts: report.since!.objects!.counts,
    readSeconds,
    diffSeconds,
    writeSeconds,
    totalSeconds: (performance.now() - start) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
  }),
);
