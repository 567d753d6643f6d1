// Seconds each policy package's Wasm evaluation takes over the batches of a snapshot, one
// package at a time on this thread (the engine runs them all in one entrypoint, in workers):
// says which package the library's evaluation time goes to.
//   node --expose-gc bench/compiler/package-seconds.ts SNAPSHOT.json [BATCH_SUBJECTS] [ENTRYPOINT,...]
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { readFileBytes } from "../../src/io/read-file-bytes.ts";
import { loadBackEnd } from "../../src/policy/bundle/wasm-backend.ts";
import { compileRego } from "../../src/policy/rego/index.ts";
import { compilePlan } from "../../src/policy/wasm/compile-plan.ts";
import { RuleIndex } from "../../src/policy/engine/input-projection.ts";
import { deniedBuiltins, memoryLimits } from "../../src/policy/engine/policy-module.ts";
import { batchEntrypoint, builtinPoliciesDir, engineEntrypoints, readPolicyLibrary } from "../../src/policy/engine/policy-sources.ts";
import { subjectBatches } from "../../src/policy/engine/subject-batches.ts";

const file = process.argv[2];
if (!file) throw new Error("usage: package-seconds.ts SNAPSHOT.json [BATCH_SUBJECTS]");
const batchSubjects = Number(process.argv[3] ?? 100_000);
const bytes = await readFileBytes(file);
const library = readPolicyLibrary([builtinPoliciesDir]);
const { hostBuiltins } = await loadBackEnd();
// Compiled as the engine compiles it, with a name section: under --cpu-prof the profile names
// runtime functions and rules (`fn:credgov.frag.…`) instead of wasm-function[N].
const wasm = compilePlan(compileRego({ modules: library.modules, entrypoints: library.entrypoints }).plan, { names: true }).wasm;
const packages = library.entrypoints.filter((e) => !engineEntrypoints.has(e));
const batches = subjectBatches(bytes, batchSubjects);
const projection = new RuleIndex(library.modules).projection([batchEntrypoint]);
const inputs = Array.from({ length: batches.count }, (_, i) => batches.batch(i, projection));
const largest = Math.max(...inputs.map((b) => b.byteLength));
const policy = await loadPolicy(wasm as unknown as ArrayBuffer, memoryLimits(largest * 1.5), { ...hostBuiltins, ...deniedBuiltins });
policy.setData({ credgov: { config: { thresholds: {} }, shard: { role: "subjects" } } });
// Warm-up (not counted): V8 compiles the module's hot functions in the background, on CPU
// time the first measured entrypoint would otherwise be charged with.
policy.evaluate(inputs[0]!.buffer as ArrayBuffer, batchEntrypoint);
const rows: [string, number][] = [];
const only = process.argv[4]?.split(",");
for (const ep of only ?? [...packages, batchEntrypoint]) {
  let total = 0;
  for (const input of inputs) {
    // CPU seconds of this process, not wall time: the machine is shared.
    const start = process.cpuUsage();
    policy.evaluate(input.buffer as ArrayBuffer, ep);
    const used = process.cpuUsage(start);
    total += used.user + used.system;
  }
  rows.push([ep, total / 1e6]);
}
console.log(`| entrypoint | CPU seconds (${inputs.length} batches of ${batchSubjects} subjects, ${(inputs.reduce((n, b) => n + b.byteLength, 0) / 2 ** 20).toFixed(1)} MiB of input) |`);
console.log("| --- | ---: |");
for (const [ep, s] of rows) console.log(`| ${ep} | ${s.toFixed(3)} |`);
