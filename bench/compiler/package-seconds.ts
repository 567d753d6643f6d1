// CPU seconds each policy package's Wasm evaluation takes over the batches of a snapshot (the
// inputs the engine's batch workers get), one package at a time on this thread: says which
// package the library's evaluation time goes to. The engine itself runs every package in one
// entrypoint (credgov_engine/batch, the last row).
//
//   node --expose-gc bench/compiler/package-seconds.ts SNAPSHOT.json [options]
//     --batch N          subjects per batch (default 100000, the engine's default)
//     --entrypoints A,B  only these entrypoints
//     --write-wasm FILE  also write this checkout's compiled library to FILE
//     --wasm FILE        evaluate this module instead of this checkout's library
//     --vs FILE          and this second module, interleaved with the first batch by batch
//                        (paired: both see the same machine load), with the ratio vs/wasm
//     --rounds N         evaluate every batch N times (default 1)
//
// Before/after a runtime change: `--write-wasm before.wasm` in the older checkout, then
// `--wasm before.wasm --vs after.wasm` (after.wasm written by this checkout).
// The module compiled here keeps its name section: under `node --cpu-prof` the profile names
// runtime functions and rules (`fn:g0.data.credgov.frag.results`) instead of wasm-function[N].
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { readFileBytes } from "../../src/io/read-file-bytes.ts";
import { loadBackEnd } from "../../src/policy/bundle/wasm-backend.ts";
import { RuleIndex } from "../../src/policy/engine/input-projection.ts";
import { deniedBuiltins, memoryLimits } from "../../src/policy/engine/policy-module.ts";
import { batchEntrypoint, builtinPoliciesDir, engineEntrypoints, readPolicyLibrary } from "../../src/policy/engine/policy-sources.ts";
import { subjectBatches } from "../../src/policy/engine/subject-batches.ts";
import { compileRego } from "../../src/policy/rego/index.ts";
import { compilePlan } from "../../src/policy/wasm/compile-plan.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    batch: { type: "string", default: "100000" },
    entrypoints: { type: "string" },
    "write-wasm": { type: "string" },
    wasm: { type: "string" },
    vs: { type: "string" },
    rounds: { type: "string", default: "1" },
  },
});
const file = positionals[0];
if (!file) throw new Error("usage: package-seconds.ts SNAPSHOT.json [--batch N] [--entrypoints A,B] [--write-wasm FILE] [--wasm FILE [--vs FILE]] [--rounds N]");
const batchSubjects = Number(values.batch);
const rounds = Number(values.rounds);

const library = readPolicyLibrary([builtinPoliciesDir]);
const { hostBuiltins } = await loadBackEnd();
let own: Uint8Array | undefined;
if (!values.wasm || values["write-wasm"]) {
  own = compilePlan(compileRego({ modules: library.modules, entrypoints: library.entrypoints }).plan, { names: true }).wasm;
  if (values["write-wasm"]) writeFileSync(values["write-wasm"], own);
}
const modules = [values.wasm ? new Uint8Array(readFileSync(values.wasm)) : own!, ...(values.vs ? [new Uint8Array(readFileSync(values.vs))] : [])];

const bytes = await readFileBytes(file);
const batches = subjectBatches(bytes, batchSubjects);
const projection = new RuleIndex(library.modules).projection([batchEntrypoint]);
const inputs = Array.from({ length: batches.count }, (_, i) => batches.batch(i, projection));
const largest = Math.max(...inputs.map((b) => b.byteLength));
const policies = await Promise.all(
  modules.map(async (wasm) => {
    const policy = await loadPolicy(wasm as unknown as ArrayBuffer, memoryLimits(largest * 1.5), { ...hostBuiltins, ...deniedBuiltins });
    policy.setData({ credgov: { config: { thresholds: {} }, shard: { role: "subjects" } } });
    // Warm-up (not counted): V8 compiles the module's hot functions in the background, on CPU
    // time the first measured entrypoint would otherwise be charged with.
    policy.evaluate(inputs[0]!.buffer as ArrayBuffer, batchEntrypoint);
    return policy;
  }),
);

// CPU seconds of this process, not wall time: the machine is shared.
const cpuSeconds = (run: () => void): number => {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
};

const packages = library.entrypoints.filter((e) => !engineEntrypoints.has(e));
const mib = (inputs.reduce((n, b) => n + b.byteLength, 0) / 2 ** 20).toFixed(1);
const what = `CPU s, ${inputs.length} batches of ${batchSubjects} subjects, ${mib} MiB of input${rounds > 1 ? `, mean of ${rounds} rounds` : ""}`;
console.log(policies.length > 1 ? `| entrypoint | --wasm (${what}) | --vs | vs / wasm |\n| --- | ---: | ---: | ---: |` : `| entrypoint | ${what} |\n| --- | ---: |`);
for (const ep of values.entrypoints?.split(",") ?? [...packages, batchEntrypoint]) {
  const totals = policies.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    for (const input of inputs) policies.forEach((policy, i) => (totals[i]! += cpuSeconds(() => policy.evaluate(input.buffer as ArrayBuffer, ep))));
  }
  const cells = totals.map((t) => (t / rounds).toFixed(3));
  if (totals.length > 1) cells.push((totals[1]! / totals[0]!).toFixed(2));
  console.log(`| ${ep} | ${cells.join(" | ")} |`);
}
