// Planner output run through the Wasm back end and the official SDK: the plan must evaluate to
// what OPA evaluates for the same Rego.
import { loadPolicy } from "@open-policy-agent/opa-wasm";
import { describe, expect, it } from "vitest";
import { compileRego } from "../../../../src/policy/rego/index.ts";
import { loadBackEnd } from "../../../../src/policy/bundle/wasm-backend.ts";

async function evalQuery(source: string, query: string, input?: unknown, data?: object): Promise<unknown> {
  const { plan } = compileRego({ modules: [{ file: "t.rego", source }], query });
  const backEnd = await loadBackEnd();
  const { wasm } = backEnd.compilePlan(plan);
  const policy = await loadPolicy(wasm, undefined, backEnd.hostBuiltins as never);
  if (data) policy.setData(data);
  return policy.evaluate(input);
}

describe("planner end to end", () => {
  it("complete rules, base data and input", async () => {
    const src = "package test\n\np := 7 if {\n\tdata.foo == q\n}\n\nq := input.baz\n";
    expect(await evalQuery(src, "data.test.p = x", { baz: "bar" }, { foo: "bar" })).toEqual([{ x: 7 }]);
    expect(await evalQuery(src, "data.test.p = x", { baz: "other" }, { foo: "bar" })).toEqual([]);
  });

  it("partial sets, iteration and comprehensions", async () => {
    const src = [
      "package test",
      "s contains x if { some x in input.xs; x > 1 }",
      "c := count([y | some y in input.xs; y > 2])",
      "o[k] := v if { some k, v in input.obj; v != 0 }",
    ].join("\n");
    const input = { xs: [1, 2, 3], obj: { a: 1, b: 0 } };
    expect(await evalQuery(src, "data.test.s = x", input)).toEqual([{ x: [2, 3] }]);
    expect(await evalQuery(src, "data.test.c = x", input)).toEqual([{ x: 1 }]);
    expect(await evalQuery(src, "data.test.o = x", input)).toEqual([{ x: { a: 1 } }]);
  });

  it("functions, else, default, not and every", async () => {
    const src = [
      "package test",
      "f(x) := \"big\" if { x > 10 } else := \"small\"",
      "default d := \"none\"",
      "d := input.d",
      "n if not input.flag",
      "all_pos if { every v in input.xs { v > 0 } }",
      "r := [f(1), f(20), d]",
    ].join("\n");
    expect(await evalQuery(src, "data.test.r = x", { xs: [1] })).toEqual([{ x: ["small", "big", "none"] }]);
    expect(await evalQuery(src, "data.test.n = x", { flag: false })).toEqual([{ x: true }]);
    expect(await evalQuery(src, "data.test.all_pos = x", { xs: [1, 2] })).toEqual([{ x: true }]);
    expect(await evalQuery(src, "data.test.all_pos = x", { xs: [1, -2] })).toEqual([]);
  });

  it("with on input and the whole package as a virtual document", async () => {
    const src = ["package test", "a := input.v", "b := y if { y := a with input.v as 5 }", "p := 1"].join("\n");
    expect(await evalQuery(src, "data.test.b = x", { v: 1 })).toEqual([{ x: 5 }]);
    const all = (await evalQuery(src, "data.test = x", { v: 1 })) as Array<{ x: Record<string, unknown> }>;
    expect(all[0].x).toEqual({ a: 1, b: 5, p: 1 });
  });

  it("entrypoint plans return [{result}]", async () => {
    const { plan } = compileRego({
      modules: [{ file: "r.rego", source: "package credgov.reset\n\nviolations contains id if {\n\tsome a in input.accounts\n\ta.bad\n\tid := a.id\n}\n" }],
      entrypoints: ["credgov/reset/violations"],
    });
    const backEnd = await loadBackEnd();
    const policy = await loadPolicy(backEnd.compilePlan(plan).wasm, undefined, backEnd.hostBuiltins as never);
    expect(policy.evaluate({ accounts: [{ id: "u1", bad: true }, { id: "u2", bad: false }] }, "credgov/reset/violations")).toEqual([
      { result: ["u1"] },
    ]);
  });

  it("negation and every over bodies that iterate", async () => {
    const src = [
      "package test",
      "bad := {\"x\"}",
      "none_bad if { not some_bad }",
      "some_bad if { some v in input.xs; bad[v] }",
      "neg if { not input.xs[_] == \"x\" }",
      "all_prefixed if { every s in input.xs { some p in [\"a\", \"x\"]; startswith(s, p) } }",
    ].join("\n");
    expect(await evalQuery(src, "data.test.neg = x", { xs: ["a", "b"] })).toEqual([{ x: true }]);
    expect(await evalQuery(src, "data.test.neg = x", { xs: ["a", "x"] })).toEqual([]);
    expect(await evalQuery(src, "data.test.none_bad = x", { xs: ["a", "x"] })).toEqual([]);
    expect(await evalQuery(src, "data.test.all_prefixed = x", { xs: ["ab", "xy"] })).toEqual([{ x: true }]);
    expect(await evalQuery(src, "data.test.all_prefixed = x", { xs: ["ab", "zz"] })).toEqual([]);
  });

  it("ref heads that overlap build one document", async () => {
    const src = ["package test", "p[q].r contains s if { some q in [\"a\", \"b\"]; s := upper(q) }", "p.b.r contains \"z\"", "p.c := 1"].join("\n");
    expect(await evalQuery(src, "data.test.p = x")).toEqual([{ x: { a: { r: ["A"] }, b: { r: ["B", "z"] }, c: 1 } }]);
  });

  it("with replaces rules and functions for one expression", async () => {
    const src = [
      "package test",
      "base := 1",
      "double(x) := x * 2",
      "triple(x) := x * 3",
      "uses := double(base)",
      "r := [a, b, c, d] if { a := uses with base as 5; b := uses with double as triple; c := uses; v := 7; d := uses with base as v }",
    ].join("\n");
    expect(await evalQuery(src, "data.test.r = x")).toEqual([{ x: [10, 3, 2, 14] }]);
  });
});
