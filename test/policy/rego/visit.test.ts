// The generic AST walk and transformer the compile passes share.
import { describe, expect, it } from "vitest";
import { parseModule } from "../../../src/policy/rego/parser.ts";
import type { Term } from "../../../src/policy/rego/ast.ts";
import { transformRule, visitRule } from "../../../src/policy/rego/visit.ts";
import { renderRule } from "./parser/render.ts";

const rule = (src: string) => parseModule(`package t\n\n${src}\n`, "t.rego").module!.rules[0];

describe("AST visitor", () => {
  it("hands every term to the visitor, parents first, into comprehensions and template strings", () => {
    const seen: string[] = [];
    visitRule(rule('p := [x | some x in input.xs; $"{x}" != ""] if true'), {
      term: (t) => void (t.value.type === "var" && seen.push(t.value.value)),
    });
    // `some x in` is the call internal.member_2(x, input.xs); operators are terms too.
    expect(seen).toEqual(["p", "x", "internal", "x", "input", "neq", "x"]);
  });

  it("skips a node's children when the callback returns false", () => {
    const seen: string[] = [];
    visitRule(rule("p := [x | x := 1] if y := 2"), {
      term: (t) => (t.value.type === "var" && seen.push(t.value.value), t.value.type !== "arraycomprehension"),
    });
    expect(seen).toEqual(["p", "assign", "y"]);
  });
});

describe("AST transformer", () => {
  it("replaces terms everywhere, copies what it rebuilds and leaves the input alone", () => {
    const r = rule("p := {x: [1, 2]} if { x := 1; y := {z | z := x} }");
    const before = renderRule(r);
    const one: Term = { value: { type: "number", value: "1" }, location: r.location };
    const out = transformRule(r, { term: (t) => (t.value.type === "number" && t.value.value === "1" ? { ...one, value: { type: "number", value: "9" } } : undefined) });
    expect(renderRule(out)).toBe("p := {x: [9, 2]} if { assign(x, 9); assign(y, {z | assign(z, x)}) }");
    expect(renderRule(r)).toBe(before);
  });
});
