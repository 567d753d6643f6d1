// Benchmark (not a test): Wasm heap bytes used by opa_json_parse per byte of a snapshot's JSON.
//   node bench/estate/generate.ts --accounts 30000 --out /tmp/heap-est
//   node bin/credgov.js collect -q --config /tmp/heap-est/credgov.yaml --out /tmp/heap-est/snap.json
//   node test/policy/wasm/bench/heap-per-byte.ts /tmp/heap-est/snap.json
// The JSON text itself also lives in linear memory (parsed in place); it is not counted as heap.
import { readFileSync } from "node:fs";
import { compilePlan } from "../../../../src/policy/wasm/compile-plan.ts";
import { makePlan, resultOf, st } from "../ir-builder.ts";
import { instantiate } from "../wasm-api.ts";

const file = process.argv[2];
if (!file) {
  console.error("usage: node test/policy/wasm/bench/heap-per-byte.ts <snapshot.json>");
  process.exit(2);
}
const bytes = readFileSync(file);
const inst = instantiate(compilePlan(makePlan({ strings: ["x"], plans: [{ name: "t/p", stmts: [st("MakeNullStmt", { target: 2 }), ...resultOf(2, 0)] }] })).wasm);
const addr = inst.exports.opa_malloc(bytes.length);
new Uint8Array(inst.memory.buffer).set(bytes, addr);
const before = inst.exports.opa_heap_ptr_get() >>> 0;
const t = performance.now();
const v = inst.exports.opa_json_parse(addr, bytes.length);
const ms = performance.now() - t;
if (!v) throw new Error(`${file}: opa_json_parse failed`);
const used = (inst.exports.opa_heap_ptr_get() >>> 0) - before;
const mib = (n: number) => (n / 2 ** 20).toFixed(1);
console.log(`${file}: ${mib(bytes.length)} MiB JSON -> ${mib(used)} MiB heap = ${(used / bytes.length).toFixed(2)} heap bytes per JSON byte; ` +
  `linear memory ${mib(inst.memory.buffer.byteLength)} MiB; parse ${ms.toFixed(0)} ms`);
