// Policy evaluation at growing estate sizes: seconds, peak memory and findings/s.
//   npm run bench -- scan [--sizes=10000,100000,300000,1000000] [--batch=N] [--keep]
// Each size: the synthetic estate generator writes the exports, `credgov collect` turns them
// into a snapshot, then a fresh process evaluates it (the policy library is compiled once up
// front, so the figures are evaluation, not compilation).
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildEstate, peopleForAccounts, writeEstate } from "../estate/generate.ts";
import { loadCatalog } from "../../src/policy/catalog/load.ts";
import { evaluateSnapshot } from "../../src/policy/engine/index.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";

const sizesArg = process.argv.find((a) => a.startsWith("--sizes="));
const sizes = sizesArg ? sizesArg.slice(8).split(",").map(Number) : [10_000, 100_000, 300_000];
const keep = process.argv.includes("--keep");
// Subjects per batch of the sharded evaluation; 0 evaluates each snapshot whole (one module).
const batchArg = process.argv.find((a) => a.startsWith("--batch="))?.slice(8) ?? "";
const credgovBin = fileURLToPath(new URL("../../bin/credgov.js", import.meta.url));
const child = fileURLToPath(new URL("./measure-child.ts", import.meta.url));

interface Measure {
  accounts: number;
  readSeconds: number;
  evaluateSeconds: number;
  cpuSeconds: number;
  wasmSeconds: number;
  fromCache: boolean;
  findings: number;
  byStatus: Record<string, number>;
  maxRssBytes: number;
  batches: number;
  peakBatchHeapBytes: number;
}

// Compile (or load from cache) the library once so no measured run pays for compilation.
const warm = JSON.parse(readFileSync(fileURLToPath(new URL("../../test/fixtures/snapshots/all-controls.json", import.meta.url)), "utf8")) as Snapshot;
await evaluateSnapshot(warm, { catalog: loadCatalog() });

// Rows are printed as each size finishes, so a failure at 1M does not lose the smaller sizes.
process.stdout.write(
  "| target accounts | accounts | snapshot | read s | evaluate s (wall) | evaluate s (CPU) | of which policy run s | findings | findings/s | accounts/s | peak RSS | batches | batch heap | load avg (start–end) |\n" +
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
);
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), `credgov-bench-scan-${size}-`));
  try {
    await writeEstate(buildEstate({ people: peopleForAccounts(size), seed: 7, now: new Date("2026-11-01T00:00:00Z"), demo: false }), dir);
    const snapshotFile = join(dir, "snapshot.json");
    // Collected in its own process with room for a 1M-account estate's objects (the default
    // V8 heap stops near 4 GiB); the collection is not what this suite measures.
    const collected = spawnSync(process.execPath, ["--max-old-space-size=16384", credgovBin, "collect", "--quiet", "--config", join(dir, "credgov.yaml"), "--out", snapshotFile], { stdio: "inherit" });
    if (collected.status !== 0) throw new Error(`collect exited ${collected.status} for ${size} accounts`);
    const load = loadavg()[0];
    const r = spawnSync(process.execPath, ["--expose-gc", child, snapshotFile, batchArg], { stdio: ["ignore", "inherit", "inherit", "pipe"], maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`evaluation exited ${r.status} for ${size} accounts`);
    const m = JSON.parse(r.output[3]!.toString()) as Measure;
    const loadAfter = loadavg()[0];
    if (!m.fromCache) process.stderr.write("note: the policy library was compiled inside the measured run\n");
    const mb = statSync(snapshotFile).size / 1e6;
    process.stdout.write(
      `| ${size.toLocaleString("en")} | ${m.accounts.toLocaleString("en")} | ${mb.toFixed(0)} MB | ${m.readSeconds.toFixed(2)} | ${m.evaluateSeconds.toFixed(2)} | ${m.cpuSeconds.toFixed(2)} | ${m.wasmSeconds.toFixed(2)} | ` +
        `${m.findings.toLocaleString("en")} (${m.byStatus.fail ?? 0} fail, ${m.byStatus.error ?? 0} error) | ${Math.round(m.findings / m.evaluateSeconds).toLocaleString("en")} | ${Math.round(m.accounts / m.evaluateSeconds).toLocaleString("en")} | ${(m.maxRssBytes / 2 ** 20).toFixed(0)} MiB | ${m.batches} | ${m.peakBatchHeapBytes ? `${(m.peakBatchHeapBytes / 2 ** 20).toFixed(0)} MiB` : "-"} | ${load.toFixed(1)}–${loadAfter.toFixed(1)} |\n`,
    );
    process.stderr.write(`scan: ${size} accounts done\n`);
  } finally {
    if (keep) process.stderr.write(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
