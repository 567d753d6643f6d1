// The one free-variable walker name resolution, safety and the test rewrites share: vars outside
// closures, ref operands included, call operators not; template strings only when asked.
import { describe, expect, it } from "vitest";
import type { Expr, Term } from "../../../../src/policy/rego/ast.ts";
import { isCallExpr, isTermExpr } from "../../../../src/policy/rego/ast.ts";
import { freeVars } from "../../../../src/policy/rego/compiler/free-vars.ts";
import { parseModule } from "../../../../src/policy/rego/parser.ts";

const value = (src: string): Term => parseModule(`package t\n\np := ${src}\n`, "t.rego").module!.rules[0].head.value!;

function vars(t: Term, templates: boolean): string[] {
  const out = new Set<string>();
  const templateExpr = (e: Expr, into: Set<string>) => {
    if (isCallExpr(e)) e.terms.slice(1).forEach((x) => freeVars(x, into, templateExpr));
    else if (isTermExpr(e)) freeVars(e.terms, into, templateExpr);
  };
  freeVars(t, out, templates ? templateExpr : undefined);
  return [...out].sort();
}

describe("freeVars", () => {
  it("collects vars of refs (operands too), composites and call operands, not call operators", () => {
    expect(vars(value("[a.b[c], {d: e}, {f}, count(g)]"), false)).toEqual(["a", "c", "d", "e", "f", "g"]);
  });

  it("does not look into closures", () => {
    expect(vars(value("[x | some x in y]"), false)).toEqual([]);
    expect(vars(value("[z, {k: v | some k, v in w}]"), true)).toEqual(["z"]);
  });

  it("looks into a template string's expressions only when asked", () => {
    const t = value('[a, $"{b} and {upper(c)}"]');
    expect(vars(t, false)).toEqual(["a"]);
    expect(vars(t, true)).toEqual(["a", "b", "c"]);
  });
});
