// Evidence pack (PDF and HTML) at growing estate sizes: seconds, peak memory, size, pages.
//   npm run bench -- evidence [--sizes=10000,100000] [--keep]
// Each size: the synthetic estate generator writes the exports, the collect and evaluate stages
// (as `credgov scan` runs them) turn them into an output folder, then a fresh process per format writes the pack from that scan's output
// folder (findings.json, snapshot.json), as `credgov report --format pdf|html` does.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildEstate, peopleForAccounts, writeEstate } from "../estate/generate.ts";
import { collectAll } from "../../src/collectors/collect-all.ts";
import { loadConfig } from "../../src/config/load.ts";
import { runEvaluation } from "../../src/policy/engine/run-evaluation.ts";
import { writeOutputs } from "../../src/report/write-outputs.ts";
import { writeSnapshot } from "../../src/snapshot/store.ts";
import type { Finding } from "../../src/policy/engine/finding.ts";

const sizesArg = process.argv.find((a) => a.startsWith("--sizes="));
const sizes = sizesArg ? sizesArg.slice(8).split(",").map(Number) : [10_000, 100_000];
const keep = process.argv.includes("--keep");
const child = fileURLToPath(new URL("./measure-child.ts", import.meta.url));

interface Measure {
  seconds: number;
  cpuSeconds: number;
  maxRssBytes: number;
  bytes: number;
}

const rows: string[] = [];
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), `credgov-bench-evidence-${size}-`));
  try {
    const estate = buildEstate({ people: peopleForAccounts(size), seed: 7, now: new Date("2026-11-01T00:00:00Z"), demo: false });
    await writeEstate(estate, dir);
    const scan = join(dir, "scan");
    // The scan's stages: collect, evaluate, the machine outputs the pack is built from.
    const configFile = join(dir, "credgov.yaml");
    const config = loadConfig(configFile);
    const collected = await collectAll({ config, configFile, env: process.env });
    if (collected.incomplete.length > 0) throw new Error(`collection incomplete for ${size} accounts`);
    const snapshotFile = join(scan, "snapshot.json");
    mkdirSync(scan, { recursive: true });
    await writeSnapshot(snapshotFile, collected.snapshot);
    const run = await runEvaluation({ snapshotFile, policies: config.policies.dirs, builtin: config.policies.builtin, thresholds: config.thresholds });
    await writeOutputs(run.findings, { dir: scan, toolVersion: "bench", controls: run.catalog.controls, scope: configFile, generatedAt: run.evaluatedAt });
    const findings = JSON.parse(readFileSync(join(scan, "findings.json"), "utf8")) as Finding[];
    const failing = findings.filter((f) => f.status === "fail").length;
    for (const format of ["pdf", "html"] as const) {
      const out = join(dir, `pack-${format}`);
      cpSync(scan, out, { recursive: true });
      const r = spawnSync(process.execPath, [child, out, format], { stdio: ["ignore", "inherit", "inherit", "pipe"], maxBuffer: 1 << 20 });
      if (r.status !== 0) throw new Error(`${format} pack exited ${r.status} for ${size} accounts`);
      const m = JSON.parse(r.output[3]!.toString()) as Measure;
      const pages = format === "pdf" ? (/Pages:\s+(\d+)/.exec(spawnSync("pdfinfo", [join(out, "evidence.pdf")], { encoding: "utf8" }).stdout)?.[1] ?? "?") : "—";
      const csvs = readdirSync(join(out, "subjects")).length;
      rows.push(
        `| ${size.toLocaleString("en")} | ${failing.toLocaleString("en")} | ${format} | ${m.seconds.toFixed(1)} | ${m.cpuSeconds.toFixed(1)} | ${(m.maxRssBytes / 2 ** 20).toFixed(0)} MiB | ${(m.bytes / 1e6).toFixed(2)} MB | ${pages} | ${csvs} |`,
      );
    }
    process.stderr.write(`evidence: ${size} accounts done\n`);
  } finally {
    if (keep) process.stderr.write(`kept ${dir}\n`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
process.stdout.write(
  "| target accounts | failing findings | format | wall s | CPU s | peak RSS | document | pages | subject CSVs |\n|---:|---:|---|---:|---:|---:|---:|---:|---:|\n" + rows.join("\n") + "\n",
);
