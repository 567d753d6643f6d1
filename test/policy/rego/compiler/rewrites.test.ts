import { describe, expect, it } from "vitest";
import { compileModules } from "../../../../src/policy/rego/compiler/compile.ts";
import { parseModule } from "../../../../src/policy/rego/parser.ts";
import { compileRego } from "../../../../src/policy/rego/index.ts";
import { nestedBlocks, type Block, type Policy, type Stmt } from "../../../../src/policy/rego/planner/ir.ts";
import { renderBody, renderTerm } from "../parser/render.ts";

function compile(source: string) {
  const parsed = parseModule(source, "t.rego");
  expect(parsed.errors).toEqual([]);
  const out = compileModules({ modules: [parsed.module!] });
  expect(out.errors.map((e) => e.message)).toEqual([]);
  return out.policy;
}

/** Every statement of a plan's plans and functions, nested blocks included. */
function allStmts(plan: Policy): Stmt[] {
  const out: Stmt[] = [];
  const walk = (blocks: Block[]): void => {
    for (const b of blocks) {
      for (const st of b.stmts) {
        out.push(st);
        walk(nestedBlocks(st));
      }
    }
  };
  for (const p of plan.plans.plans) walk(p.blocks);
  for (const f of plan.funcs.funcs) walk(f.blocks);
  return out;
}

describe("compile rewrites", () => {
  it("erases print statements", () => {
    const { plan } = compileRego({ modules: ["package t\n\np if {\n\tprint(\"debug\", y)\n\ty := 1\n}\n"], query: "data.t.p = x" });
    const calls = allStmts(plan).flatMap((st) => (st.type === "CallStmt" ? [st.stmt.func] : []));
    expect(calls.some((f) => f.includes("print"))).toBe(false);
    expect(plan.static.strings.map((x) => x.value)).not.toContain("debug");
  });

  it("renames locals uniquely, so a := in a comprehension shadows the outer var", () => {
    const policy = compile("package t\n\np := [x, ys] if {\n\tx := 1\n\tys := [x | some x in [2, 3]]\n}\n");
    const rule = policy.ruleSets.get("t/p")!.rules[0];
    // x (outer) 0, x (comprehension) 1, the generated index of `some x in` 2, ys 3.
    expect(renderBody(rule.body)).toBe("eq(__local0__, 1); eq(__local3__, [__local1__ | eq([2, 3][__local2__], __local1__)])");
    expect(renderTerm(rule.value!)).toBe("[__local0__, __local3__]");
  });

  it("orders a body so every expression's inputs are bound first", () => {
    const policy = compile("package t\n\np := z if {\n\tz = y + 1\n\ty = input.v\n}\n");
    const body = policy.ruleSets.get("t/p")!.rules[0].body;
    expect(renderBody(body)).toBe("eq(__local1__, input.v); eq(__local0__, plus(__local1__, 1))");
  });

  it("groups definitions by path and resolves package rule names to data refs", () => {
    const policy = compile("package a.b\n\nq contains 1\n\nq contains 2\n\np if q[1]\n");
    expect(policy.ruleSets.get("a/b/q")!.rules).toHaveLength(2);
    expect(renderBody(policy.ruleSets.get("a/b/p")!.rules[0].body)).toBe("data.a.b.q[1]");
  });

  it("plans very large literals without exhausting the stack", () => {
    const entries = Array.from({ length: 20000 }, (_, i) => `"k${i}": ${i}`).join(", ");
    const { plan } = compileRego({ modules: [`package t\n\ntable := {${entries}}\n\np := table.k5\n`], query: "data.t.p = x" });
    expect(plan.funcs.funcs.length).toBe(2);
  });

  it("plans very long bodies without exhausting the stack", () => {
    const body = Array.from({ length: 3000 }, (_, i) => `\tinput.v${i} == ${i}`).join("\n");
    const { plan } = compileRego({ modules: [`package t\n\np if {\n${body}\n}\n`], query: "data.t.p = x" });
    expect(allStmts(plan).filter((st) => st.type === "EqualStmt")).toHaveLength(3000);
  });
});

