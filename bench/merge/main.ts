// Per-source jobs at scale: for each size, one `credgov collect` of every source and one
// `credgov collect --source ID` per source (parts written gzip-compressed, as the example
// workflow does), then `credgov snapshot merge` of the parts. The merged snapshot must equal
// the single-collect one but for the clocks (generatedAt, collectedAt, query durations); the
// table says how many elements differ (0 expected) and what the merge cost.
//   npm run bench -- merge [--sizes=100000]
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildEstate, peopleForAccounts, writeEstate } from "../estate/generate.ts";
import { loadConfig } from "../../src/config/load.ts";
import { readSnapshot } from "../../src/snapshot/store.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";

const sizesArg = process.argv.find((a) => a.startsWith("--sizes="));
const sizes = sizesArg ? sizesArg.slice(8).split(",").map(Number) : [100_000];
const credgovBin = fileURLToPath(new URL("../../bin/credgov.js", import.meta.url));
// Preloaded into each credgov process: reports its peak RSS (KiB) on fd 3 as it exits.
const peakRss = `data:text/javascript,import { writeSync } from "node:fs"; process.on("exit", () => writeSync(3, String(process.resourceUsage().maxRSS)));`;

/** Runs a credgov command in its own process: wall seconds and peak RSS. */
function credgov(args: string[]): { seconds: number; maxRssBytes: number } {
  const started = performance.now();
  const r = spawnSync(process.execPath, ["--import", peakRss, credgovBin, ...args], { stdio: ["ignore", "inherit", "inherit", "pipe"] });
  if (r.status !== 0) throw new Error(`credgov ${args.join(" ")} exited ${r.status}`);
  return { seconds: (performance.now() - started) / 1000, maxRssBytes: Number(r.output[3]!.toString()) * 1024 };
}

/** Elements of every array (and the other members) that differ, clocks set aside. */
function differences(a: Snapshot, b: Snapshot): number {
  const timeless = (s: Snapshot["sources"][number]) => JSON.stringify({ ...s, collectedAt: "", queries: s.queries.map((q) => ({ ...q, durationMs: 0 })) });
  let differing = 0;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (key === "generatedAt") continue;
    const x = (a as unknown as Record<string, unknown>)[key];
    const y = (b as unknown as Record<string, unknown>)[key];
    if (Array.isArray(x) && Array.isArray(y)) {
      const show = key === "sources" ? timeless : (v: unknown) => JSON.stringify(v);
      for (let i = 0; i < Math.max(x.length, y.length); i++) if (i >= x.length || i >= y.length || show(x[i] as never) !== show(y[i] as never)) differing++;
    } else if (JSON.stringify(x) !== JSON.stringify(y)) differing++;
  }
  return differing;
}

const rows: string[] = [];
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), `credgov-bench-merge-${size}-`));
  try {
    await writeEstate(buildEstate({ people: peopleForAccounts(size), seed: 7, now: new Date("2026-11-01T00:00:00Z"), demo: false }), dir);
    const config = join(dir, "credgov.yaml");
    const load = loadavg()[0];
    const whole = join(dir, "whole.json");
    credgov(["collect", "--quiet", "--config", config, "--out", whole]);
    const parts: string[] = [];
    for (const source of loadConfig(config).sources) {
      const part = join(dir, `${source.id}.json.gz`);
      credgov(["collect", "--quiet", "--config", config, "--source", source.id, "--out", part]);
      parts.push(part);
    }
    const merged = join(dir, "merged.json");
    const merge = credgov(["snapshot", "merge", "--quiet", "--config", config, ...parts, "--out", merged]);
    const [a, b] = [await readSnapshot(whole), await readSnapshot(merged)];
    const differing = differences(a, b);
    const partsMb = parts.reduce((n, p) => n + statSync(p).size, 0) / 1e6;
    rows.push(
      `| ${size.toLocaleString("en")} | ${a.accounts.length.toLocaleString("en")} | ${a.identities.length.toLocaleString("en")} | ${parts.length} (${partsMb.toFixed(0)} MB gzipped) | ${merge.seconds.toFixed(1)} | ${(merge.maxRssBytes / 2 ** 20).toFixed(0)} MiB | ${differing} | ${load.toFixed(1)} |`,
    );
    process.stderr.write(`merge: ${size} accounts done\n`);
    if (differing !== 0) process.exitCode = 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.stdout.write(
  "| target accounts | accounts | identities | parts | merge s (wall) | merge peak RSS | elements differing from the single collect | load avg |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n" + rows.join("\n") + "\n",
);
