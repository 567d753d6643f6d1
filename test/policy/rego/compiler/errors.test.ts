import { describe, expect, it } from "vitest";
import { RegoCompileError, compileRego } from "../../../../src/policy/rego/index.ts";

function errorsOf(source: string, query = "data.test.p = x"): string[] {
  try {
    compileRego({ modules: [{ file: "policies/t.rego", source }], query });
  } catch (e) {
    expect(e).toBeInstanceOf(RegoCompileError);
    return (e as RegoCompileError).errors.map((x) => x.message);
  }
  return [];
}

describe("compile errors", () => {
  it("reports an unsafe var with file, row, column and name", () => {
    const errs = errorsOf("package test\n\np if {\n\tx := y\n}\n");
    expect(errs).toEqual(["policies/t.rego:4:2: rego_unsafe_var_error: var y is unsafe"]);
  });

  it("reorders a body instead of reporting vars bound later", () => {
    expect(errorsOf("package test\n\np := y if {\n\ty = x + 1\n\tx = 2\n}\n")).toEqual([]);
  });

  it("`with` may replace a whole rule but nothing inside one (OPA's validateWith: partially replacing a virtual document)", () => {
    const source = 'package test\n\nperson := {"name": "Tom", "age": 34}\n\nage := person.age\n\np := a if a := age with person.age as 2\n';
    expect(errorsOf(source)).toEqual(["policies/t.rego:7:25: rego_compile_error: with keyword cannot partially replace virtual document(s)"]);
    // The rule itself, and data that no rule computes, may be replaced.
    expect(errorsOf(source.replace("with person.age as 2", 'with person as {"age": 2}'))).toEqual([]);
    expect(errorsOf("package test\n\np := x if x := data.cfg.limit with data.cfg.limit as 2\n")).toEqual([]);
  });

  it("reports an unsafe head var", () => {
    const errs = errorsOf("package test\n\np contains x if {\n\ttrue\n}\n");
    expect(errs.some((e) => e.includes("rego_unsafe_var_error: var x is unsafe"))).toBe(true);
  });

  it("reports complete and partial definitions of one rule as conflicting", () => {
    const errs = errorsOf("package test\n\np := 1\n\np contains 2\n");
    expect(errs.some((e) => e.startsWith("policies/t.rego:5:1: rego_type_error: conflicting rules data.test.p"))).toBe(true);
  });

  it("reports multiple defaults", () => {
    const errs = errorsOf("package test\n\ndefault p := 1\n\ndefault p := 2\n");
    expect(errs.some((e) => e.includes("rego_type_error: multiple default rules data.test.p"))).toBe(true);
  });

  it("reports function definitions with different arities", () => {
    const errs = errorsOf("package test\n\nf(x) := x\n\nf(x, y) := x\n\np := f(1)\n");
    expect(errs.some((e) => e.includes("function arity mismatch"))).toBe(true);
  });

  it("reports builtin arity mismatches and accepts the output-argument form", () => {
    expect(errorsOf("package test\n\np := n if {\n\tcount([1], n)\n}\n")).toEqual([]);
    const errs = errorsOf("package test\n\np if {\n\tcount([1], 1, 2)\n}\n");
    // OPA's type checker: the operands' types against the parameters and the result.
    expect(errs).toContain(
      "policies/t.rego:4:2: rego_type_error: count: too many arguments\n\thave: (array<number>, number, number)\n\twant: (collection: any<string, array[any], object[any: any], set[any]>, n: number)",
    );
  });

  it("reports unknown functions", () => {
    const errs = errorsOf("package test\n\np := nosuch.fn(1)\n");
    expect(errs.some((e) => e.includes("rego_type_error: undefined function nosuch.fn"))).toBe(true);
  });

  it("reports recursion through other rules", () => {
    const errs = errorsOf("package test\n\np if q\n\nq if p\n");
    expect(errs.some((e) => e.includes("rego_recursion_error: rule data.test.") && e.includes("is recursive"))).toBe(true);
  });

  it("surfaces parse errors with their position", () => {
    const errs = errorsOf("package test\n\np if {\n\t1 +\n}\n");
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0]).toMatch(/^policies\/t\.rego:\d+:\d+: rego_parse_error: /);
  });

  it("reports all errors of a compile at once", () => {
    const errs = errorsOf("package test\n\na if {\n\tx := y\n}\n\nb := nosuch(1)\n");
    expect(errs.length).toBeGreaterThanOrEqual(2);
  });

  it("rejects redeclaring a local with :=", () => {
    const errs = errorsOf("package test\n\np if {\n\tx := 1\n\tx := 2\n}\n");
    expect(errs.some((e) => e.includes("rego_compile_error: var x assigned above"))).toBe(true);
  });

  it("rejects declaring with := a var already used above in the body", () => {
    const errs = errorsOf("package test\n\np if {\n\ty := x + 1\n\tx := 2\n}\n");
    expect(errs.some((e) => e.startsWith("policies/t.rego:5:2: rego_compile_error: var x referenced above"))).toBe(true);
  });

  it("does not report recursion through a dynamic ref that cannot reach the rule", () => {
    expect(errorsOf("package test\n\np := data[x].q if x := \"test\"\n\nq := 1\n")).toEqual([]);
    const errs = errorsOf("package test\n\np := data[x].p if x := \"test\"\n");
    expect(errs.some((e) => e.includes("rego_recursion_error"))).toBe(true);
  });
});

