import { describe, expect, it } from "vitest";
import { compileModules } from "../../../../src/policy/rego/compiler/compile.ts";
import { parseModule } from "../../../../src/policy/rego/parser.ts";
import { compileRego } from "../../../../src/policy/rego/index.ts";

function compile(source: string) {
  const parsed = parseModule(source, "t.rego");
  expect(parsed.errors).toEqual([]);
  const out = compileModules({ modules: [parsed.module!] });
  expect(out.errors.map((e) => e.message)).toEqual([]);
  return out.policy;
}

describe("compile rewrites", () => {
  it("erases print statements", () => {
    const { plan } = compileRego({ modules: ["package t\n\np if {\n\tprint(\"debug\", y)\n\ty := 1\n}\n"], query: "data.t.p = x" });
    expect(JSON.stringify(plan)).not.toContain("print");
  });

  it("renames locals uniquely, so a := in a comprehension shadows the outer var", () => {
    const policy = compile("package t\n\np := [x, ys] if {\n\tx := 1\n\tys := [x | some x in [2, 3]]\n}\n");
    const rule = policy.ruleSets.get("t/p")!.rules[0];
    const text = JSON.stringify(rule.body);
    const locals = new Set(text.match(/__local\d+__/g));
    // x (outer), ys, x (comprehension) and the generated index of `some x in`.
    expect(locals.size).toBe(4);
  });

  it("orders a body so every expression's inputs are bound first", () => {
    const policy = compile("package t\n\np := z if {\n\tz = y + 1\n\ty = input.v\n}\n");
    const body = policy.ruleSets.get("t/p")!.rules[0].body;
    expect(JSON.stringify(body[0])).toContain("input");
  });

  it("groups definitions by path and resolves package rule names to data refs", () => {
    const policy = compile("package a.b\n\nq contains 1\n\nq contains 2\n\np if q[1]\n");
    expect(policy.ruleSets.get("a/b/q")!.rules).toHaveLength(2);
    expect(JSON.stringify(policy.ruleSets.get("a/b/p")!.rules[0].body)).toContain('"value":"data"');
  });

  it("plans very large literals without exhausting the stack", () => {
    const entries = Array.from({ length: 20000 }, (_, i) => `"k${i}": ${i}`).join(", ");
    const { plan } = compileRego({ modules: [`package t\n\ntable := {${entries}}\n\np := table.k5\n`], query: "data.t.p = x" });
    expect(plan.funcs.funcs.length).toBe(2);
  });

  it("plans very long bodies without exhausting the stack", () => {
    const body = Array.from({ length: 3000 }, (_, i) => `\tinput.v${i} == ${i}`).join("\n");
    const { plan } = compileRego({ modules: [`package t\n\np if {\n${body}\n}\n`], query: "data.t.p = x" });
    expect(JSON.stringify(plan).match(/"EqualStmt"/g)).toHaveLength(3000);
  });
});

