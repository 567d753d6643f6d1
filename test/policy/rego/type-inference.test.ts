// Type inference for the call checks: types flow from the expressions that bind locals, from
// rules' values, from functions' results, through refs into typed locals and rules, and to a
// function's parameters from the builtins they are passed to, as in OPA's type checker, which
// reports each of these calls as rego_type_error with the same have/want lines.
import { describe, expect, it } from "vitest";
import { compileRego } from "../../../src/policy/rego/index.ts";

function check(...sources: string[]): void {
  compileRego({ modules: sources.map((source, i) => ({ file: `m${i}.rego`, source })), query: "data.t = x" });
}

describe("type inference for builtin call checks", () => {
  it.each([
    ["a local bound by :=", ["package t\n\np if {\n\tx := 1\n\tupper(x)\n}\n"], "upper", "number"],
    ["a local bound by = on either side, through a chain", ["package t\n\np if {\n\t[1] = y\n\tx = y\n\tupper(x)\n}\n"], "upper", "array<number>"],
    ["a complete rule's value", ["package t\n\nn := 5\n\np := upper(n)\n"], "upper", "number, ???"],
    ["a rule of another package", ["package t\n\nimport data.u\n\np := upper(u.n)\n", "package u\n\nn := count([1])\n"], "upper", "number, ???"],
    ["a function's result", ["package t\n\nf(x) := x + 1\n\np := upper(f(1))\n"], "upper", "number, ???"],
    ["a nested builtin's result through a local", ["package t\n\np if {\n\tn := count(input.xs)\n\tconcat(\",\", n)\n}\n"], "concat", "string, number"],
    ["a ref into a local object", ["package t\n\np if {\n\tx := {\"a\": 1}\n\tupper(x.a)\n}\n"], "upper", "number"],
    ["a ref into a local array by index", ["package t\n\np if {\n\tx := [1, \"a\"]\n\tupper(x[0])\n}\n"], "upper", "number"],
    ["a ref into a rule's value", ["package t\n\nobj := {\"a\": {\"b\": 1}}\n\np := upper(data.t.obj.a.b)\n"], "upper", "number, ???"],
    ["a partial set rule", ["package t\n\ns contains 1\n\np := upper(s)\n"], "upper", "set[number], ???"],
    ["a user function's parameter typed by the builtin it is passed to", ["package t\n\nf(x) := y if {\n\ty := x + 1\n}\n\np := f(\"a\")\n"], "data.t.f", "string, ???"],
    ["a loop var over an array literal (OPA: `x = [1, 2][k]`)", ["package t\n\np if {\n\tsome x in [1, 2]\n\tupper(x)\n}\n"], "upper", "number"],
    ["a loop var over a rule's set", ["package t\n\nxs := {1, 2}\n\np if {\n\tsome x in xs\n\tupper(x)\n}\n"], "upper", "number"],
    ["a loop key over an array", ["package t\n\np if {\n\tsome i, x in [\"a\", \"b\"]\n\tupper(i)\n}\n"], "upper", "number"],
    ["a var indexing a local array", ["package t\n\np if {\n\txs := [1]\n\txs[i]\n\tupper(i)\n}\n"], "upper", "number"],
    ["a var selecting in a local object", ["package t\n\np if {\n\txs := {\"a\": 1}\n\txs[k]\n\tabs(k)\n}\n"], "abs", "string"],
    ["a user function's literal parameter", ["package t\n\nf(1) := true\n\np := f(\"a\")\n"], "data.t.f", "string, ???"],
  ])("%s", (_what, sources, name, have) => {
    expect(() => check(...sources)).toThrow(`rego_type_error: ${name}: invalid argument(s)\n\thave: (${have})`);
  });

  it.each([
    ["input and base data", "package t\n\np if {\n\tx := input.a\n\tupper(x)\n\tupper(data.base.b)\n}\n"],
    ["a local bound to values of different types", "package t\n\np if {\n\tsome x in [1, \"a\"]\n\tupper(x)\n}\n"],
    ["a var only a negation compares", "package t\n\np if {\n\tsome x in input.xs\n\tnot x = 1\n\tupper(x)\n}\n"],
    ["vars bound only to each other", "package t\n\np if {\n\tx = y\n\ty = x\n\tx = input.a\n\tupper(y)\n}\n"],
    ["a rule with definitions of different types", "package t\n\nn := 1 if input.a\nn := \"a\" if input.b\n\np := upper(n)\n"],
    ["a rule replaced under with", "package t\n\nn := 5\n\np if {\n\tupper(n) with data.t.n as \"a\"\n}\n"],
    ["a function whose result depends on its arguments", "package t\n\nid(x) := x\n\np := upper(id(\"a\"))\n"],
    ["a loop var over input", "package t\n\np if {\n\tsome x in input.xs\n\tupper(x)\n}\n"],
    ["a key var over input", "package t\n\np if {\n\tsome i\n\tinput.xs[i]\n\tupper(i)\n}\n"],
    ["a key var selecting in an array and an object", "package t\n\np if {\n\txs := [1]\n\tys := {\"a\": 1}\n\txs[i]\n\tys[i]\n\tupper(i)\n}\n"],
    ["a local array selected by a var", "package t\n\np if {\n\tx := [1, \"a\"]\n\tsome i\n\tupper(x[i])\n}\n"],
    ["a parameter passed to builtins of different types", "package t\n\nf(x) := y if {\n\ty := x + 1\n\tstartswith(x, \"a\")\n}\n\np := f(\"a\")\n"],
    ["a parameter also used as a ref key (OPA may type it there first)", "package t\n\nf(x) := y if {\n\tinput.a[x]\n\ty := x + 1\n}\n\np := f(\"a\")\n"],
    ["an else branch that uses the parameter otherwise", "package t\n\nf(x) := 1 if {\n\tinput.a[x]\n} else := 2 if {\n\tupper(x) == \"A\"\n}\n\np := f(1)\n"],
    ["a function with a clause for any argument", "package t\n\nf(1) := true\n\nf(x) := x\n\np := f(\"a\")\n"],
    ["a user function called with input", "package t\n\nf(x) := upper(x)\n\np := f(input.a)\n"],
  ])("accepts what it cannot judge: %s", (_what, source) => {
    expect(() => check(source)).not.toThrow();
  });
});

// The message as OPA builds it: every operand (the output too: a nested call's hidden output or
// a var not typed yet is ???) against the parameters followed by the result. OPA also names a
// builtin's parameters (`want: (x: string, y: string)`); the declarations (capabilities.json)
// carry no names, so for builtins `want` lists the types only. User functions match exactly.
describe("argument error messages", () => {
  it.each([
    ["a nested call", "package t\n\np := upper(1)\n", "upper", "number, ???", "string, string"],
    ["an output var not typed yet", "package t\n\np if {\n\tupper(1, x)\n\tx == \"A\"\n}\n", "upper", "number, ???", "string, string"],
    ["a typed output var", "package t\n\np if {\n\ty := \"a\"\n\tupper(1, y)\n}\n", "upper", "number, string", "string, string"],
    ["a call without output", "package t\n\np if {\n\tstartswith(1, \"a\")\n}\n", "startswith", "number, string", "string, string, boolean"],
    ["a user function", "package t\n\nf(x) := y if {\n\ty := x + 1\n}\n\np := f(\"a\")\n", "data.t.f", "string, ???", "number, number"],
  ])("%s", (_what, source, name, have, want) => {
    expect(() => check(source)).toThrow(`rego_type_error: ${name}: invalid argument(s)\n\thave: (${have})\n\twant: (${want})`);
  });
});

// OPA's type checker types a var at its first binding and reports a later unification whose
// sides cannot have equal values: `rego_type_error: match error` with the left and right types
// (??? for a var not typed yet).
describe("unification match errors", () => {
  it.each([
    ["a declared local compared with another type", "package t\n\np if {\n\tx := 1\n\tx = \"a\"\n}\n", "number", "string"],
    ["arrays of different lengths", "package t\n\np if {\n\tx := 1\n\t[x, 2] = [1, 2, 3]\n}\n", "array<number, number>", "array<number, number, number>"],
    ["an array pattern with open vars", "package t\n\np if {\n\t[1, x] = [\"a\", 2]\n}\n", "array<number, ???>", "array<string, number>"],
    ["a := pattern of the wrong length", "package t\n\np if {\n\t[a, b] := [1, 2, 3]\n}\n", "array<???, ???>", "array<number, number, number>"],
    ["objects with different keys", "package t\n\np if {\n\t{\"a\": x} = {\"b\": 1}\n}\n", "object[string: any]", "object[string: number]"],
    ["a rule's value", "package t\n\nn := 5\n\np if {\n\tn = \"a\"\n}\n", "number", "string"],
    ["a local through another", "package t\n\np if {\n\tx := 1\n\ty := [x]\n\ty = [\"a\"]\n}\n", "array<number>", "array<string>"],
    ["a declared array against a longer pattern", "package t\n\np if {\n\tx := [1]\n\tx = [y, z]\n}\n", "array<number>", "array<???, ???>"],
  ])("%s", (_what, source, left, right) => {
    expect(() => check(source)).toThrow(`rego_type_error: match error\n\tleft  : ${left}\n\tright : ${right}`);
  });

  it.each([
    ["input on either side", "package t\n\np if {\n\tx := input.a\n\tx = \"a\"\n\t[y] = input.b\n\ty = 1\n}\n"],
    ["a var first typed by a ref key (any in OPA)", "package t\n\np if {\n\tinput.a[x]\n\tx = 1\n\tx = \"a\"\n}\n"],
    ["wildcards", "package t\n\np if {\n\t_ = 1\n\t_ = \"a\"\n}\n"],
    ["a rule replaced under with", "package t\n\nn := 5\n\np if {\n\tn = \"a\" with data.t.n as \"a\"\n}\n"],
    ["a negated comparison of another type", "package t\n\np if {\n\tx := input.a\n\tnot x = 1\n\tx = \"a\"\n}\n"],
    ["arrays of the same shape", "package t\n\np if {\n\t[1, x] = [2, y]\n\tx = 1\n}\n"],
  ])("accepts what it cannot judge: %s", (_what, source) => {
    expect(() => check(source)).not.toThrow();
  });
});

// OPA's ref checker: selecting in a value whose type is a scalar is `rego_type_error: undefined
// ref: REF`, then the ref, a caret under the part that is the scalar, and its type.
describe("undefined refs into scalars", () => {
  it.each([
    ["a local number", "package t\n\np if {\n\tx := 1\n\tx.a\n}\n", "x.a", "^", "number"],
    ["an array element", "package t\n\np if {\n\tx := [1]\n\tx[0].a == 1\n}\n", "x[0].a", "^^^^", "number"],
    ["a rule's value", "package t\n\nn := 5\n\np if {\n\tn.a\n}\n", "data.t.n.a", "^^^^^^^^", "number"],
    ["a partial set's member", "package t\n\ns contains \"a\"\n\np if {\n\ts[\"a\"][0]\n}\n", "data.t.s.a[0]", "^^^^^^^^^^", "string"],
    ["a loop var over an array literal", "package t\n\np if {\n\tsome x in [1]\n\tx.a\n}\n", "x.a", "^", "number"],
    ["a string by a var", "package t\n\np if {\n\tx := \"abc\"\n\tsome i\n\tx[i]\n}\n", "x[i]", "^", "string"],
  ])("%s", (_what, source, ref, caret, have) => {
    expect(() => check(source)).toThrow(`rego_type_error: undefined ref: ${ref}\n\t${ref}\n\t${caret}\n\thave: ${have}`);
  });

  it.each([
    ["a missing key of an object literal (OPA names the keys; not judged here)", "package t\n\np if {\n\tx := {\"a\": 1}\n\tx.b.c\n}\n"],
    ["an index past an array literal's end", "package t\n\np if {\n\tx := [1]\n\tx[3].a\n}\n"],
    ["a rule replaced under with", "package t\n\nn := 5\n\np if {\n\tn.a with data.t.n as {\"a\": 1}\n}\n"],
    ["input", "package t\n\np if {\n\tx := input.a\n\tx.b\n}\n"],
    ["a set selected by a key of another type", "package t\n\ns contains \"a\"\n\np if {\n\ts[1][0]\n}\n"],
  ])("accepts what it cannot judge: %s", (_what, source) => {
    expect(() => check(source)).not.toThrow();
  });
});
