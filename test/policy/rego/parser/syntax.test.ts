import { describe, expect, it } from "vitest";
import type { Module } from "../../../../src/policy/rego/ast.ts";
import { isCallExpr, isEveryExpr, isSomeExpr, isTermExpr } from "../../../../src/policy/rego/ast.ts";
import { parseModule, parseQuery } from "../../../../src/policy/rego/parser.ts";
import { renderBody, renderRule, renderTerm } from "./render.ts";

function mod(src: string): Module {
  const r = parseModule(src, "t.rego");
  if (r.errors.length > 0) throw new Error(r.errors.map((e) => e.message).join("\n"));
  expect(r.module).toBeDefined();
  return r.module!;
}

/** Rules of `package t` + `body`, rendered one per line. */
function rules(body: string): string[] {
  return mod(`package t\n\n${body}\n`).rules.map(renderRule);
}

/** The body of `p if { <src> }`, rendered. */
function body(src: string): string {
  const r = rules(`p if {\n${src}\n}`);
  return r[0].replace(/^p = true if \{ (.*) \}$/, "$1");
}

function query(src: string): string {
  const r = parseQuery(src);
  if (r.errors.length > 0) throw new Error(r.errors.map((e) => e.message).join("\n"));
  return renderBody(r.body!);
}

describe("package and imports", () => {
  it("builds the package path under data", () => {
    const m = mod('package a.b["c-d"]\n');
    expect(m.package.path.map(renderTerm)).toEqual(["data", '"a"', '"b"', '"c-d"']);
    expect(m.package.location).toEqual({ file: "t.rego", row: 1, col: 1 });
  });

  it("parses data, input, future and rego imports with aliases", () => {
    const m = mod(
      "package x\nimport rego.v1\nimport future.keywords\nimport future.keywords.in\nimport data.lib.util as u\nimport input.user\nimport data.x[\"y\"]\n",
    );
    expect(m.imports.map((i) => [renderTerm(i.path), i.alias])).toEqual([
      ["rego.v1", undefined],
      ["future.keywords", undefined],
      ["future.keywords.in", undefined],
      ["data.lib.util", "u"],
      ["input.user", undefined],
      ["data.x.y", undefined],
    ]);
    expect(m.imports[3].location).toEqual({ file: "t.rego", row: 5, col: 1 });
  });

  it("rejects imports of other roots and unknown future keywords", () => {
    expect(parseModule("package x\nimport foo.bar\n", "t.rego").errors[0].message).toMatch(/^t.rego:2:8: rego_parse_error: unexpected import path/);
    expect(parseModule("package x\nimport future.keywords.nope\n", "t.rego").errors[0].detail).toMatch(/future/);
    expect(parseModule("package x\nimport rego.v2\n", "t.rego").errors[0].detail).toMatch(/rego\.v1/);
  });
});

describe("rules", () => {
  it("complete rules with :=, =, and implicit true", () => {
    expect(rules('a := 1\nb = "x"\nc if input.x\nd := x if { x := 2 }')).toEqual([
      "a := 1 if { true }",
      'b = "x" if { true }',
      "c = true if { input.x }",
      "d := x if { assign(x, 2) }",
    ]);
  });

  it("partial set (contains) and partial object rules", () => {
    const m = mod("package t\ns contains x if { some x in input.xs }\no[k] := v if { some k, v in input.m }\n");
    expect(m.rules.map(renderRule)).toEqual([
      "s contains x if { some internal.member_2(x, input.xs) }",
      "o[k] := v if { some internal.member_3(k, v, input.m) }",
    ]);
    expect(m.rules[0].head.contains).toBe(true);
    expect(m.rules[0].head.value).toBeUndefined();
    expect(renderTerm(m.rules[1].head.key!)).toBe("k");
  });

  it("multi-value and single-value ref heads", () => {
    expect(rules('a.b.c[x] := y if { x := 1; y := 2 }\na.b contains "z"\nq.r.s if true')).toEqual([
      "a.b.c[x] := y if { assign(x, 1); assign(y, 2) }",
      'a.b contains "z" if { true }',
      "q.r.s = true if { true }",
    ]);
  });

  it("functions with and without values", () => {
    const m = mod("package t\nf(x, y) := z if { z := x + y }\ng(x) if x > 1\nh([a, b]) = a\n");
    expect(m.rules.map(renderRule)).toEqual([
      "f(x, y) := z if { assign(z, plus(x, y)) }",
      "g(x) = true if { gt(x, 1) }",
      "h([a, b]) = a if { true }",
    ]);
    expect(m.rules[0].head.args).toHaveLength(2);
    expect(m.rules[0].head.name).toBe("f");
  });

  it("whitespace before the first `(`, `[` or `.` of a head, as OPA's parseHeadFinish skips it", () => {
    // An AWS Terraform policy library writes `is_s3_destination (resource){`; body terms stay strict.
    expect(rules("f (x) := x + 1\ng (x) if x > 1\na .b := 1\np [k] := 2 if k := 1")).toEqual([
      "f(x) := plus(x, 1) if { true }",
      "g(x) = true if { gt(x, 1) }",
      "a.b := 1 if { true }",
      "p[k] := 2 if { assign(k, 1) }",
    ]);
    const v0 = parseModule("package t\n\ndeny [msg] { msg := 1 }\nh (x) = y { y := x }\n", "t.rego", { regoVersion: "v0" });
    expect(v0.errors).toEqual([]);
    expect(v0.module!.rules.map(renderRule)).toEqual(["deny contains msg if { assign(msg, 1) }", "h(x) = y if { assign(y, x) }"]);
    expect(parseModule("package t\n\np if { x := f (1) }\n", "t.rego").errors[0].message).toMatch(/3:15: rego_parse_error: unexpected \( token/);
  });

  it("default rules, including default functions", () => {
    const m = mod("package t\ndefault allow := false\ndefault f(_) := 0\ndefault a.b = {}\n");
    expect(m.rules.map(renderRule)).toEqual(["default allow := false if { true }", "default f(_) := 0 if { true }", "default a.b = {} if { true }"]);
    expect(m.rules.every((r) => r.default)).toBe(true);
  });

  it("else chains with and without values, block and single-expression bodies", () => {
    expect(rules('r := 1 if { input.a } else := 2 if input.b else = 3\nt if { input.a } else if { input.b }\nu := "x" if false else := "y"')).toEqual([
      "r := 1 if { input.a } else := 2 if { input.b } else = 3 if { true }",
      "t = true if { input.a } else = true if { input.b }",
      'u := "x" if { false } else := "y" if { true }',
    ]);
  });

  it("chained bodies become rules sharing the head (if before the first body only)", () => {
    const m = mod("package t\np contains x if { x := 1 } { x := 2 }\n");
    expect(m.rules.map(renderRule)).toEqual(["p contains x if { assign(x, 1) }", "p contains x if { assign(x, 2) }"]);
    expect(m.rules[1].location).toEqual({ file: "t.rego", row: 2, col: 28 });
  });

  it("keeps the rule location and separates rules by lines", () => {
    const m = mod("package t\n\n  p := 1\nq := 2\n");
    expect(m.rules.map((r) => [r.location.row, r.location.col])).toEqual([
      [3, 3],
      [4, 1],
    ]);
  });
});

describe("bodies and expressions", () => {
  it("separates expressions by newlines and semicolons and numbers them", () => {
    const m = mod("package t\np if {\n  x := 1; y := 2\n  x < y\n}\n");
    expect(renderBody(m.rules[0].body)).toBe("assign(x, 1); assign(y, 2); lt(x, y)");
    expect(m.rules[0].body.map((e) => e.index)).toEqual([0, 1, 2]);
    expect(m.rules[0].body[2].location).toEqual({ file: "t.rego", row: 4, col: 3 });
  });

  it("some declarations", () => {
    expect(body("some x\nsome a, b\nsome x in xs\nsome k, v in obj")).toBe(
      "some x; some a, b; some internal.member_2(x, xs); some internal.member_3(k, v, obj)",
    );
    const e = mod("package t\np if { some x in [1] }\n").rules[0].body[0];
    expect(isSomeExpr(e)).toBe(true);
  });

  it("every with and without key", () => {
    expect(body("every x in xs { x > 0 }\nevery k, v in o {\n  k != v\n  v\n}")).toBe(
      "every x in xs { gt(x, 0) }; every k, v in o { neq(k, v); v }",
    );
    const e = mod("package t\np if { every x in [1] { x } }\n").rules[0].body[0];
    expect(isEveryExpr(e)).toBe(true);
  });

  it("comprehensions, and comprehension priority over set union", () => {
    expect(body("a := [x | x := xs[_]]\nb := {x | some x in xs}\nc := {k: v | some k, v in o}\nd := {a | b}\ne := [a | b, c]")).toBe(
      "assign(a, [x | assign(x, xs[_])]); assign(b, {x | some internal.member_2(x, xs)}); assign(c, {k: v | some internal.member_3(k, v, o)}); assign(d, {a | b}); assign(e, [or(a, b), c])",
    );
  });

  it("with modifiers (several), not, and comparison operators", () => {
    expect(body("not allow with input.user as \"bob\" with data.roles as {}\nx == 1\nx != 2\nx < 1\nx <= 1\nx > 1\nx >= 1\nx = y")).toBe(
      'not allow with input.user as "bob" with data.roles as {}; equal(x, 1); neq(x, 2); lt(x, 1); lte(x, 1); gt(x, 1); gte(x, 1); eq(x, y)',
    );
    const e = mod("package t\np if { not q }\n").rules[0].body[0];
    expect(e.negated).toBe(true);
    expect(isTermExpr(e)).toBe(true);
  });

  it("operator precedence: * over +, + over &, & over |, | over ==, == over in", () => {
    expect(query("x := 1 + 2 * 3 - 4 / 2 % 3")).toBe("assign(x, minus(plus(1, mul(2, 3)), rem(div(4, 2), 3)))");
    expect(query("x := a | b & c - d")).toBe("assign(x, or(a, and(b, minus(c, d))))");
    expect(query("a | b == c")).toBe("equal(or(a, b), c)");
    expect(query("x := 1 in {2}")).toBe("assign(x, internal.member_2(1, {2}))");
    expect(query("(1 + 2) * 3")).toBe("mul(plus(1, 2), 3)");
  });

  it("membership: x in xs and k, v in xs, chained, and in lists", () => {
    expect(query('"foo", 1 in {"foo": 1}')).toBe('internal.member_3("foo", 1, {"foo": 1})');
    expect(query("1, 2 in [2] in [true]")).toBe("internal.member_2(internal.member_3(1, 2, [2]), [true])");
    expect(query("x := [1, 1 in [2]]")).toBe("assign(x, [1, internal.member_2(1, [2])])");
    expect(query("f((1, 1 in [2]))")).toBe("f(internal.member_3(1, 1, [2]))");
    const e = parseQuery("x in xs").body![0];
    expect(isCallExpr(e)).toBe(true);
  });

  it("refs with vars, brackets, strings, composites and calls", () => {
    expect(query('input.a[x]["b c"].d[0][[1, 2]]')).toBe('input.a[x]["b c"].d[0][[1, 2]]');
    expect(query("f(x)[0].y")).toBe("f(x)[0].y");
    expect(query("[1, 2][i]")).toBe("[1, 2][i]");
    expect(query("x := count(input.xs) + object.get(o, \"k\", 0)")).toBe('assign(x, plus(count(input.xs), object.get(o, "k", 0)))');
  });

  it("does not continue a ref across whitespace", () => {
    expect(parseQuery("x [1]").errors[0].message).toMatch(/^query:1:3: rego_parse_error: unexpected \[ token/);
  });

  it("keywords followed by a dot are ref heads", () => {
    expect(rules("not.foo := 1\np if { every.x == 2; not.foo }")).toEqual(["not.foo := 1 if { true }", "p = true if { equal(every.x, 2); not.foo }"]);
  });
});

describe("scalars", () => {
  it("numbers keep their source text, including signs, fractions and exponents", () => {
    expect(query("x := [0, 12, -3, 1.5, -0.25, 1e3, 2.5E-7, 6e+2, .5, -.5]")).toBe("assign(x, [0, 12, -3, 1.5, -0.25, 1e3, 2.5E-7, 6e+2, 0.5, -0.5])");
    expect(query("x := y - 1")).toBe("assign(x, minus(y, 1))");
    expect(parseQuery("x := 007").errors[0].detail).toBe("expected number");
  });

  it("strings with escapes and raw strings", () => {
    const t = parseQuery('x := ["a\\"b\\\\c\\n\\t\\u00e9\\ud83d\\ude00\\/", `raw \\n\nline`]').body![0];
    const arr = (t.terms as any)[2].value.value;
    expect(arr[0].value.value).toBe('a"b\\c\n\té😀/');
    expect(arr[1].value.value).toBe("raw \\n\nline");
  });

  it("ignores a leading byte order mark", () => {
    expect(mod("\uFEFFpackage t\np := 1\n").rules).toHaveLength(1);
  });

  it("null, booleans, empty set, empty object", () => {
    expect(query("x := [null, true, false, set(), {}, {1}]")).toBe("assign(x, [null, true, false, set(), {}, {1}])");
  });

  it("template strings with interpolation and escaped braces", () => {
    expect(query('x := $"a {y + 1} b \\{c} {"s"}"')).toBe('assign(x, $"a {plus(y, 1)} b {c} {"s"}")');
    expect(query('x := $""')).toBe('assign(x, $"")');
  });
});

describe("comments and METADATA annotations", () => {
  it("collects comments with positions", () => {
    const m = mod("# top\npackage t # trailing\np := 1\n");
    expect(m.comments.map((c) => [c.text, c.location.row, c.location.col])).toEqual([
      [" top", 1, 1],
      [" trailing", 2, 11],
    ]);
  });

  it("attaches METADATA blocks to the next rule and the package", () => {
    const m = mod(
      [
        "# METADATA",
        "# title: Reset policy",
        "package t",
        "",
        "# METADATA",
        "# title: No user-completed resets",
        "# description: Resets must be central.",
        "# custom:",
        "#   control: CG-RESET-001",
        "deny contains msg if {",
        '  msg := "x"',
        "}",
        "",
        "plain := 1",
      ].join("\n"),
    );
    expect(m.annotations.map((a) => [a.scope, a.title])).toEqual([
      ["package", "Reset policy"],
      ["rule", "No user-completed resets"],
    ]);
    expect(m.rules[0].annotations?.custom).toEqual({ control: "CG-RESET-001" });
    expect(m.rules[0].annotations?.location).toEqual({ file: "t.rego", row: 5, col: 1 });
    expect(m.rules[1].annotations).toBeUndefined();
    expect(m.package.annotations?.title).toBe("Reset policy");
  });

  it("rejects scopes placed on the wrong statement", () => {
    const onRule = parseModule("package t\n# METADATA\n# scope: package\np := 1\n", "t.rego");
    expect(onRule.errors.map((e) => e.message)).toEqual(["t.rego:2:1: rego_parse_error: annotation scope 'package' must be applied to package"]);
    const onPackage = parseModule("# METADATA\n# scope: rule\npackage t\n", "t.rego");
    expect(onPackage.errors.map((e) => e.message)).toEqual(["t.rego:1:1: rego_parse_error: annotation scope 'rule' must be applied to rule (have package)"]);
    const doc = mod("package t\n# METADATA\n# scope: document\n# entrypoint: true\np := 1\n");
    expect([doc.rules[0].annotations?.scope, doc.rules[0].annotations?.entrypoint]).toEqual(["document", true]);
  });
});

describe("parseQuery", () => {
  it("parses conformance-style queries", () => {
    expect(query("data.test.p = x")).toBe("eq(data.test.p, x)");
    expect(query('data.test.p[{"a":"b"}] = x')).toBe('eq(data.test.p[{"a": "b"}], x)');
    expect(query("x = 1; y = 2")).toBe("eq(x, 1); eq(y, 2)");
  });
});
