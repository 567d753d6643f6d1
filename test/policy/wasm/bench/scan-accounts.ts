// Benchmark (not a test): 100k accounts, one scan with a hashed anti-join against an owners
// object, through the stock SDK, against the same filter hand-written in TypeScript.
//   node test/policy/wasm/bench/scan-accounts.ts
// "wasm" passes a JS object (the SDK JSON.stringifies it); "pre-serialized" passes the JSON bytes
// (what an engine reading a snapshot file can do); "parse only" evaluates a trivial plan.
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { compilePlan } from "../../../../src/policy/wasm/compile-plan.ts";
import { bool, local, makePlan, resultOf, st, str } from "../ir-builder.ts";
// strings: 0 x, 1 accounts, 2 enabled, 3 kind, 4 service, 5 id, 6 owners, 7 owner
const plan = makePlan({
  strings: ["x", "accounts", "enabled", "kind", "service", "id", "owners", "owner"],
  plans: [{ name: "b/p", stmts: [
    st("MakeSetStmt", { target: 2 }),
    st("DotStmt", { source: local(0), key: str(1), target: 3 }),
    st("DotStmt", { source: local(0), key: str(6), target: 20 }),
    st("ScanStmt", { source: 3, key: 4, value: 5, block: { stmts: [
      st("DotStmt", { source: local(5), key: str(2), target: 6 }),
      st("EqualStmt", { a: local(6), b: bool(true) }),
      st("DotStmt", { source: local(5), key: str(3), target: 7 }),
      st("EqualStmt", { a: local(7), b: str(4) }),
      st("DotStmt", { source: local(5), key: str(5), target: 8 }),
      st("NotStmt", { block: { stmts: [ st("DotStmt", { source: local(20), key: local(8), target: 9 }) ] } }),
      st("SetAddStmt", { value: local(8), set: 2 }),
    ] } }),
    ...resultOf(2, 0),
  ] }],
});
const N = 100_000;
const accounts = Array.from({ length: N }, (_, i) => ({ id: `acct-${i}`, enabled: i % 3 !== 0, kind: i % 5 === 0 ? "service" : "human", name: `User ${i}`, dn: `CN=User ${i},OU=People,DC=example,DC=com`, lastLogon: "2024-01-01T00:00:00Z", privileged: i % 50 === 0 }));
const owners: Record<string, string> = {};
for (let i = 0; i < N; i += 2) owners[`acct-${i}`] = `owner-${i}`;
const input = { accounts, owners };
const policy = await loadPolicy(compilePlan(plan).wasm);
const ts = () => { const out = new Set<string>(); for (const a of input.accounts) if (a.enabled === true && a.kind === "service" && !(a.id in input.owners)) out.add(a.id); return [...out].sort(); };
for (let r = 0; r < 3; r++) {
  let t = performance.now(); const w = policy.evaluate(input) as { x: string[] }[]; const tw = performance.now() - t;
  t = performance.now(); const tr = ts(); const tt = performance.now() - t;
  t = performance.now(); JSON.parse(JSON.stringify(input)); const tj = performance.now() - t;
  const buf = new TextEncoder().encode(JSON.stringify(input)).buffer;
  t = performance.now(); policy.evaluate(buf); const tb = performance.now() - t;
  console.log(`wasm ${tw.toFixed(1)}ms (pre-serialized input ${tb.toFixed(1)}ms) ts ${tt.toFixed(1)}ms ts+json-roundtrip ${(tt + tj).toFixed(1)}ms same=${JSON.stringify(w[0].x) === JSON.stringify(tr)} n=${tr.length}`);
}
const trivial = await loadPolicy(compilePlan(makePlan({ strings: ["x"], plans: [{ name: "t/p", stmts: [st("MakeNullStmt", { target: 2 }), ...resultOf(2, 0)] }] })).wasm);
const buf2 = new TextEncoder().encode(JSON.stringify(input)).buffer;
for (let r = 0; r < 3; r++) { const t = performance.now(); trivial.evaluate(buf2); console.log(`parse only ${(performance.now() - t).toFixed(1)}ms for ${(buf2.byteLength / 1e6).toFixed(1)}MB`); }
