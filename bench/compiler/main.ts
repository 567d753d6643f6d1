// `npm run bench -- compiler [--sizes 10000,100000]`: the policy compiler's output against the
// same checks in plain TypeScript, on synthetic snapshots. Each measurement runs in its own
// child process so peak RSS (maxRSS) belongs to that run alone.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { sizes: { type: "string" } }, strict: false });
const sizes = (typeof values.sizes === "string" ? values.sizes : "10000,100000,300000").split(",").map(Number);
const child = fileURLToPath(new URL("./measure-child.ts", import.meta.url));

interface Report {
  compileSeconds?: number;
  evalSeconds: number;
  checksSeconds?: number;
  maxRssBytes: number;
  result: unknown;
  wasmBytes?: number;
}

function measure(mode: "wasm" | "ts", accounts: number): Report | string {
  const r = spawnSync(process.execPath, ["--max-old-space-size=8192", child, mode, String(accounts)], {
    stdio: ["ignore", "inherit", "pipe", "pipe"],
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const out = (r.output[3] as string | null) ?? "";
  if (r.status !== 0 || !out) return `${mode} run failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? "").trim().split("\n").slice(-3).join(" / ")}`;
  return JSON.parse(out) as Report;
}

const mb = (b: number) => `${Math.round(b / 2 ** 20)} MB`;
const notes: string[] = [];
// Rows are printed as each size finishes, so a long 300k run does not hide the smaller results.
// Both columns start from the snapshot's JSON bytes (parse + 20 checks); "TS checks only"
// leaves out the TypeScript side's JSON.parse, for readers who want the harsher comparison.
console.log("| accounts | eval seconds | peak RSS | TS seconds | ratio | TS checks only |");
console.log("|---:|---:|---:|---:|---:|---:|");
for (const n of sizes) {
  const wasm = measure("wasm", n);
  const ts = measure("ts", n);
  if (typeof wasm === "string" || typeof ts === "string") {
    console.log(`| ${n.toLocaleString("en-US")} | ${typeof wasm === "string" ? "failed" : wasm.evalSeconds.toFixed(2)} | ${typeof wasm === "string" ? "-" : mb(wasm.maxRssBytes)} | ${typeof ts === "string" ? "failed" : ts.evalSeconds.toFixed(3)} | - | - |`);
    for (const f of [wasm, ts]) if (typeof f === "string") notes.push(`${n}: ${f}`);
    continue;
  }
  const agree = JSON.stringify(wasm.result, Object.keys(wasm.result as object).sort()) === JSON.stringify(ts.result, Object.keys(ts.result as object).sort());
  if (!agree) notes.push(`${n}: results differ: wasm ${JSON.stringify(wasm.result)} vs ts ${JSON.stringify(ts.result)}`);
  notes.push(`${n}: compile ${wasm.compileSeconds?.toFixed(2)} s, module ${wasm.wasmBytes} bytes, TS peak RSS ${mb(ts.maxRssBytes)}${agree ? ", results agree" : ""}`);
  console.log(`| ${n.toLocaleString("en-US")} | ${wasm.evalSeconds.toFixed(2)} | ${mb(wasm.maxRssBytes)} | ${ts.evalSeconds.toFixed(3)} | ${(wasm.evalSeconds / ts.evalSeconds).toFixed(1)}x | ${ts.checksSeconds?.toFixed(3)} |`);
}
console.log("");
for (const n of notes) console.log(`- ${n}`);
