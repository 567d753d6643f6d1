// Regression tests for the root causes found when real-world suites ran through credgov: each
// case states what OPA 1.x evaluates for the same Rego (`opa eval` / OPA's documentation), and
// runs through the whole compiler, the Wasm back end and the official SDK.
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../src/policy/bundle/eval-query.ts";
import { compileRego, RegoCompileError } from "../../../src/policy/rego/index.ts";

async function values(source: string, query: string, input?: unknown): Promise<unknown[]> {
  const rs = await evalQuery({ modules: [{ file: "t.rego", source }], query, input });
  return rs.map((r) => r.bindings.x);
}

describe("builtins the host implements are declared to the compiler", () => {
  it.each([
    ["indexof_n(\"sea shells\", \"s\")", [0, 4, 9]],
    ["strings.any_suffix_match(\"abc.rego\", {\".rego\", \".json\"})", true],
    ["urlquery.decode_object(\"a=1&a=2&b=x\")", { a: ["1", "2"], b: ["x"] }],
    ["graphql.schema_is_valid(\"type Query { a: Int }\")", true],
    ["strings.split_n(\"a,b,c\", \",\", 2)", ["a", "b"]],
  ])("%s", async (call, want) => {
    expect(await values("package t", `x := ${call}`)).toEqual([want]);
  });
});

describe("v1 parsing", () => {
  it("a bodiless function clause f(null) is f(null) := true", async () => {
    const src = "package t\n\nf(null)\nf(x) := false if x != null\n";
    expect(await values(src, "x := [data.t.f(null), data.t.f(1)]")).toEqual([[true, false]]);
  });

  it("p[x] if { ... } is a single-value rule p[x] := true (parametrised tests)", async () => {
    const src = "package t\n\np[x] if { some x in [\"a\", \"b\"] }\n";
    expect(await values(src, "x := data.t.p")).toEqual([{ a: true, b: true }]);
  });

  it("p[x] without if still needs contains, as OPA says", () => {
    expect(() => compileRego({ modules: ["package t\n\np[x] { x := 1 }\n"], query: "true" })).toThrow(/`contains` keyword is required/);
  });
});

describe("iteration order is OPA's evaluator order (sorted sets and object keys)", () => {
  it("some e in a set", async () => {
    expect(await values("package t", 'x := [e | some e in {"b", "a", "c"}]')).toEqual([["a", "b", "c"]]);
  });

  it("some k, _ in an object", async () => {
    expect(await values("package t", 'x := [k | some k, _ in {"b": 1, "a": 2}]')).toEqual([["a", "b"]]);
  });

  it("a partial set rule, iterated directly or passed as a value, in sorted order", async () => {
    // OPA evaluates `s[x]` with x unbound by building the rule's full extent (evalVirtualPartial's
    // cache hint `full`) and iterating that set, whose Iter is in key order; a value passed to a
    // function is a plain set. ScubaGoggles' report messages depend on it.
    const src =
      'package t\n\ns contains {"Name": "topOU"}\ns contains {"Name": "nextOU"}\n' +
      "names(xs) := [x.Name | some x in xs]\n" +
      "direct := [x.Name | some x in s]\nindexed := [x.Name | s[x]]\npassed := names(s)\n";
    expect(await values(src, "x := [data.t.direct, data.t.indexed, data.t.passed]")).toEqual([
      [["nextOU", "topOU"], ["nextOU", "topOU"], ["nextOU", "topOU"]],
    ]);
  });

  it("a partial object rule's keys in sorted order", async () => {
    const src = 'package t\n\no["b"] := 1\no["a"] := 2\nks := [k | some k, _ in o]\n';
    expect(await values(src, "x := data.t.ks")).toEqual([["a", "b"]]);
  });

  it("set and object values from input and rules", async () => {
    const src = 'package t\n\ns := {v | some v in input.xs}\nfirst := [v | some v in s][0]\n';
    expect(await values(src, "x := data.t.first", { xs: ["z", "m", "a"] })).toEqual(["a"]);
  });
});

describe("safety reordering", () => {
  it("a negation waits for the expression that binds its var", async () => {
    const src = 'package t\n\nv contains p if {\n\tnot input.xs[p] == "a"\n\tinput.xs[p]\n}\n';
    expect(await values(src, "x := data.t.v", { xs: ["a", "b"] })).toEqual([[1]]);
  });

  it("every waits for the expression that binds its domain's var", async () => {
    const src = "package t\n\nok contains k if {\n\tevery v in input.m[k] { v > 0 }\n\tinput.m[k]\n}\n";
    expect(await values(src, "x := data.t.ok", { m: { a: [1, 2], b: [0, 3] } })).toEqual([["a"]]);
  });
});

describe("json.patch", () => {
  it("a path without the leading slash is trimmed like OPA's parsePath", async () => {
    expect(await values("package t", 'x := json.patch({"a": 1}, [{"op": "add", "path": "a", "value": 2}])')).toEqual([{ a: 2 }]);
    expect(await values("package t", 'x := json.patch({"a": {"b": 1}}, [{"op": "replace", "path": "//a/b", "value": 3}])')).toEqual([{ a: { b: 3 } }]);
  });

  it("patches a set by element and leaves the sets it does not touch sets, as OPA does", async () => {
    const patched = async (doc: string, patch: string): Promise<unknown[]> =>
      values("package t", `p := json.patch(${doc}, ${patch}); x := [is_set(p.s), p]`);
    // An untouched set stays a set (it came back as an array).
    expect(await values("package t", 'x := is_set(json.patch({"s": {1, 2}}, [{"op": "add", "path": "/a", "value": 1}]).s)')).toEqual([true]);
    expect(await patched('{"s": {"a", "b", "c"}}', '[{"op": "remove", "path": "s/b"}]')).toEqual([[true, { s: ["a", "c"] }]]);
    expect(await patched('{"s": {"a"}}', '[{"op": "add", "path": "s/d", "value": "d"}]')).toEqual([[true, { s: ["a", "d"] }]]);
    // The value added to a set must be the element its path names.
    expect(await patched('{"s": {"a"}}', '[{"op": "add", "path": "s/d", "value": "e"}]')).toEqual([]);
    // An array path names a set element by value, then an array index.
    expect(await values("package t", 'x := json.patch({[1]}, [{"op": "add", "path": [[1], 1], "value": 2}]) == {[1, 2]}')).toEqual([true]);
  });
});

describe("restricted builtins", () => {
  it("http.send is off by default with an error naming the flag", () => {
    const run = () => compileRego({ modules: ['package t\n\nr := http.send({"method": "GET", "url": "http://example.test"})\n'], query: "x := data.t.r" });
    expect(run).toThrow(RegoCompileError);
    expect(run).toThrow(/http\.send is off by default in credgov .*allow it with --allow-builtin http\.send/);
  });

  it("is accepted when allowed", () => {
    expect(() =>
      compileRego({ modules: ["package t\n\nr := opa.runtime()\n"], query: "x := data.t.r", allowBuiltins: new Set(["opa.runtime"]) }),
    ).not.toThrow();
  });
});

describe("type checking of builtin calls against their declarations", () => {
  it.each([
    ['count(1)', "count: invalid argument(s)"],
    ['concat(",", [1, 2])', "concat: invalid argument(s)"],
    ['upper(["a"])', "upper: invalid argument(s)"],
  ])("%s is a rego_type_error", (call, message) => {
    expect(() => compileRego({ modules: [], query: `x := ${call}` })).toThrow(new RegExp(`rego_type_error: ${message.replace(/[()]/g, "\\$&")}`));
  });

  it("accepts well-typed calls and what it cannot see", () => {
    expect(() => compileRego({ modules: [], query: 'x := concat(",", {"a", "b"}); y := count(input.x); z := time.format([1, "UTC"])' })).not.toThrow();
  });
});

describe("Rego v0 (--v0-compatible)", () => {
  const V0 = [
    "package v0",
    "",
    "default allow = false",
    "",
    'allow { input.user == "admin" }',
    "",
    "deny[msg] {",
    "\tsome i",
    "\tinput.items[i] > 3",
    '\tmsg := sprintf("item %d too big", [i])',
    "}",
    "",
    "labels[k] = v { v := input.labels[k] }",
    "",
    "f(x) = y { x > 1; y := x * 2 } else = 0 { true }",
    "",
    "# `contains` is a plain name (the builtin) without future.keywords",
    'has_adm { contains(input.user, "adm") }',
  ].join("\n");
  const input = { user: "admin", items: [1, 5, 7], labels: { a: "b" } };

  it("reads v0 rules as OPA 1.x does with --v0-compatible", async () => {
    const rs = await evalQuery({
      modules: [{ file: "v0.rego", source: V0 }],
      query: "x := [data.v0.allow, data.v0.deny, data.v0.labels, data.v0.f(2), data.v0.f(1), data.v0.has_adm]",
      input,
      regoVersion: "v0",
    });
    expect(rs.map((r) => r.bindings.x)).toEqual([[true, ["item 1 too big", "item 2 too big"], { a: "b" }, 4, 0, true]]);
  });

  it("future.keywords imports turn the v1 keywords on, rego.v1 switches the module to v1", async () => {
    const fk = 'package fk\n\nimport future.keywords.in\nimport future.keywords.if\n\np if { "a" in input.xs }\n';
    expect((await evalQuery({ modules: [{ file: "fk.rego", source: fk }], query: "x := data.fk.p", input: { xs: ["a"] }, regoVersion: "v0" })).map((r) => r.bindings.x)).toEqual([true]);
    const v1 = "package v1m\n\nimport rego.v1\n\np { true }\n";
    expect(() => compileRego({ modules: [{ file: "v1.rego", source: v1 }], regoVersion: "v0", query: "true" })).toThrow(/`if` keyword is required before rule body/);
  });

  it("v1 (the default) rejects v0 rules", () => {
    expect(() => compileRego({ modules: [{ file: "v0.rego", source: V0 }], query: "true" })).toThrow(/`if` keyword is required/);
  });
});

describe("http.send, when allowed", () => {
  it("sends the request and returns OPA's response shape", async () => {
    // The server runs in another process: evaluation waits synchronously for the reply.
    const { spawn } = await import("node:child_process");
    const server = spawn(process.execPath, [
      "-e",
      `require("node:http").createServer((req, res) => { let b = ""; req.on("data", (c) => (b += c)); req.on("end", () => {
         res.setHeader("content-type", "application/json");
         res.end(JSON.stringify({ method: req.method, path: req.url, got: b ? JSON.parse(b) : null })); });
       }).listen(0, "127.0.0.1", function () { console.log(this.address().port); });`,
    ]);
    try {
      const port = await new Promise<number>((resolve) => server.stdout.once("data", (d: Buffer) => resolve(Number(String(d).trim()))));
      const rs = await evalQuery({
        modules: [],
        query: `r := http.send({"method": "post", "url": "http://127.0.0.1:${port}/x", "body": {"a": 1}}); x := [r.status_code, r.body]`,
        allowBuiltins: new Set(["http.send"]),
      });
      expect(rs.map((r) => r.bindings.x)).toEqual([[200, { method: "POST", path: "/x", got: { a: 1 } }]]);
    } finally {
      server.kill();
    }
  });
});
