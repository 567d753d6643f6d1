// One measurement in a fresh process: generate the synthetic estate, then either compile and
// evaluate policy.rego (wasm) or run checks.ts (ts). Reports timings, peak RSS and the result
// as JSON on fd 3, so the parent compares like with like.
import { readFileSync, writeSync } from "node:fs";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compileRego } from "../../src/policy/rego/index.ts";
import { compilePlan } from "../../src/policy/wasm/compile-plan.ts";
import { hostBuiltins } from "../../src/policy/wasm/host-builtins/index.ts";
import { runChecks } from "./checks.ts";
import { generateInput } from "./snapshot-data.ts";

const [mode, countArg] = process.argv.slice(2);
const count = Number(countArg);
// Both sides start where credgov starts: the snapshot's JSON bytes on disk. Serialising the
// generated estate is set-up, not measured; the TypeScript side pays for JSON.parse as a real
// TypeScript evaluator of snapshot.json would, the Wasm side for parsing inside the module.
const bytes = new TextEncoder().encode(JSON.stringify(generateInput(count)));
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

let report: Record<string, unknown>;
if (mode === "ts") {
  const start = process.hrtime.bigint();
  const input = JSON.parse(new TextDecoder().decode(bytes));
  const parsedAt = process.hrtime.bigint();
  const result = runChecks(input);
  report = { evalSeconds: seconds(start), checksSeconds: seconds(parsedAt), result };
} else {
  const compileStart = process.hrtime.bigint();
  const source = readFileSync(new URL("./policy.rego", import.meta.url), "utf8");
  const { plan } = compileRego({ modules: [{ file: "bench/compiler/policy.rego", source }], entrypoints: ["bench/summary"] });
  const compiled = compilePlan(plan);
  const policy = await loadPolicy(compiled.wasm, undefined, hostBuiltins);
  const compileSeconds = seconds(compileStart);
  const start = process.hrtime.bigint();
  const rs = policy.evaluate(bytes.buffer as ArrayBuffer, "bench/summary") as { result: unknown }[];
  report = { compileSeconds, evalSeconds: seconds(start), result: rs[0]?.result, wasmBytes: compiled.wasm.byteLength };
}
report.maxRssBytes = process.resourceUsage().maxRSS * 1024;
writeSync(3, JSON.stringify(report));
