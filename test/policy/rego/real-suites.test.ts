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

describe("the operands of a negated expression are evaluated before it, as OPA's compiler arranges", () => {
  // OPA's RewriteExprTerms moves nested calls out of an expression and RewriteDynamicTerms binds
  // each ref argument of a call to a var first, negated expressions included (OPA issue 1877),
  // so an undefined operand makes the body undefined instead of the negation true. An admission
  // library relies on it: `not accept_value(rule, value, params.ranges)` with no ranges.
  const src = [
    "package t",
    "",
    "f(_, _) := true",
    "g(x) := x if x > 0",
    "",
    "ref_argument if not f(1, input.missing)",
    "ref_in_array_argument if not f(1, [input.missing])",
    "nested_call if not f(1, g(-1))",
    "builtin_argument if not startswith(input.missing, \"a\")",
    "comparison if not input.missing > 1",
    "in_comprehension := [y | some y in [1, 2]; not f(y, input.missing)]",
    "",
    "# a unification, `==` (OPA's RewriteEquals makes it one) and a plain ref stay inside the negation",
    "unification if not input.missing = 1",
    "double_equals if not input.missing == 1",
    "plain_ref if not input.missing",
    "dynamic_key if not input.xs[input.missing]",
    "",
  ].join("\n");

  it.each([
    ["ref_argument", []],
    ["ref_in_array_argument", []],
    ["nested_call", []],
    ["builtin_argument", []],
    ["comparison", []],
    ["in_comprehension", [[]]],
    ["unification", [true]],
    ["double_equals", [true]],
    ["plain_ref", [true]],
    ["dynamic_key", []],
  ])("%s", async (rule, want) => {
    expect(await values(src, `x := data.t.${rule}`, { xs: {} })).toEqual(want);
  });

  it("defined operands keep the negation's meaning", async () => {
    const defined = 'package t\n\nbad if not startswith(input.name, "a")\n';
    expect(await values(defined, "x := data.t.bad", { name: "bob" })).toEqual([true]);
    expect(await values(defined, "x := data.t.bad", { name: "alice" })).toEqual([]);
  });
});

describe("module structure and type checking as OPA's", () => {
  it("an import after the rules applies to the whole module (a vulnerability-check library has one)", async () => {
    const rs = await evalQuery({
      modules: [
        { file: "t.rego", source: "package t\n\np := y.a\n\nimport data.y\n" },
        { file: "y.rego", source: "package y\n\na := 1\n" },
      ],
      query: "x := data.t.p",
    });
    expect(rs.map((r) => r.bindings.x)).toEqual([1]);
  });

  it("a parameter used only inside a comprehension stays any: OPA types a closure's body in an environment it drops", () => {
    // obj_by_path(obj, path) with object.subset(path, …) inside a comprehension, called with a string path.
    const src = "package t\n\nf(p) := r if {\n\tr := {x | some x in [1]; object.subset(p, {})}\n}\n\nuse := f(\"s\")\n";
    expect(() => compileRego({ modules: [src], query: "true" })).not.toThrow();
  });

  it("a parameter used as a builtin argument in the body itself is typed by it, as in OPA", () => {
    const src = "package t\n\ng(p) := 1 if object.subset(p, {})\n\nuse := g(\"s\")\n";
    expect(() => compileRego({ modules: [src], query: "true" })).toThrow(/data\.t\.g: invalid argument\(s\)/);
  });
});

describe("deprecated casts keep OPA's types (v0 libraries call them)", () => {
  // OPA's casts.go: cast_array turns a set into an array, cast_set an array into a set;
  // set_diff returns a set. A mutating-admission example computes patches from cast_array(patch).
  it("cast_array of a set is an array, cast_set of an array a set, set_diff a set", async () => {
    const rs = await evalQuery({
      modules: [],
      query:
        "x := [is_array(cast_array({2, 1})), cast_array({2, 1}), type_name(cast_set([1, 1])), count(cast_set([1, 1])), " +
        "type_name(set_diff({1, 2}, {2})), array.concat(cast_array({\"b\", \"a\"}), [\"c\"])]",
      regoVersion: "v0",
    });
    expect(rs.map((r) => r.bindings.x)).toEqual([[true, [1, 2], "set", 1, "set", ["a", "b", "c"]]]);
  });
});
