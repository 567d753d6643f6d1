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

describe("else branches and head comprehensions as OPA compiles them (an IaC rule library)", () => {
  it("each else branch types its parameters on its own: a unification in one branch does not narrow the next", async () => {
    // OPA's checker checks every branch of the chain as a rule of its own (WalkRules visits
    // else), so in the else branch `v` is untyped and g accepts it; f's parameter type is the
    // union over the branches (any), so f({"A": 1}) type-checks too.
    const src = [
      "package t",
      "",
      "g(a) := r if {",
      '\ta = {"A": id}',
      "\tr := [id]",
      "}",
      "",
      "f(v) := r if {",
      '\tv = {"J": x}',
      "\tr := x",
      "} else := r if {",
      "\tr := g(v)",
      "}",
      "",
    ].join("\n");
    expect(await values(src, 'x := [data.t.f({"A": 1}), data.t.f({"J": 2})]')).toEqual([[[1], 2]]);
  });

  it("else branches with computed arguments each bind their own", async () => {
    const src = 'package t\n\nf(concat("", [input.p, "x"]), n) := "big" if n > 10\nelse := "small"\n';
    expect(await values(src, 'x := [data.t.f("ax", 20), data.t.f("ax", 1)]', { p: "a" })).toEqual([["big", "small"]]);
    expect(await values(src, 'x := data.t.f("zz", 1)', { p: "a" })).toEqual([]);
  });

  it("a comprehension in a rule head is reordered for safety like one in a body", async () => {
    // OPA's RewriteComprehensionTerms moves a head's comprehension into the body, where safety
    // reordering puts `v = xs[_]` before the call that needs v.
    const src = [
      "package t",
      "",
      'xs := [{"name": "a"}, {"name": "b"}]',
      "",
      "name(v) := v.name",
      "",
      "by_name := {n: v | n = name(v); v = xs[_]}",
      "names := [n | n = name(v); xs[_] = v]",
      "",
    ].join("\n");
    expect(await values(src, "x := [data.t.by_name, data.t.names]")).toEqual([
      [{ a: { name: "a" }, b: { name: "b" } }, ["a", "b"]],
    ]);
  });
});

describe("Rego v0 heads and locals as OPA reads them (a CI-policy example library, Rego v0)", () => {
  it("a v0 partial set or object rule may have a call as its key: deny[sprintf(...)] { ... }", async () => {
    // OPA's v0 parser makes the operand of `p[k]` without `if` the rule's key, any term.
    const src = [
      "package t",
      "",
      'deny[sprintf("%s is bad", [x])] {',
      "\tx := input.xs[_]",
      "}",
      "",
      'by_key[concat("-", [x, "k"])] = n {',
      "\tx := input.xs[_]",
      "\tn := count(x)",
      "}",
      "",
    ].join("\n");
    const rs = await evalQuery({ modules: [{ file: "t.rego", source: src }], query: "x := [data.t.deny, data.t.by_key]", input: { xs: ["a", "bc"] }, regoVersion: "v0" });
    expect(rs.map((r) => r.bindings.x)).toEqual([[["a is bad", "bc is bad"], { "a-k": 1, "bc-k": 2 }]]);
  });

  it("v0: `input := {...}` declares a local that shadows the input document in its body; `with input as input` replaces the document by it", async () => {
    const src = [
      "package t",
      "",
      'allow { input.user == "bob" }',
      "",
      "local_input_as_mock {",
      '\tinput := {"user": "bob"}',
      "\tallow with input as input",
      "}",
      "",
      "local_input_read {",
      '\tinput := {"user": "alice"}',
      '\tinput.user == "alice"',
      "}",
      "",
    ].join("\n");
    const rs = await evalQuery({ modules: [{ file: "t.rego", source: src }], query: "x := [data.t.local_input_as_mock, data.t.local_input_read]", input: { user: "eve" }, regoVersion: "v0" });
    expect(rs.map((r) => r.bindings.x)).toEqual([[true, true]]);
  });

  it("v1 (and v0 importing rego.v1): a var or rule named input or data is OPA's compile error", () => {
    const v1 = 'package t\n\np if {\n\tinput := {"a": 1}\n\tinput.a == 1\n}\n\ndata := 2\n';
    expect(() => compileRego({ modules: [v1], query: "true" })).toThrow(/variables must not shadow input \(use a different variable name\)/);
    expect(() => compileRego({ modules: [v1], query: "true" })).toThrow(/rules must not shadow data \(use a different rule name\)/);
    const v0WithV1Import = 'package t\n\nimport rego.v1\n\np if {\n\tdata := 1\n}\n';
    expect(() => compileRego({ modules: [v0WithV1Import], query: "true", regoVersion: "v0" })).toThrow(/variables must not shadow data/);
  });
});

describe("`with` targets as OPA's compiler checks them", () => {
  it("a target that is not input, data or a function is a compile error, also where nothing plans the rule (opa check)", () => {
    const bad = "package t\n\np if {\n\ttrue with foo.bar as 1\n}\n";
    expect(() => compileRego({ modules: [bad], query: "true" })).toThrow(/with keyword target must reference existing input, data, or a function/);
    const good = [
      "package t",
      "",
      "f(x) := x + 1",
      "q := count(input.xs)",
      "p if {",
      "\tq == 3 with input.xs as [1, 2, 3]",
      "\tf(1) == 5 with f as 4",
      "\tq == 9 with count as 9",
      "\ttrue with data.t.q as 0",
      "}",
    ].join("\n");
    expect(() => compileRego({ modules: [good], query: "true" })).not.toThrow();
  });
});

describe("sprintf formats its arguments as the Go values OPA hands fmt.Sprintf (a cloud-posture benchmark library)", () => {
  // OPA's topdown/strings.go passes an integer as int64, a big integer as *big.Int, a string as
  // string and any other value as its Rego text (a string); Go's fmt writes %!verb(type=value)
  // for a verb the type does not take. A benchmark test builds "%s-65365" from a number and
  // relies on the port range being unparsable.
  it.each([
    ['sprintf("%s-65365", [54])', "%!s(int64=54)-65365"],
    ['sprintf("%s", [1.5])', "%!s(float64=1.5)"],
    ['sprintf("%d", ["a"])', "%!d(string=a)"],
    ['sprintf("%t", [true])', "%!t(string=true)"],
    ['sprintf("%d", [[1]])', "%!d(string=[1])"],
    ['sprintf("%q", [[1]])', '"[1]"'],
    ['sprintf("%s and %v", [12345678901234567890, 12345678901234567890])', "12345678901234567890 and 12345678901234567890"],
    ['sprintf("%f", [12345678901234567890])', "%!f(big.Int=12345678901234567890)"],
    ['sprintf("%s %v %d %5.1f|%-3s|", ["a", true, 7, 2.5, "b"])', "a true 7   2.5|b  |"],
    // Go's fmtInteger: a precision is the least number of digits, and then 0 pads nothing
    // (a supply-chain policy library names test CVEs with %0.4d); flags + and space sign it.
    ['sprintf("CVE-%0.4d %.4d|%6.2d|%.0d|% d|%#x|%05d", [1, 12, -3, 0, 5, 255, -1])', "CVE-0001 0012|   -03|| 5|0xff|-0001"],
    // %q of an int64 is the quoted rune (strconv.QuoteRune), as its rule-data checks print it.
    ['sprintf("%q %q %q %q %q", [1, 65, 39, 128, -1])', "'\\x01' 'A' '\\'' '\\u0080' '\uFFFD'"],
  ])("%s", async (call, want) => {
    expect(await values("package t\n", `x := ${call}`)).toEqual([want]);
  });
});

describe("a comprehension's head joins its body before safety, as OPA's RewriteComprehensionTerms does (a Kubernetes posture library)", () => {
  // `[annotations[i] | annotation = i; startswith(i, p)]` and
  // `[{"path": f(c, i), "value": sprintf("%s=%s", wanted[i])} | not contains(cmd, wanted[i][0])]`
  // compile under OPA: the head is moved to the end of the body (its nested calls split out), so
  // the ref in it binds `i` and reordering puts it first.
  const src = [
    "package t",
    "",
    'xs := {"a": 1, "b": 2, "c": 3}',
    'ys := ["p", "q"]',
    "f(i) := i * 10",
    "",
    'array_head_ref := [xs[k] | j = k; k != "b"]',
    'set_head_ref := {xs[k] | k != "b"}',
    'object_head_ref := {k: xs[k] | k != "a"}',
    'call_before_ref := [{"p": f(i), "v": sprintf("%s", [ys[i]])} | not startswith(ys[i], "q")]',
    "undefined_head_skips := [x.a | some x in [{\"a\": 1}, {}, {\"a\": 3}]]",
    "",
  ].join("\n");

  it("a var bound only by a ref in the head is safe, and the head is evaluated per solution", async () => {
    const q = "x := [data.t.array_head_ref, data.t.set_head_ref, data.t.object_head_ref, data.t.call_before_ref, data.t.undefined_head_skips]";
    expect(await values(src, q)).toEqual([[[1, 3], [1, 3], { b: 2, c: 3 }, [{ p: 0, v: "p" }], [1, 3]]]);
  });

  it("a var no expression binds is still OPA's unsafe var", () => {
    expect(() => compileRego({ modules: ["package t\n\np := [x | y = x]\n"], query: "true" })).toThrow(/var x is unsafe|var y is unsafe/);
  });
});

describe("rule heads and METADATA blocks as OPA's parser reads them (a Rego linter's own policy bundle)", () => {
  it("a call in a rule head's ref is allowed: OPA's RewriteRuleHeadRefs binds it to a local in the body", async () => {
    const src = [
      "package t",
      "",
      'cases[sprintf("%v", [x])] if some x in [1, 2]',
      'nested[sprintf("k%d", [x])].q := x if some x in [1, 2]',
      'grouped[lower(x)] contains x if some x in ["A", "B"]',
      "",
    ].join("\n");
    expect(await values(src, "x := [data.t.cases, data.t.nested, data.t.grouped]")).toEqual([
      [{ "1": true, "2": true }, { k1: { q: 1 }, k2: { q: 2 } }, { a: ["A"], b: ["B"] }],
    ]);
  });

  it("a comment after code on the line below a METADATA block ends the block (OPA continues it only with comments in column 1)", async () => {
    const src = "package t\n\n# METADATA\n# description: |\n#   note: a colon in the text\nf(x) := [v | # a linter's ignore directive\n\tsome v in x\n]\n\nuse := f([1])\n";
    expect(await values(src, "x := data.t.use")).toEqual([[1]]);
  });
});

describe("`some` declares its vars where it occurs, as OPA's RewriteLocalVars does (a Rego linter's own policy bundle)", () => {
  it("a comprehension before `some v in xs` keeps its own v", async () => {
    const src = [
      "package t",
      "",
      "vals contains v if {",
      "\txs := [value | walk([1, [2]], [_, value]); is_number(value)]",
      "\tsome value in xs",
      "\tv := value",
      "}",
      "",
    ].join("\n");
    expect(await values(src, "x := data.t.vals")).toEqual([[1, 2]]);
  });

  it("a var used in the same body before its `some` is OPA's `var x referenced above`", () => {
    expect(() => compileRego({ modules: ["package t\n\np if {\n\tx > 1\n\tsome x in [2]\n}\n"], query: "true" })).toThrow(/var x referenced above/);
  });
});

describe("`with` targets through import aliases, as OPA's ResolveRefs resolves them (a Rego linter's own policy bundle)", () => {
  it("`import data.lib.conf` then `with conf.level as 2` replaces data.lib.conf.level", async () => {
    const lib = "package lib.conf\n\nlevel := 1\n";
    const src = "package t\n\nimport data.lib\nimport data.lib.conf\n\nallow if conf.level > 1\n\nvia_alias if allow with conf.level as 2\nwhole_alias if allow with conf as {\"level\": 3}\nvia_prefix if allow with lib.conf.level as 2\n";
    const rs = await evalQuery({
      modules: [
        { file: "lib.rego", source: lib },
        { file: "t.rego", source: src },
      ],
      query: "x := [data.t.via_alias, data.t.whole_alias, data.t.via_prefix, object.get(data.t, \"allow\", false)]",
    });
    expect(rs.map((r) => r.bindings.x)).toEqual([[true, true, true, false]]);
  });
});

describe("`import future.keywords.every` imports `in` too, as OPA's scanner does (an IaC policy engine's own tests)", () => {
  it("v0: `every _, acl in xs` and `every x in xs` parse with only `every` imported", async () => {
    const src = "package t\n\nimport future.keywords.every\n\nall_positive {\n\tevery _, v in input.xs {\n\t\tv > 0\n\t}\n\tevery x in input.xs { x < 10 }\n}\n";
    const run = (xs: number[]) => evalQuery({ modules: [{ file: "t.rego", source: src }], query: "x := object.get(data.t, \"all_positive\", false)", input: { xs }, regoVersion: "v0" });
    expect((await run([1, 2])).map((r) => r.bindings.x)).toEqual([true]);
    expect((await run([1, -2])).map((r) => r.bindings.x)).toEqual([false]);
  });
});

describe("a rule head's key or value with a ref binds its vars, as OPA's RewriteRefsInHead makes it (a CI/CD security scanner's rules)", () => {
  it("`rules_by_id[id] = rules[id].rule`, `names contains xs[n].rule` and `f(k) := xs[k].rule` compile and evaluate", async () => {
    const src = [
      "package t",
      "",
      'xs := {"a": {"rule": 1}, "b": {"rule": 2}}',
      "",
      "by_id[id] = xs[id].rule",
      "",
      "names contains xs[n].rule",
      "",
      "f(k) := xs[k].rule",
      "",
    ].join("\n");
    expect(await values(src, 'x := [data.t.by_id, data.t.names, data.t.f("b")]')).toEqual([[{ a: 1, b: 2 }, [1, 2], 2]]);
  });

  it("a ref in a head call's argument binds its vars too: `results contains finding(p, scripts[p][_])`", async () => {
    const src = [
      "package t",
      "",
      'scripts := {"a": [1, 2], "b": [3]}',
      "",
      'finding(k, v) := sprintf("%s=%d", [k, v])',
      "",
      "results contains finding(p, scripts[p][_])",
      "",
    ].join("\n");
    expect(await values(src, "x := data.t.results")).toEqual([["a=1", "a=2", "b=3"]]);
  });
});

describe("refs inside a nested call or a composite bind before the rest of the term, as OPA's RewriteExprTerms and RewriteDynamicTerms order them", () => {
  it("`x := f(k, xs[k][_])`, `x := concat(k, ys[k])` and `x := [k, count(xs[k])]` bind k by the ref", async () => {
    const src = [
      "package t",
      "",
      'xs := {"a": [1, 2], "b": [3]}',
      'ys := {"a": ["p", "q"], "b": ["r"]}',
      'f(k, v) := sprintf("%s=%d", [k, v])',
      "",
      "r1 contains x if x := f(k, xs[k][_])",
      "r2 contains x if x := concat(k, ys[k])",
      "r3 contains x if x := [k, count(xs[k])]",
      "",
    ].join("\n");
    expect(await values(src, "x := [data.t.r1, data.t.r2, data.t.r3]")).toEqual([[["a=1", "a=2", "b=3"], ["paq", "r"], [["a", 2], ["b", 1]]]]);
  });
});

describe("a relation used as a value is each of its solutions, as OPA's RewriteExprTerms makes `walk(x)` into `walk(x, t)` (a supply-chain library's image-reference scan)", () => {
  it("`some _, v in walk(x)` iterates the path and the value of every pair; `count(walk(x))` counts one pair", async () => {
    const src = "package t\n\nvals := [v | some _, v in walk({\"a\": {\"b\": 1}})]\n\nsizes := [n | n := count(walk({\"a\": 1}))]\n";
    expect(await values(src, "x := [data.t.vals, data.t.sizes]")).toEqual([[[[], { a: { b: 1 } }, ["a"], { b: 1 }, ["a", "b"], 1], [2, 2]]]);
  });
});

describe("integers beyond 2^53 reach the time builtins exactly, as OPA's int64 timestamps do (an IaC scanner's key-rotation checks)", () => {
  it("time.format and time.date read every digit of a nanosecond timestamp", async () => {
    const query = "x := [time.format(1796566533943201537), time.format(9223372036854775807), time.add_date(1796566533943201537, 0, 0, 1) == 1796652933943201537]";
    expect(await values("package t\n", query)).toEqual([["2026-12-06T14:15:33.943201537Z", "2262-04-11T23:47:16.854775807Z", true]]);
  });

  it("a timestamp formatted and parsed back is the same number, so day counts from time.now_ns() are whole", async () => {
    // `ceil((now - parse(format(now - 100 days)) - 90 days) / 1 day)` is 10 in OPA; rounding the
    // timestamp to a double on its way to time.format made it 11 for most values of now.
    const src = [
      "package t",
      "",
      "day := 24 * 3600 * 1000000000",
      "days_ago := ceil((time.now_ns() - time.parse_rfc3339_ns(time.format(time.now_ns() - 100 * day)) - 90 * day) / day)",
      "exact if time.parse_rfc3339_ns(time.format(1796566533943201537)) == 1796566533943201537",
      "",
    ].join("\n");
    expect(await values(src, "x := [data.t.days_ago, data.t.exact]")).toEqual([[10, true]]);
  });
});

describe("v0: a head `p[\"a\"]` without a value is an element of the partial set p, as OPA 0.x read it (an Advent of Code solution in Rego v0)", () => {
  it("bodiless `occ[\"#\"]` and `q[\"a\"] { true }` make sets; `r[\"a\"] = 1 { true }` stays an object", async () => {
    const src = 'package t\n\nocc["#"]\nocc["L"]\n\nq["a"] { true }\n\nr["a"] = 1 { true }\n\nhit { occ["#"] }\n';
    const rs = await evalQuery({ modules: [{ file: "t.rego", source: src }], query: "x := [data.t.occ, data.t.q, data.t.r, data.t.hit]", regoVersion: "v0" });
    expect(rs.map((r) => r.bindings.x)).toEqual([[["#", "L"], ["a"], { a: 1 }, true]]);
  });
});

describe("`p if {}`: braces holding only blanks and comments are the empty object, a true expression, as OPA's parseRules reads them (generated OpenStack API policies)", () => {
  it("rules, multi-value rules and functions whose `if { }` is empty are true", async () => {
    const src = [
      "package t",
      "",
      "allow if {",
      "  ",
      "}",
      "",
      "owner if {",
      " # not yet implemented",
      "}",
      "",
      "one_line if {}",
      "xs contains 1 if {}",
      "f(x) := x if {}",
      "",
    ].join("\n");
    expect(await values(src, "x := [data.t.allow, data.t.owner, data.t.one_line, data.t.xs, data.t.f(2)]")).toEqual([[true, true, true, [1], 2]]);
  });

  it("v0 `p { }` and `else if { }` stay OPA's `found empty body`", () => {
    expect(() => compileRego({ modules: ["package t\n\np {\n}\n"], query: "true", regoVersion: "v0" })).toThrow(/found empty body/);
    expect(() => compileRego({ modules: ["package t\n\np := 1 if false else := 2 if {\n}\n"], query: "true" })).toThrow(/found empty body/);
  });
});
