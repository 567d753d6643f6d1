// Cases of OPA's conformance suite that credgov's compiler failed from source, each with OPA's
// expected result (the suite's want_result / want_error_code), through the whole compiler, the
// Wasm back end and the official SDK. The fixes are general: the cases here vary the suite's.
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../src/policy/bundle/eval-query.ts";

async function value(source: string, query: string, options: { input?: unknown; data?: Record<string, unknown> } = {}): Promise<unknown[]> {
  const rs = await evalQuery({ modules: [{ file: "t.rego", source }], query, ...options });
  return rs.map((r) => r.expressions[0].value);
}

describe("data refs with a number, boolean or null key read base data", () => {
  it("data[2] finds the base document key \"2\" next to packages (dataderef: data/toplevel integer)", async () => {
    expect(await value("package test\n\np := data[2]\n", "data.test.p", { data: { "2": "bar" } })).toEqual(["bar"]);
  });

  it("deeper in a package that also has rules", async () => {
    const src = "package test\n\nq := 1\np := data.test[7]\n";
    expect(await value(src, "data.test.p", { data: { test: { "7": "seven" } } })).toEqual(["seven"]);
  });
});

describe("ref-head rules may share the levels they create, not another rule's value", () => {
  it("injecting below another rule's object value conflicts, in either rule order (refheads)", async () => {
    const valueFirst = 'package test\n\np[q].r := v if {\n\tq := "q"\n\tv := {"s": {"t": 1}}\n}\n\np.q.r.s.u := 42\n';
    const deepFirst = 'package test\n\np.q.r.s.u := 42\n\np[q].r := v if {\n\tq := "q"\n\tv := {"s": {"t": 1}}\n}\n';
    await expect(value(valueFirst, "data.test.p")).rejects.toThrow(/eval_conflict_error/);
    await expect(value(deepFirst, "data.test.p")).rejects.toThrow(/eval_conflict_error/);
  });

  it("levels created on the way down are shared", async () => {
    const src = "package test\n\np.q.y[1] := 2\np.q.z := 1\np.q.y[k] := 3 if k := 2\n";
    expect(await value(src, "data.test.p")).toEqual([{ q: { y: { 1: 2, 2: 3 }, z: 1 } }]);
  });
});

describe("computed function arguments are evaluated after the body binds their vars", () => {
  it("a template string argument (stringinterpolation: template-string function arg)", async () => {
    const src = 'package test\n\np := f("foo bar")\n\nf($"{x} {input.y}") := 42 if {\n    x = "foo"\n}\n';
    expect(await value(src, "data.test.p", { input: { y: "bar" } })).toEqual([42]);
    expect(await value(src, "data.test.p", { input: { y: "baz" } })).toEqual([]);
  });

  it("a call argument, in every branch of an else chain", async () => {
    const src = 'package test\n\nf(sprintf("%d", [n])) := "one" if { n = 1 } else := "ten" if { n = 10 }\n\np := [f("1"), f("10")]\n';
    expect(await value(src, "data.test.p")).toEqual([["one", "ten"]]);
  });
});
