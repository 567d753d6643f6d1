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
    // OPA moves a head value's calls into the body (rewriteExprTermsInHead), so they type the parameter.
    ["a user function's parameter typed by a call in its head value", ["package t\n\nf(x) := x + 1\n\np := f(\"a\")\n"], "data.t.f", "string, ???"],
    ["a user function's literal parameter", ["package t\n\nf(1) := true\n\np := f(\"a\")\n"], "data.t.f", "string, ???"],
    ["an object literal (static properties, keys unquoted)", ["package t\n\np if {\n\tx := {\"b\": \"s\", \"a\": 1}\n\tupper(x)\n}\n"], "upper", "object<a: number, b: string>"],
    ["a var of an array pattern (OPA's unify1: `[x, y] = t` types x as t[0])", ["package t\n\np if {\n\t[x, y] = [1, \"a\"]\n\tupper(x)\n}\n"], "upper", "number"],
    ["a var of a nested pattern bound by :=", ["package t\n\np if {\n\t[_, [y]] := [\"a\", [2]]\n\tupper(y)\n}\n"], "upper", "number"],
    ["a var of an object pattern under a constant key", ["package t\n\np if {\n\t{\"k\": x} = {\"k\": 1}\n\tupper(x)\n}\n"], "upper", "number"],
    ["a var of an array pattern over a builtin's result", ["package t\n\np if {\n\t[a, _] := split(input.s, \".\")\n\tabs(a)\n}\n"], "abs", "string"],
    ["a var bound by = alone", ["package t\n\np if {\n\tx = 1\n\tupper(x)\n}\n"], "upper", "number"],
    ["a loop var of a comprehension in a rule head", ["package t\n\np := [x | some x in [1, 2]; upper(x)]\n"], "upper", "number"],
    ["a `some` var of a comprehension in a rule head", ["package t\n\np := {x | some x; x = 1; upper(x)}\n"], "upper", "number"],
    ["a local of a comprehension in a rule head", ["package t\n\np := [y | x := 1; y := upper(x)]\n"], "upper", "number, ???"],
    ["a loop value over an object literal", ["package t\n\np if {\n\tsome v in {\"a\": 1}\n\tupper(v)\n}\n"], "upper", "number"],
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
    ["a local array selected by a var", "package t\n\np if {\n\tx := [1, \"a\"]\n\tsome i\n\tupper(x[i])\n}\n"],
    ["a parameter passed to builtins of different types", "package t\n\nf(x) := y if {\n\ty := x + 1\n\tstartswith(x, \"a\")\n}\n\np := f(\"a\")\n"],
    ["a parameter also used as a ref key (OPA may type it there first)", "package t\n\nf(x) := y if {\n\tinput.a[x]\n\ty := x + 1\n}\n\np := f(\"a\")\n"],
    ["an else branch that uses the parameter otherwise", "package t\n\nf(x) := 1 if {\n\tinput.a[x]\n} else := 2 if {\n\tupper(x) == \"A\"\n}\n\np := f(1)\n"],
    ["a function with a clause for any argument", "package t\n\nf(1) := true\n\nf(x) := x\n\np := f(\"a\")\n"],
    ["a user function called with input", "package t\n\nf(x) := upper(x)\n\np := f(input.a)\n"],
    ["a pattern var over input", "package t\n\np if {\n\t[x, _] := input.pair\n\tupper(x)\n}\n"],
    ["an object literal where the builtin wants any object", "package t\n\np := object.keys({\"a\": 1})\n"],
    // OPA's unifiesObjects compares dynamic parts by their values only (OPA's conformance case
    // replacen/bad pattern object operand/non-string key type-checks and fails in evaluation).
    ["a comprehension's dynamic key type", "package t\n\np := strings.replace_n({2: \"x\" | true}, \"foo\")\n"],
    ["extra properties where the declaration has a dynamic part", "package t\n\np := json.patch({}, [{\"op\": \"add\", \"path\": \"/a\", \"value\": 1}])\n"],
  ])("accepts what it cannot judge: %s", (_what, source) => {
    expect(() => check(source)).not.toThrow();
  });
});

// OPA types a var where it is first bound, in checking order, and only compares it after that
// (check.go's unify1 and ref checker): a later binding of another type is an error, not a union.
describe("a var keeps the type of its first binding", () => {
  it("a key var selecting in an array, then in an object", () => {
    const source = "package t\n\np if {\n\txs := [1]\n\tys := {\"a\": 1}\n\txs[i]\n\tys[i]\n\tupper(i)\n}\n";
    expect(() => check(source)).toThrow(
      '2 errors occurred:\nm0.rego:7:2: rego_type_error: undefined ref: ys[i]\n\tys[i]\n\t   ^\n\t   have (type): number\n\t   want (one of): ["a"]\nm0.rego:8:2: rego_type_error: upper: invalid argument(s)\n\thave: (number)\n\twant: (x: string, y: string)',
    );
  });

  it.each([
    ["a var of an array pattern", "[x] = [1]\n\tx = \"a\""],
    ["a loop value of some ... in", "some x in [1, 2]\n\tx = \"a\""],
    ["a loop key of some ... in", "some x, _ in [\"a\"]\n\tx = \"a\""],
    ["a builtin statement's output", "count([1], x)\n\tx = \"a\""],
    ["a key var selecting in an array", "xs := [1]\n\txs[x]\n\tx = \"a\""],
  ])("%s, then = of another type: match error", (_what, body) => {
    expect(() => check(`package t\n\np if {\n\t${body}\n}\n`)).toThrow("rego_type_error: match error\n\tleft  : number\n\tright : string");
  });

  it("a builtin statement's output passed to another builtin", () => {
    expect(() => check("package t\n\np if {\n\tcount([1], n)\n\tupper(n)\n}\n")).toThrow("rego_type_error: upper: invalid argument(s)\n\thave: (number)\n\twant: (x: string, y: string)");
  });

  it.each([
    ["input", "x := input.a\n\tx = \"a\"\n\tupper(x)"],
    ["a loop over input", "some x in input.xs\n\tx = 1\n\tupper(x)"],
    ["a binding that reads a var bound later (reordering moves it)", "x = y\n\ty = \"a\"\n\tupper(x)"],
    ["a negated first occurrence", "not input.xs[i]\n\ti = \"a\"\n\tupper(i)"],
  ])("accepts what it cannot judge: %s", (_what, body) => {
    expect(() => check(`package t\n\np if {\n\t${body}\n}\n`)).not.toThrow();
  });
});

// The message as OPA builds it: every operand (the output too: a nested call's hidden output or
// a var not typed yet is ???) against the parameters followed by the result, each named as the
// builtin's declaration names it (`x: string`); a user function's parameters are unnamed.
describe("argument error messages", () => {
  it.each([
    ["a nested call", "package t\n\np := upper(1)\n", "upper", "number, ???", "x: string, y: string"],
    ["an output var not typed yet", "package t\n\np if {\n\tupper(1, x)\n\tx == \"A\"\n}\n", "upper", "number, ???", "x: string, y: string"],
    ["a typed output var", "package t\n\np if {\n\ty := \"a\"\n\tupper(1, y)\n}\n", "upper", "number, string", "x: string, y: string"],
    ["a call without output", "package t\n\np if {\n\tstartswith(1, \"a\")\n}\n", "startswith", "number, string", "search: string, base: string, result: boolean"],
    ["a union parameter", "package t\n\np := concat(1, 2)\n", "concat", "number, number, ???", "delimiter: string, collection: any<array[string], set[string]>, output: string"],
    ["a result named with a space", "package t\n\np := time.format(\"x\")\n", "time.format", "string, ???", "x: any<number, array<number, string>, array<number, string, string>>, formatted timestamp: string"],
    ["uri.is_valid (OPA names its parameter uri)", "package t\n\np := uri.is_valid(1)\n", "uri.is_valid", "number, ???", "uri: string, result: boolean"],
    ["uri.parse", "package t\n\np := uri.parse(1)\n", "uri.parse", "number, ???", "uri: string, output: object[string: string]"],
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
    ["objects with different keys (the var this unification would type is ???)", "package t\n\np if {\n\t{\"a\": x} = {\"b\": 1}\n}\n", "object<a: ???>", "object<b: number>"],
    ["a declared object against one with another key", "package t\n\np if {\n\tx := {\"a\": 1}\n\tx = {\"a\": 1, \"b\": 2}\n}\n", "object<a: number>", "object<a: number, b: number>"],
    ["a rule's value", "package t\n\nn := 5\n\np if {\n\tn = \"a\"\n}\n", "number", "string"],
    ["a local through another", "package t\n\np if {\n\tx := 1\n\ty := [x]\n\ty = [\"a\"]\n}\n", "array<number>", "array<string>"],
    ["a var a comprehension in a rule head declares", "package t\n\np := [x | x = 1; x = \"a\"]\n", "number", "string"],
    ["a var a comprehension in a body declares", "package t\n\np if {\n\txs := {x | x = 1; x = \"a\"}\n\tcount(xs) > 0\n}\n", "number", "string"],
    ["a var of a nested comprehension bound to an outer one", "package t\n\np := [x | some x in [1]; [y | y = x; y = \"a\"]]\n", "number", "string"],
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
    ["a comprehension var first bound to an outer var of type any", "package t\n\np if {\n\tx := input.a\n\txs := [y | y = x; y = \"a\"]\n\tx = 1\n\tcount(xs) > 0\n}\n"],
    // OPA declares equal and neq as (any, any) => boolean: `==` between types that cannot be
    // equal is not a type error (it is just never true), unlike `=`.
    ["== between a number and a string", "package t\n\np if {\n\tx := 1\n\tx == \"a\"\n}\n"],
    ["!= between an object and an array", "package t\n\np if {\n\tx := {\"a\": 1}\n\tx != [1]\n}\n"],
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
    ["a property of an object literal", "package t\n\np if {\n\tx := {\"a\": 1}\n\tx.a.b\n}\n", "x.a.b", "^^^", "number"],
  ])("%s", (_what, source, ref, caret, have) => {
    expect(() => check(source)).toThrow(`rego_type_error: undefined ref: ${ref}\n\t${ref}\n\t${caret}\n\thave: ${have}`);
  });

  it.each([
    ["an index into an array of unknown length", "package t\n\np if {\n\tx := split(input.s, \".\")\n\tx[3]\n}\n"],
    ["an index into an empty array literal (OPA: array[any])", "package t\n\np if {\n\tx := []\n\tx[0]\n}\n"],
    ["a rule replaced under with", "package t\n\nn := 5\n\np if {\n\tn.a with data.t.n as {\"a\": 1}\n}\n"],
    ["input", "package t\n\np if {\n\tx := input.a\n\tx.b\n}\n"],
  ])("accepts what it cannot judge: %s", (_what, source) => {
    expect(() => check(source)).not.toThrow();
  });
});

// OPA types an object literal by its constant keys (static properties); a constant key the type
// has no property for is `undefined ref`: the ref, a caret under the key, the key, and the keys
// there are (`want (one of)`), as OPA prints it (e.g. for a schema: `have: "kinds"` /
// `want (one of): ["kind" "version"]`).
describe("undefined refs: keys an object type lacks", () => {
  it.each([
    ["a local object literal", "package t\n\np if {\n\tx := {\"a\": 1}\n\tx.b.c\n}\n", "x.b.c", "  ", '"b"', '["a"]'],
    ["keys listed in order", "package t\n\np if {\n\tx := {\"c\": 1, \"a\": 2}\n\tx.b\n}\n", "x.b", "  ", '"b"', '["a" "c"]'],
    ["a nested object", "package t\n\np if {\n\tx := {\"a\": {\"b\": 1}}\n\tx.a.c == 1\n}\n", "x.a.c", "    ", '"c"', '["b"]'],
    ["a complete rule's value", "package t\n\nobj := {\"a\": 1}\n\np if {\n\tdata.t.obj.b\n}\n", "data.t.obj.b", "           ", '"b"', '["a"]'],
    ["an element of an array literal", "package t\n\np if {\n\txs := [{\"a\": 1}]\n\txs[0].b\n}\n", "xs[0].b", "      ", '"b"', '["a"]'],
    ["a var bound by a pattern", "package t\n\np if {\n\t[x] := [{\"a\": 1}]\n\tx.b\n}\n", "x.b", "  ", '"b"', '["a"]'],
    // OPA's check_test.go (TestCheckRefErrInvalid "bad object key value", TestCheckValidErrors).
    ["an object in an array literal", "package t\n\np if {\n\tarr = [{\"a\": 1, \"c\": 3}, {\"b\": 2}]\n\tarr[0].b\n}\n", "arr[0].b", "       ", '"b"', '["a" "c"]'],
    ["a number key into a rule's object", "package t\n\nx := {\"a\": 1}\n\np if {\n\tx[1] == 1\n}\n", "data.t.x[1]", "         ", "1", '["a"]'],
  ])("%s", (_what, source, ref, pad, have, oneOf) => {
    expect(() => check(source)).toThrow(`rego_type_error: undefined ref: ${ref}\n\t${ref}\n\t${pad}^\n\t${pad}have: ${have}\n\t${pad}want (one of): ${oneOf}`);
  });

  // An array literal's type has only its elements (OPA: static, no dynamic part): a constant that
  // is not one of its indexes is `undefined ref` with `want (type): number`.
  it.each([
    ["an index past an array literal's end", "package t\n\np if {\n\tx := [1]\n\tx[3].a\n}\n", "x[3].a", "  ", "3"],
    ["a string key into an array literal", "package t\n\np if {\n\tx := [1, 2]\n\tx.a\n}\n", "x.a", "  ", '"a"'],
    // OPA's check_test.go, TestCheckRefErrInvalid "bad array index value".
    ["a key into an array in an array literal", "package t\n\np if {\n\tarr = [[1, 2], [3], [4]]\n\tarr[0].dead.beef = x\n}\n", "arr[0].dead.beef", "       ", '"dead"'],
    ["a negative index", "package t\n\nxs := [\"a\"]\n\np if {\n\tdata.t.xs[-1]\n}\n", "data.t.xs[-1]", "          ", "-1"],
  ])("%s", (_what, source, ref, pad, have) => {
    expect(() => check(source)).toThrow(`rego_type_error: undefined ref: ${ref}\n\t${ref}\n\t${pad}^\n\t${pad}have: ${have}\n\t${pad}want (type): number`);
  });

  // A constant that is neither a static key nor of the dynamic part's key type (OPA's
// Object.Select), or not of a set's member type (Select on a set): `have` the constant, `want` the
// static keys or else the key type.
describe("undefined refs: constants of a key type the collection does not have", () => {
  it.each([
    ["a partial set's member", "package t\n\ns contains \"a\"\n\np if {\n\ts[1][0]\n}\n", "data.t.s[1][0]", 9, "1", "want (type): string"],
    ["a partial object rule with string keys", "package t\n\nobj[k] := 1 if some k in [\"a\", \"b\"]\n\np if {\n\tobj[2]\n}\n", "data.t.obj[2]", 11, "2", "want (type): string"],
    ["an object comprehension", "package t\n\np if {\n\to := {k: 1 | some k in [\"a\"]}\n\to[1]\n}\n", "o[1]", 2, "1", "want (type): string"],
    ["a builtin's object result", "package t\n\np if {\n\tq := urlquery.decode_object(\"a=1\")\n\tq[0]\n}\n", "q[0]", 2, "0", "want (type): string"],
    ["static keys listed where there are some", "package t\n\np if {\n\tk := \"b\"\n\to := {\"a\": 1, k: 2}\n\to[1]\n}\n", "o[1]", 2, "1", 'want (one of): ["a"]'],
  ])("%s", (_what, source, ref, column, have, want) => {
    const pad = " ".repeat(column);
    expect(() => check(source)).toThrow(`rego_type_error: undefined ref: ${ref}\n\t${ref}\n\t${pad}^\n\t${pad}have: ${have}\n\t${pad}${want}`);
  });

  it.each([
    ["a key the dynamic part's key type holds", "package t\n\np if {\n\tq := urlquery.decode_object(\"a=1\")\n\tq.b\n}\n"],
    ["a dynamic part whose key type is any", "package t\n\np if {\n\to := {k: 1 | some k in input.ks}\n\to[1]\n}\n"],
    ["a set of any", "package t\n\ns contains x if some x in input.xs\n\np if {\n\ts[1]\n}\n"],
  ])("accepts: %s", (_what, source) => {
    expect(() => check(source)).not.toThrow();
  });
});

// A var whose type is known and cannot be a key of the literal's type: `have (type)`.
  it.each([
    // OPA's check_test.go, TestCheckRefErrInvalid "bad leaf var".
    ["a number var into an object with string keys", "package t\n\nq := {\"foo\": 1, \"bar\": 2}\n\np if {\n\tx = 1\n\tdata.t.q[x]\n}\n", "data.t.q[x]", "         ", "number", 'want (one of): ["bar" "foo"]'],
    ["a string var into an array", "package t\n\np if {\n\ti := \"a\"\n\txs := [1]\n\txs[i]\n}\n", "xs[i]", "   ", "string", "want (type): number"],
  ])("%s", (_what, source, ref, pad, have, want) => {
    expect(() => check(source)).toThrow(`rego_type_error: undefined ref: ${ref}\n\t${ref}\n\t${pad}^\n\t${pad}have (type): ${have}\n\t${pad}${want}`);
  });

  it.each([
    ["an object with a dynamic part", "package t\n\np if {\n\tk := input.k\n\tx := {\"a\": 1, k: 2}\n\tx.b\n}\n"],
    ["a var key", "package t\n\np if {\n\tx := {\"a\": 1}\n\tsome k\n\tx[k]\n}\n"],
    ["objects of different shapes (a union)", "package t\n\np if {\n\tsome x in [{\"a\": 1}, {\"b\": 2}]\n\tx.a\n}\n"],
    ["a rule with values of different shapes", "package t\n\ndefault obj := {}\n\nobj := {\"a\": 1} if input.x\n\np if {\n\tdata.t.obj.b\n}\n"],
    ["a rule replaced under with", "package t\n\nobj := {\"a\": 1}\n\np if {\n\tdata.t.obj.b with data.t.obj as {\"b\": 1}\n}\n"],
    ["a partial object rule", "package t\n\nobj[k] := 1 if some k in input.ks\n\np if {\n\tdata.t.obj.b\n}\n"],
    ["input", "package t\n\np if {\n\tx := input.a\n\tx.b\n}\n"],
  ])("accepts what it cannot judge: %s", (_what, source) => {
    expect(() => check(source)).not.toThrow();
  });
});
