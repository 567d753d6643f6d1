// Benchmark (not a test): opa_json_parse of a 100k-account document vs V8 JSON.parse (best of 7).
//   node test/policy/wasm/bench/parse-json.ts
import { compilePlan } from "../../../../src/policy/wasm/compile-plan.ts";
import { makePlan, resultOf, st } from "../ir-builder.ts";
import { instantiate } from "../wasm-api.ts";
const N = 100_000;
const accounts = Array.from({ length: N }, (_, i) => ({ id: `acct-${i}`, enabled: i % 3 !== 0, kind: i % 5 === 0 ? "service" : "human", name: `User ${i}`, dn: `CN=User ${i},OU=People,DC=example,DC=com`, lastLogon: "2024-01-01T00:00:00Z", privileged: i % 50 === 0 }));
const text = JSON.stringify({ accounts });
const bytes = new TextEncoder().encode(text);
const inst = instantiate(compilePlan(makePlan({ strings: ["x"], plans: [{ name: "t/p", stmts: [st("MakeNullStmt", { target: 2 }), ...resultOf(2, 0)] }] })).wasm);
const base = inst.exports.opa_heap_ptr_get();
let best = 1e9, bestJs = 1e9;
for (let r = 0; r < 7; r++) {
  inst.exports.opa_heap_ptr_set(base);
  const addr = inst.exports.opa_malloc(bytes.length);
  new Uint8Array(inst.memory.buffer).set(bytes, addr);
  let t = performance.now();
  const v = inst.exports.opa_json_parse(addr, bytes.length);
  best = Math.min(best, performance.now() - t);
  if (!v) throw new Error("parse failed");
  t = performance.now(); JSON.parse(text); bestJs = Math.min(bestJs, performance.now() - t);
}
console.log(`opa_json_parse best ${best.toFixed(1)}ms, JSON.parse best ${bestJs.toFixed(1)}ms, ${(bytes.length / 1e6).toFixed(1)} MB`);
