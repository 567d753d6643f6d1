// Evidence pack (PDF and HTML) at growing estate sizes: seconds, peak memory, size, pages.
//   npm run bench -- evidence [--sizes=10000,100000] [--keep]
// Each size: the synthetic estate generator writes the exports, `credgov scan` collects and
// evaluates them, then a fresh process per format writes the pack from that scan's output
// folder (findings.json, snapshot.json), as `credgov report --format pdf|html` does.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildEstate, peopleForAccounts, writeEstate } from "../estate/generate.ts";
import type { Finding } from "../../src/policy/engine/finding.ts";

const sizesArg = process.argv.find((a) => a.startsWith("--sizes="));
const sizes = sizesArg ? sizesArg.slice(8).split(",").map(Number) : [10_000, 100_000];
const keep = process.argv.includes("--keep");
const child = fileURLToPath(new URL("./measure-child.ts", import.meta.url));
const bin = fileURLToPath(new URL("../../bin/credgov.js", import.meta.url));

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
    // In a child process with its table discarded: only this suite's table goes to stdout.
    const scanned = spawnSync(process.execPath, [bin, "scan", "--quiet", "--config", join(dir, "credgov.yaml"), "--out", scan, "--fail-on", "none"], { stdio: ["ignore", "ignore", "inherit"] });
    if (scanned.status !== 0) throw new Error(`scan exited ${scanned.status} for ${size} accounts`);
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
