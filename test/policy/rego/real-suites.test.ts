// Regression tests for root causes found by running public policy suites unchanged through
// `credgov policy test` (compliance baselines and a Rego v0 admission library; see
// bench/policy-test/README.md). Each case states OPA's result for the same Rego and runs
// through the whole compiler, the Wasm back end and the official SDK.
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../src/policy/bundle/eval-query.ts";
import { compileRego } from "../../../src/policy/rego/index.ts";

async function values(source: string, query: string, input?: unknown): Promise<unknown[]> {
  const rs = await evalQuery({ modules: [{ file: "t.rego", source }], query, input });
  return rs.map((r) => r.bindings.x);
}

describe("a head with empty parentheses, f() := x, is a rule (OPA checks len(Head.Args) > 0)", () => {
  it("is referred to without parentheses and sits in the data document", async () => {
    const src = 'package t\n\nf() := {"a": 1}\n\nuse := f.a\n';
    expect(await values(src, "x := [data.t.use, data.t.f]")).toEqual([[1, { a: 1 }]]);
  });

  it("v0: `f() = x { ... }` too (an admission library's test fixtures)", async () => {
    const src = 'package t\n\nf() = x {\n  x := {"a": 1}\n}\n\nuse = y {\n  y := f\n}\n';
    const rs = await evalQuery({ modules: [{ file: "t.rego", source: src }], query: "x := data.t.use.a", regoVersion: "v0" });
    expect(rs.map((r) => r.bindings.x)).toEqual([1]);
  });

  it("may be called as f() when its type is any, as OPA's checker allows", async () => {
    const src = "package t\n\ng() := x if x := input.q\n\nuse := g()\nok if g()\n";
    expect(await values(src, "x := [data.t.use, data.t.ok]", { q: 3 })).toEqual([[3, true]]);
  });

  it("called as f() with a known type is OPA's `undefined function`", () => {
    expect(() => compileRego({ modules: ['package t\n\nh() := "s"\n\nuse := h()\n'], query: "true" })).toThrow(/undefined function data\.t\.h/);
  });
});
