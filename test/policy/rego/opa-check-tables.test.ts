// The tables of OPA's type checker tests (ast/check_test.go: TestCheckMatchErrors,
// TestCheckBuiltinErrors, TestCheckErrorSuppression, TestCheckBadCardinality,
// TestCheckRefErrUnsupported, TestCheckRefErrInvalid, TestRewrittenVarsInErrors), each query run
// as the body of a rule next to the rules OPA's tests put in their type env (package test: p, q,
// a.b.c[3]). OPA's tests check the error count and details; the messages here are those details
// as OPA prints them (check.go's ArgErrDetail, UnificationErrDetail and RefErr*Detail lines).
import { describe, expect, it } from "vitest";
import { compileRego } from "../../../src/policy/rego/index.ts";

const ENV = 'package test\n\np if { true }\n\nq = {"foo": 1, "bar": 2} if { true }\n\na.b.c[3] = x if { x = {"x": {"y": 2}} }\n';

/** The errors of a rule whose body is OPA's query (`;`-separated expressions, one a line). */
function errorsOf(query: string): string[] {
  const body = query.split(";").map((e) => `\t${e.trim()}`).join("\n");
  try {
    compileRego({ modules: [{ file: "test.rego", source: ENV }, { file: "check.rego", source: `package check\n\nr if {\n${body}\n}\n` }], query: "data.check.r = x" });
    return [];
  } catch (e) {
    return (e as Error).message.split(/\n(?=check\.rego:)/).slice(1).map((m) => m.replace(/^check\.rego:\d+:\d+: rego_type_error: /, ""));
  }
}

describe("TestCheckMatchErrors: one match error each", () => {
  it.each([
    ["null", "null = true", "null", "boolean"],
    ["boolean", "true = null", "boolean", "null"],
    ["number", "1 = null", "number", "null"],
    ["string", '"hello" = null', "string", "null"],
    ["array", "[1,2,3] = null", "array<number, number, number>", "null"],
    ["array-nested", '[1,2,3] = [1,2,"3"]', "array<number, number, number>", "array<number, number, string>"],
    ["array-nested-2", "[1,2] = [1,2,3]", "array<number, number>", "array<number, number, number>"],
    // A comprehension's type is that of its head where its body binds it.
    ["array-dynamic", '[ true | true ] = [x | a = [1, "foo"]; x = a[_]]', "array[boolean]", "array[any<number, string>]"],
    ["object", '{"a": 1, "b": 2} = null', "object<a: number, b: number>", "null"],
    ["object-nested", '{"a": 1, "b": "2"} = {"a": 1, "b": 2}', "object<a: number, b: string>", "object<a: number, b: number>"],
    ["object-nested-2", '{"a": 1} = {"a": 1, "b": "2"}', "object<a: number>", "object<a: number, b: string>"],
    ["set", "{1,2,3} = null", "set[number]", "null"],
    // A union lists its members in OPA's type order (types.Compare), not in the order met.
    ["any", 'x = ["str", 1]; x[_] = null', "any<number, string>", "null"],
  ])("%s", (_note, query, left, right) => {
    expect(errorsOf(query)).toEqual([`match error\n\tleft  : ${left}\n\tright : ${right}`]);
  });
});

describe("TestCheckBuiltinErrors: one argument error each", () => {
  it.each([
    ["trivial", "plus(true, 1, x)", "plus", "boolean, number, ???", "x: number, y: number, z: number"],
    ["refs", "x = [null]; plus(x[0], 1, y)", "plus", "null, number, ???", "x: number, y: number, z: number"],
    ["array comprehensions", "sum([null | true], x)", "sum", "array[null], ???", "collection: any<array[number], set[number]>, n: number"],
    ["arrays-any", 'sum([1,2,"3",4], x)', "sum", "array<number, number, string, number>, ???", "collection: any<array[number], set[number]>, n: number"],
    ["arrays-bad-input", 'contains([1,2,3], "x")', "contains", "array<number, number, number>, string", "haystack: string, needle: string, result: boolean"],
    ["objects-bad-input", 'sum({"a": 1, "b": 2}, x)', "sum", "object<a: number, b: number>, ???", "collection: any<array[number], set[number]>, n: number"],
    // Each element of a set literal must fit (OPA's unify1Set), not just one of their types.
    ["sets-any", 'sum({1,2,"3",4}, x)', "sum", "set[any<number, string>], ???", "collection: any<array[number], set[number]>, n: number"],
    ["virtual-ref", "plus(data.test.p, data.coffee, 0)", "plus", "boolean, any, number", "x: number, y: number, z: number"],
  ])("%s", (_note, query, name, have, want) => {
    expect(errorsOf(query)).toEqual([`${name}: invalid argument(s)\n\thave: (${have})\n\twant: (${want})`]);
  });
});

describe("TestCheckErrorSuppression: the more actionable error only", () => {
  it("a ref into a scalar, not also the match error its unknown type causes", () => {
    expect(errorsOf("arr = [1,2,3]; arr[0].deadbeef = 1")).toEqual(["undefined ref: arr[0].deadbeef\n\tarr[0].deadbeef\n\t^^^^^^\n\thave: number"]);
  });

  it("an argument error inside a comprehension", () => {
    expect(errorsOf("_ = [true | count(1)]")).toEqual([
      "count: invalid argument(s)\n\thave: (number)\n\twant: (collection: any<string, array[any], object[any: any], set[any]>, n: number)",
    ]);
  });
});

describe("TestCheckBadCardinality: OPA's too few / too many arguments, with every operand's type", () => {
  it.each([
    ["plus(1)", "plus: too few arguments\n\thave: (number)\n\twant: (x: number, y: number, z: number)"],
    ["plus(1, 2, 3, 4)", "plus: too many arguments\n\thave: (number, number, number, number)\n\twant: (x: number, y: number, z: number)"],
  ])("%s", (query, message) => {
    expect(errorsOf(query)).toEqual([message]);
  });
});

// A user function called with the wrong number of operands: OPA's checker treats the call like
// a builtin's (checkExprBuiltin), `too few` / `too many arguments` with every operand's type, a
// nested call's hidden output as ???, and the parameters then the result.
describe("user function arity, as OPA's checker reports it", () => {
  const FUNCS = "package fn\n\nf(x) := y if { y := x + 1 }\n";
  function errors(body: string): string[] {
    try {
      compileRego({ modules: [{ file: "fn.rego", source: FUNCS }, { file: "check.rego", source: `package check\n\n${body}\n` }], query: "true" });
      return [];
    } catch (e) {
      return (e as Error).message.split(/\n(?=check\.rego:)/).slice(1).map((m) => m.replace(/^check\.rego:\d+:\d+: rego_type_error: /, ""));
    }
  }

  it.each([
    ["a statement with too many", "b if data.fn.f(1, 2, 3)", "too many arguments", "number, number, number"],
    ["a nested call with one too many (its output comes after)", "a := data.fn.f(1, 2)", "too many arguments", "number, number, ???"],
    ["too few", "c if data.fn.f()", "too few arguments", ""],
  ])("%s", (_note, body, problem, have) => {
    expect(errors(body)).toEqual([`data.fn.f: ${problem}\n\thave: (${have})\n\twant: (number, number)`]);
  });
});

describe("TestCheckRefErrUnsupported", () => {
  it("a ref past a number in a nested array", () => {
    expect(errorsOf("arr = [[1,2],[3,4]]; arr[1][0].deadbeef")).toEqual(["undefined ref: arr[1][0].deadbeef\n\tarr[1][0].deadbeef\n\t^^^^^^^^^\n\thave: number"]);
  });
});

// Not checked: the constant cases "bad non-leaf value" (`data.test[1]`, `data[1]`): OPA's
// compiler accepts `data[2]` reading a base document keyed "2" (conformance: dataderef
// "data/toplevel integer").
describe("TestCheckRefErrInvalid (the cases credgov checks)", () => {
  it.each([
    // A ref-head rule with a constant key, a.b.c[3], is a node with that one child in OPA's type tree.
    ["bad ref hitting last term", "x = true; data.test.a.b.c[x][_]", "data.test.a.b.c[x][_]", 16, "have (type): boolean", "want (one of): [3]"],
    ["bad leaf var", "x = 1; data.test.q[x]", "data.test.q[x]", 12, "have (type): number", 'want (one of): ["bar" "foo"]'],
    // A wildcard prints as `_`, as OPA prints it.
    ["bad ref hitting dynamic part", "s = true; data.test.a.b.c[3].x[s][_] = _", "data.test.a.b.c[3].x[s][_]", 21, "have (type): boolean", 'want (one of): ["y"]'],
    ["bad array index value", "arr = [[1,2],[3],[4]]; arr[0].dead.beef = x", "arr[0].dead.beef", 7, 'have: "dead"', "want (type): number"],
    ["bad object key value", 'arr = [{"a": 1, "c": 3}, {"b": 2}]; arr[0].b', "arr[0].b", 7, 'have: "b"', 'want (one of): ["a" "c"]'],
    ["bad set element value", "s = {{1,2},{3,4}}; x = {1,2}; s[x].deadbeef", "s[x].deadbeef", 5, 'have: "deadbeef"', "want (type): number"],
    // Below a package the type tree is an object keyed by the names under it (OPA's non-leaf cases).
    ["bad non-leaf var", "x = 1; data.test[x]", "data.test[x]", 10, "have (type): number", 'want (one of): ["a" "p" "q"]'],
    ["bad non-leaf ref", "arr = [1]; data.test[arr[0]]", "data.test[arr[0]]", 10, "have (type): number", 'want (one of): ["a" "p" "q"]'],
    ["bad leaf ref", "arr = [1]; data.test.q[arr[0]]", "data.test.q[arr[0]]", 12, "have (type): number", 'want (one of): ["bar" "foo"]'],
    ["composite ref operand", "data.test.q[[1, 2]]", "data.test.q[[1, 2]]", 12, "have (type): array<number, number>", "want (type): string"],
    ["composite ref type error 1", 'a = {[1], [2], [3]}; a[["foo"]]', 'a[["foo"]]', 2, "have (type): array<string>", "want (type): array<number>"],
    ["composite ref type error 2", 'a = {{"a": 2}}; a[{"a": "foo"}]', 'a[{"a": "foo"}]', 2, "have (type): object<a: string>", "want (type): object<a: number>"],
    ["composite ref type error 3 - array", "a = [1,2,3]; a[{}] = b", "a[{}]", 2, "have (type): object[any: any]", "want (type): number"],
  ])("%s", (_note, query, ref, column, have, want) => {
    const pad = " ".repeat(column);
    expect(errorsOf(query)).toEqual([`undefined ref: ${ref}\n\t${ref}\n\t${pad}^\n\t${pad}${have}\n\t${pad}${want}`]);
  });
});

describe("TestRewrittenVarsInErrors", () => {
  it("names locals as written", () => {
    expect(errorsOf('foo = [[1]]; bar = "bar"; foo[0][bar]')).toEqual(["undefined ref: foo[0][bar]\n\tfoo[0][bar]\n\t       ^\n\t       have (type): string\n\t       want (type): number"]);
  });
});

// TestFunctionsTypeInference: functions' parameter and result types inferred from their bodies
// (vars of array parameter patterns typed by the builtins they are passed to), and a function
// named without a call (OPA's ref checker: `undefined ref`, `have` the function's type).
describe("TestFunctionsTypeInference", () => {
  const BASE = [
    "package base",
    "foo([a, b]) = y if { split(a, b, y) }",
    "bar(x) = y if { count(x, y) }",
    'baz([x, y]) = z if { sprintf("%s%s", [x, y], z) }',
    'qux({"bar": x, "foo": y}) = {a: b} if { upper(y, a); json.unmarshal(x, b) }',
    'corge(x) = y if { qux({"bar": x, "foo": x}, a); baz([a["{5: true}"], "BUZ"], y) }',
    "",
  ].join("\n");

  function errors(body: string): string[] {
    try {
      compileRego({ modules: [{ file: "base.rego", source: BASE }, { file: "mod.rego", source: `package test\n${body}\n` }], query: "true" });
      return [];
    } catch (e) {
      return (e as Error).message.split(/\n(?=mod\.rego:)/).slice(1).map((m) => m.replace(/^mod\.rego:\d+:\d+: /, ""));
    }
  }

  const FOO = "undefined ref: data.base.foo\n\tdata.base.foo\n\t^^^^^^^^^^^^^\n\thave: (array<string, string>) => array[string]";
  const BAR = "(any<string, array[any], object[any: any], set[any]>) => number";

  it.each([
    ['fn(_) = y if { data.base.foo(["hello", 5], y) }', ["rego_type_error: data.base.foo: invalid argument(s)\n\thave: (array<string, number>, ???)\n\twant: (array<string, string>, array[string])"]],
    ["p if { [data.base.foo] }", [`rego_type_error: ${FOO}`]],
    ["p if { x = data.base.foo }", [`rego_type_error: ${FOO}`]],
    [
      "p if { data.base.foo(data.base.bar) }",
      [
        `rego_type_error: data.base.foo: invalid argument(s)\n\thave: (${BAR})\n\twant: (array<string, string>, array[string])`,
        `rego_type_error: undefined ref: data.base.bar\n\tdata.base.bar\n\t^^^^^^^^^^^^^\n\thave: ${BAR}`,
      ],
    ],
  ])("an error: %s", (body, want) => {
    expect(errors(body)).toEqual(want);
  });

  it("an undefined function", () => {
    expect(errors("fn(x) = y if { data.non_existent(x, a); y = a[0] }")).toContain("rego_type_error: undefined function data.non_existent");
  });

  it.each([
    'fn(_) = y if { data.base.foo(["hello", "ll"], y) }',
    'fn(_) = y if { data.base.baz(["hello", "ll"], y) }',
    'fn(_) = y if { data.base.baz([5, ["foo", "bar", true]], y) }',
    'fn(_) = y if { data.base.baz(["hello", {"a": "b", "c": 3}], y) }',
    'fn(_) = y if { data.base.corge("this is not json", y) }',
    "fn(x) = y if { y = [x] }",
    "f(x) = y if { [x] = y }",
    'fn(x) = y if { y = {"k": x} }',
    'f(x) = y if { {"k": x} = y }',
  ])("no error: %s", (body) => {
    expect(errors(body)).toEqual([]);
  });
});

// TestCheckInference: queries OPA's checker types without error; none may be rejected here.
describe("TestCheckInference: no error", () => {
  it.each([
    ["trivial", "x = 1"],
    ["one-level", "y = 1; x = y"],
    ["two-level", "z = 1; y = z; x = y"],
    ["array-nested", "[x, 1] = [true, y]"],
    ["array-transitive", "y = [[2], 1]; [[x], 1] = y"],
    ["array-embedded", '[1, "2", x] = data.foo'],
    ["object-nested", '{"a": "foo", "b": {"c": x}} = {"a": y, "b": {"c": 2}}'],
    ["object-transitive", 'y = {"a": "foo", "b": 2}; {"a": z, "b": x} = y'],
    ["object-embedded", '{"1": "2", "2": x} = data.foo'],
    ["object-numeric-key", "x = {1: 2}; y = 1; x[y]"],
    ["object-object-key", "x = {{{}: 1}: 1}"],
    ["object-composite-ref-operand", "x = {{}: 1}; x[{}] = y"],
    ["sets", 'x = {1, 2}; y = {{"foo", 1}, x}'],
    ["sets-nested", '{"a", 1, 2} = {1,2,3}'],
    ["sets-composite-ref-operand", "s = {[1, 2], [3, 4]}; s[[x, y]]"],
    // `[]` is array[any]: a later `arr = [1]` unifies with it.
    ["empty-composites", 'obj = {}; arr = []; set = set(); obj[i] = v1; arr[j] = v2; set[v3]; obj = {"foo": "bar"}; arr = [1]; set = {1,2,3}'],
    ["empty-composite-property", "obj = {}; obj.foo = x; obj[i].foo = y"],
    ["local-reference", 'a = [1, {"foo": [{"bar": null}, -1, {"bar": true}]}, 3]; x = a[1].foo[_].bar'],
    ["local-reference-var", 'a = [{"a": null, "b": {"foo": {"c": {1,}}, "bar": {"c": {"hello",}}}}, {"a": null, "b": {"foo": {"c": {1,}}, "bar": {"c": {true,}}}}]; x = a[i].b[j].c[k]'],
    ["local-reference-var-any", "a = [[], {}]; a[_][i]"],
    ["local-reference-nested", 'a = [["foo"], 0, {"bar": "baz"}, 2]; b = [0,1,2,3]; a[b[_]][k] = v'],
    ["simple-built-in", "plus(1,2,x)"],
    ["simple-built-in-exists", "plus(1,2,x); plus(x,2,y)"],
    ["array-comprehension-ref-closure", 'a = [1,"foo",3]; x = [ i | a[_] = i ]'],
    ["array-comprehension-var-closure", "x = 1; y = [ i | x = i ]"],
    ["dynamic-object-value", 'q = {"a": "b", "c": "d"}; {k: [v]} = {k: [q[k]]}'],
    ["type unioning: arrays", 'x = [[1], ["foo"]]; x[_] = [y]'],
    ["type unioning: sets", 'x = {[1], ["foo"]}; x[[y]]'],
    ["type unioning: object values", 'x = {"a": [1], "b": ["foo"]}; x[_] = [y]'],
  ])("%s", (_note, query) => {
    expect(errorsOf(query)).toEqual([]);
  });
});

// TestCheckValidErrors: each erroneous rule or function is reported once; rules and functions
// that use them get no error of their own (OPA gives those the type any).
describe("TestCheckValidErrors", () => {
  function errors(source: string): string[] {
    try {
      compileRego({ modules: [{ file: "t.rego", source }], query: "true" });
      return [];
    } catch (e) {
      return (e as Error).message.split(/\n(?=t\.rego:)/).slice(1);
    }
  }

  it("single_type_error", () => {
    expect(errors('package test\n\np if {\n\tconcat("", 1)\n}\n\nq if {\n\tr(1)\n}\n\nr(x) = x\n')).toEqual([
      "t.rego:4:2: rego_type_error: concat: invalid argument(s)\n\thave: (string, number)\n\twant: (delimiter: string, collection: any<array[string], set[string]>, output: string)",
    ]);
  });

  it("multiple_type_error", () => {
    expect(errors('package test\n\nb if {\n\ta(1)\n}\n\na(x) if {\n\tmax("foo")\n}\n\nm if {\n\t1 / "foo"\n}\n\nn if {\n\tm\n}\n')).toEqual([
      "t.rego:8:2: rego_type_error: max: invalid argument(s)\n\thave: (string)\n\twant: (collection: any<array[any], set[any]>, n: any)",
      "t.rego:12:2: rego_type_error: div: invalid argument(s)\n\thave: (number, string)\n\twant: (x: number, y: number, z: number)",
    ]);
  });

  it("undefined_reference_error", () => {
    expect(errors('package test\n\nx := {"a" : 1}\n\ny if {\n\tz\n}\n\nz if {\n\tx[1] == 1\n}\n')).toEqual([
      't.rego:10:2: rego_type_error: undefined ref: data.test.x[1]\n\tdata.test.x[1]\n\t            ^\n\t            have: 1\n\t            want (one of): ["a"]',
    ]);
  });
});
