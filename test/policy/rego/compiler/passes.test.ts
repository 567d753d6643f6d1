// Each compile pass alone: Rego in, the structure runCompilePasses leaves after that pass out
// (rendered as text where it is a body), one row per pass of COMPILE_PASSES.
import { describe, expect, it } from "vitest";
import { COMPILE_PASSES, runCompilePasses, type CompileInput, type CompilePassName, type CompileState } from "../../../../src/policy/rego/compiler/compile.ts";
import type { CompiledRule } from "../../../../src/policy/rego/compiler/model.ts";
import { parseModule, parseQuery } from "../../../../src/policy/rego/parser.ts";
import { renderBody, renderTerm } from "../parser/render.ts";

interface PassCase {
  pass: CompilePassName;
  what: string;
  rego: string;
  options?: Omit<CompileInput, "modules" | "query"> & { query?: string };
  /** What the test looks at in the state the passes leave. */
  inspect: (s: CompileState) => unknown;
  expected: unknown;
}

const rule = (s: CompileState, key: string, i = 0): CompiledRule => s.ruleSets.get(key)!.rules[i];
const ruleOf = (s: CompileState, name: string): CompiledRule => s.rules.find((r) => r.path.join("/") === name)!;
const messages = (s: CompileState) => s.errors.map((e) => e.message);

const cases: PassCase[] = [
  {
    pass: "testNames",
    what: "a second definition of a test becomes test_x#01",
    rego: "package t\n\ntest_a if true\n\ntest_a if false\n",
    options: { tests: true },
    inspect: (s) => s.input.modules[0].rules.map((r) => r.head.name),
    expected: ["test_a", "test_a#01"],
  },
  {
    pass: "ruleNames",
    what: "the rule names of each package",
    rego: "package t.u\n\np if true\n\nq contains 1\n\nf(x) := x\n",
    inspect: (s) => Object.fromEntries([...s.ruleNames].map(([k, v]) => [k, [...v].sort()])),
    expected: { "t/u": ["f", "p", "q"] },
  },
  {
    pass: "documentAnnotations",
    what: "document-scoped METADATA by rule path",
    rego: "package t\n\n# METADATA\n# scope: document\n# title: P\np if true\n\np if false\n",
    inspect: (s) => [...s.documentAnnotations].map(([k, v]) => [k, v.map((a) => a.title)]),
    expected: [["t/p", ["P"]]],
  },
  {
    pass: "inlineMetadata",
    what: "rego.metadata.rule() becomes the rule's annotations",
    rego: "package t\n\n# METADATA\n# title: Hello\np := rego.metadata.rule()\n",
    inspect: (s) => renderTerm(s.moduleRules[0].rules[0].rule.head.value!),
    expected: '{"title": "Hello", "scope": "rule"}',
  },
  {
    pass: "resolveNames",
    what: "rule names become data refs, imports expand, locals are renamed (`:=` becomes `=` on the fresh local)",
    rego: "package t\n\nimport input.user as u\n\nq := 1\n\np if {\n\tx := u.name\n\tx == q\n}\n",
    inspect: (s) => renderBody(ruleOf(s, "t/p").body),
    expected: "eq(__local0__, input.user.name); equal(__local0__, data.t.q)",
  },
  {
    pass: "ruleSets",
    what: "definitions grouped by path with their kind",
    rego: "package t\n\nq contains 1\n\nq contains 2\n\ndefault p := false\n\np if q[1]\n",
    inspect: (s) => [...s.ruleSets].map(([k, set]) => [k, set.kind, set.rules.length, !!set.defaultRule]),
    expected: [["t/q", "set", 2, false], ["t/p", "complete", 1, true]],
  },
  {
    pass: "resolveQuery",
    what: "the query's own variables are its result",
    rego: "package t\n\np := 1\n",
    options: { query: "data.t.p = x" },
    inspect: (s) => ({ body: renderBody(s.query!.body), vars: s.query!.resultVars }),
    expected: { body: "eq(data.t.p, x)", vars: [{ name: "x", local: "x" }] },
  },
  {
    pass: "checkCalls",
    what: "an unknown function",
    rego: "package t\n\np if nope(1)\n\nq if count([1])\n",
    inspect: messages,
    expected: ["t.rego:3:6: rego_type_error: undefined function nope"],
  },
  {
    pass: "liftComputedArgs",
    what: "a computed function argument becomes a parameter bound in the body",
    rego: "package t\n\nf([lower(y)], y) := 1\n",
    inspect: (s) => ({ args: rule(s, "t/f").args!.map(renderTerm), body: renderBody(rule(s, "t/f").body) }),
    expected: { args: ["__local1__", "__local0__"], body: "eq(__local1__, [lower(__local0__)]); true" },
  },
  {
    pass: "comprehensionTerms",
    what: "a comprehension head that needs evaluation becomes the last expression of its body, as OPA does",
    rego: 'package t\n\np := [input.xs[k] | k != "b"]\n',
    inspect: (s) => renderTerm(rule(s, "t/p").value!),
    expected: '[__local1__ | neq(__local0__, "b"); eq(__local1__, input.xs[__local0__])]',
  },
  {
    pass: "headTerms",
    what: "a rule head's key or value that needs evaluation becomes the last expression of its body, as OPA does",
    rego: "package t\n\nxs := {\"a\": {\"n\": 1}}\n\nby_id[id] := xs[id].n\n",
    inspect: (s) => `${renderTerm(rule(s, "t/by_id").value!)} if ${renderBody(rule(s, "t/by_id").body)}`,
    expected: "__local1__ if true; eq(__local1__, data.t.xs[__local0__].n)",
  },
  {
    pass: "safety",
    what: "a body reordered so each expression's inputs are bound first",
    rego: "package t\n\np := z if {\n\tz = y + 1\n\ty = input.v\n}\n",
    inspect: (s) => renderBody(rule(s, "t/p").body),
    expected: "eq(__local1__, input.v); eq(__local0__, plus(__local1__, 1))",
  },
  {
    pass: "negatedOperands",
    what: "the ref and call operands of a negated call are bound before the negation, as OPA does",
    rego: "package t\n\np if not startswith(lower(input.name), input.prefix)\n",
    inspect: (s) => renderBody(rule(s, "t/p").body),
    expected: "lower(input.name, __local0__); eq(__local1__, input.prefix); not startswith(__local0__, __local1__)",
  },
  {
    pass: "testCases",
    what: "a parametrised test reports each case once its key is bound",
    rego: "package t\n\ntest_x[tc] if {\n\tsome tc in [1, 2]\n\ttc > 0\n}\n",
    options: { tests: true },
    inspect: (s) => renderBody(rule(s, "t/test_x").body).includes("internal.test_case([__local"),
    expected: true,
  },
  {
    pass: "coverage",
    what: "a probe before every expression and at the head",
    rego: "package t\n\np if {\n\tinput.a\n\tinput.b\n}\n",
    options: { coverage: true },
    inspect: (s) => [...(s.probes?.get("t.rego") ?? [])].sort(),
    expected: [3, 4, 5],
  },
  {
    pass: "recursion",
    what: "rules that depend on themselves",
    rego: "package t\n\np if q\n\nq if p\n",
    inspect: messages,
    expected: ["t.rego:3:1: rego_recursion_error: rule data.t.p is recursive: data.t.p -> data.t.q -> data.t.p"],
  },
  {
    pass: "refHeadGroups",
    what: "rules under a ref head with variables join its rule set",
    rego: "package t\n\np[x].r := 1 if some x in [\"a\"]\n\np.d.r := 3\n",
    inspect: (s) => [...s.ruleSets].map(([k, set]) => [k, set.rules.map((r) => r.keys.map(renderTerm).join(" "))]),
    expected: [["t/p", ["__local0__ \"r\"", "\"d\" \"r\""]]],
  },
];

function input(c: PassCase): CompileInput {
  const parsed = parseModule(c.rego, "t.rego");
  expect(parsed.errors).toEqual([]);
  const { query, ...options } = c.options ?? {};
  return { modules: [parsed.module!], query: query === undefined ? undefined : parseQuery(query, "<query>").body, ...options };
}

describe("compile passes, one at a time", () => {
  it("has a case for every pass, in the order they run", () => {
    expect(cases.map((c) => c.pass)).toEqual(COMPILE_PASSES.map((p) => p.name));
  });

  for (const c of cases) {
    it(`${c.pass}: ${c.what}`, () => {
      expect(c.inspect(runCompilePasses(input(c), c.pass))).toEqual(c.expected);
    });
  }

  it("stops after the named pass: nothing of the later passes has happened", () => {
    const c = cases.find((x) => x.pass === "safety")!;
    const before = runCompilePasses(input(c), "liftComputedArgs");
    expect(renderBody(rule(before, "t/p").body)).toBe("eq(__local0__, plus(__local1__, 1)); eq(__local1__, input.v)");
    expect(runCompilePasses(input(c), "ruleNames").rules).toEqual([]);
    expect(() => runCompilePasses(input(c), "nope" as CompilePassName)).toThrow("unknown compile pass nope");
  });
});
