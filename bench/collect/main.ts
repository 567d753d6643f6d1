// Collection from files at growing estate sizes: how time and peak memory grow with accounts.
//   npm run bench -- collect [--sizes=10000,100000,300000]
import { mkdtempSync, rmSync, statSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildEstate, peopleForAccounts, writeEstate } from "../estate/generate.ts";
import { readSnapshot } from "../../src/snapshot/store.ts";

const sizesArg = process.argv.find((a) => a.startsWith("--sizes="));
const sizes = sizesArg ? sizesArg.slice(8).split(",").map(Number) : [10_000, 100_000, 300_000];
const child = fileURLToPath(new URL("./measure-child.ts", import.meta.url));

function du(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.size;
  return readdirSync(path).reduce((n, e) => n + du(join(path, e)), 0);
}

const rows: string[] = [];
for (const size of sizes) {
  const people = peopleForAccounts(size);
  const dir = mkdtempSync(join(tmpdir(), `credgov-bench-${size}-`));
  try {
    const estate = buildEstate({ people, seed: 7, now: new Date("2026-11-01T00:00:00Z"), demo: false });
    await writeEstate(estate, dir);
    const out = join(dir, "snapshot.json");
    const r = spawnSync(process.execPath, [child, "--config", join(dir, "credgov.yaml"), "--out", out], { stdio: ["ignore", "inherit", "inherit", "pipe"], maxBuffer: 1 << 20 });
    const m = JSON.parse(r.output[3]!.toString()) as { code: number; seconds: number; maxRssBytes: number };
    if (m.code !== 0) throw new Error(`collect exited ${m.code} at ${people} people`);
    // Snapshots of 300k accounts exceed V8's longest string: read them the way credgov does.
    const accounts = (await readSnapshot(out)).accounts.length;
    rows.push(`| ${size.toLocaleString("en")} | ${accounts.toLocaleString("en")} | ${(du(dir) / 1e6).toFixed(0)} MB | ${m.seconds.toFixed(2)} | ${Math.round(accounts / m.seconds).toLocaleString("en")} | ${(m.maxRssBytes / 2 ** 20).toFixed(0)} MiB |`);
    process.stderr.write(`collect: ${size} accounts done\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
process.stdout.write("| target accounts | accounts in snapshot | export size | collect seconds | accounts/s | peak RSS |\n|---:|---:|---:|---:|---:|---:|\n" + rows.join("\n") + "\n");
