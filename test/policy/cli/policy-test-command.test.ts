// `credgov policy test|check|eval` against OPA's documented behaviour of `opa test`, `opa check`
// and `opa eval` (expected results as OPA reports them for the same files).
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const bin = new URL("../../../bin/credgov.js", import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "credgov-policy-test-"));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

const SUITE = tree({
  "suite/a_test.rego": [
    "package a",
    "",
    "test_dup if { true }",
    "test_dup if { false }",
    "test_seven := 7",
    'test_print if { print("checking", input.missing, 1); true }',
    'test_fail_prints if { print("why it failed"); false }',
    "",
    "cases := [{\"note\": \"one\", \"in\": 1}, {\"note\": \"two\", \"in\": 2}, {\"note\": \"three\", \"in\": 3}]",
    "test_param[tc.note] if {",
    "\tsome tc in cases",
    "\ttc.in < 3",
    "}",
    "todo_test_later if { false }",
  ].join("\n"),
  "suite/conf/limits.json": '{"max": 3}',
  "suite/conf/more.yaml": "names: [x, z]\n",
  "suite/b_test.rego": "package b\n\ntest_data if { data.conf.max == 3; data.conf.names == [\"x\", \"z\"] }\n",
  "other/c_test.rego": "package c\n\ntest_c if { true }\n",
});

describe("credgov policy test", () => {
  it("runs like opa test: split duplicates, require true, sub-results, print, data files, several paths", () => {
    const r = run("policy", "test", path.join(SUITE, "suite"), path.join(SUITE, "other"), "-v");
    expect(r.status).toBe(1);
    const out = r.stdout;
    expect(out).toMatch(/data\.a\.test_dup: PASS/);
    expect(out).toMatch(/data\.a\.test_dup#01: FAIL/);
    expect(out).toMatch(/data\.a\.test_seven: FAIL/);
    expect(out).toMatch(/data\.a\.test_print: PASS/);
    expect(out).toContain("  checking <undefined> 1");
    expect(out).toMatch(/data\.a\.test_param: FAIL/);
    expect(out).toMatch(/ {2}one: PASS\n {2}two: PASS\n {2}three: FAIL/);
    expect(out).toMatch(/data\.b\.test_data: PASS/);
    expect(out).toMatch(/data\.c\.test_c: PASS/);
    expect(out).toMatch(/data\.a\.todo_test_later: SKIPPED/);
    expect(out).toMatch(/data\.a\.test_fail_prints: FAIL/);
    expect(out).toContain("PASS: 4/9");
    expect(out).toContain("FAIL: 4/9");
    expect(out).toContain("SKIPPED: 1/9");
  });

  it("without -v shows only failures, with their print() output", () => {
    const r = run("policy", "test", path.join(SUITE, "suite"));
    expect(r.stdout).not.toContain("test_print");
    expect(r.stdout).toMatch(/test_fail_prints: FAIL[^\n]*\n\n {2}why it failed/);
  });

  it("--ignore skips files and folders below the paths by name, like OPA's flag", () => {
    const dir = tree({
      "p/p_test.rego": "package p\n\ntest_p if { data.limit == 3 }\n",
      "p/limit.json": '{"limit": 3}',
      "p/examples.yaml": "limit: 4\n",
      "p/.hidden/x_test.rego": "package x\n\ntest_broken if {\n",
    });
    const r = run("policy", "test", path.join(dir, "p"), "--ignore", "*.yaml", "--ignore", ".*");
    expect(r.stdout).toContain("PASS: 1/1");
    expect(r.status).toBe(0);
    // A string-slice flag in OPA: one value may hold several patterns, comma-separated.
    expect(run("policy", "test", path.join(dir, "p"), "--ignore", "*.yaml,.*").stdout).toContain("PASS: 1/1");
    const bad = run("policy", "check", path.join(dir, "p"), "--ignore", "[z-a]");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--ignore: bad pattern "\[z-a\]": the range z-a is empty/);
  });

  it("a module reached through two overlapping paths is loaded once, as OPA's loader keys modules by path", () => {
    // `opa test policies/ policies/test/`: the mock is data.test.mock through the first path and
    // data.mock through the second, and each test runs once.
    const dir = tree({
      "policies/limit.rego": "package limit\n\nok if input.n < 3\n",
      "policies/test/limit_test.rego": "package limit\n\ntest_small if ok with input as data.mock.small\n",
      "policies/test/mock.json": '{"mock": {"small": {"n": 1}}}',
    });
    const r = run("policy", "test", "-v", path.join(dir, "policies"), path.join(dir, "policies", "test") + path.sep);
    expect(r.stdout).toContain("PASS: 1/1");
    expect(r.stdout).not.toContain("test_small#01");
    expect(r.status).toBe(0);
  });

  it("prints sets as OPA prints terms: sorted in braces, set() when empty", () => {
    const dir = tree({ "p_test.rego": 'package p\n\ns contains 2\ns contains 1\n\ntest_p if { print(s, {"b", "a"}, set(), {"k": {1}}, [set()]) }\n' });
    const r = run("policy", "test", dir, "-v");
    expect(r.stdout).toContain('  {1, 2} {"a", "b"} set() {"k": {1}} [set()]\n');
  });

  it("--format json, --run, --coverage and --bench", () => {
    const r = run("policy", "test", path.join(SUITE, "suite"), "--format", "json", "--run", "test_(param|data)$", "--coverage", "--bench");
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as { tests: Array<Record<string, unknown>>; coverage: { files: Record<string, { coverage: number }>; coverage: number } };
    expect(report.tests.map((t) => `${t.package}.${t.name}`)).toEqual(["data.a.test_param", "data.b.test_data"]);
    expect(report.tests[0]).toMatchObject({ fail: true, sub_results: [{ name: "one" }, { name: "two" }, { name: "three", fail: true }] });
    expect(report.tests[1].fail).toBeUndefined();
    expect((report.tests[1].benchmark_result as { iterations: number }).iterations).toBeGreaterThan(0);
    const files = Object.keys(report.coverage.files);
    expect(files.some((f) => f.endsWith("a_test.rego"))).toBe(true);
    expect(report.coverage.coverage).toBeGreaterThan(0);
    expect(report.coverage.coverage).toBeLessThan(100);
  });

  it("--threshold fails the run when coverage is below it, with OPA's message (its own test case: 40.00 of 100.00)", () => {
    const dir = tree({ "t.rego": "package test\n\np := 1 if {\n\t1 == 1\n}\nq := 2\nr := 3\ntest_q if { q == 2 }\n" });
    const below = run("policy", "test", "--threshold", "100", "-v", dir);
    expect(below.status).toBe(1);
    expect(below.stderr).toContain("Code coverage threshold not met: got 40.00 instead of 100.00");
    expect(below.stderr).toMatch(/Lines not covered:\n\s+\S*t\.rego:3-4\n\s+\S*t\.rego:7/);
    expect(run("policy", "test", "--threshold", "40", dir).status).toBe(0);
    const bad = run("policy", "test", "--threshold", "101", dir);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--threshold: must be a percentage between 0 and 100");
  });

  it("--timeout stops a test that runs too long and goes on with the next", () => {
    const dir = tree({
      "t_test.rego": 'package t\n\ntest_slow if { test.sleep("3s") }\ntest_fast if { true }\n',
    });
    const r = run("policy", "test", dir, "--timeout", "300ms", "-v");
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/data\.t\.test_slow: ERROR[^\n]*\n {2}test timed out after 300 ms/);
    expect(r.stdout).toMatch(/data\.t\.test_fast: PASS/);
  });
});

describe("credgov policy test: opa test's flags as CI lines spell them", () => {
  const dir = tree({
    "b/policy.rego": "package p\n\nlimit := data.limit\n",
    "b/data.json": '{"limit": 3}',
    "b/fixtures/case.json": '{"kind": "A"}',
    "b/p_test.rego": "package p\n\ntest_limit if limit == 3\n\ntest_fixture_is_data if data.fixtures.kind == \"A\"\n",
  });

  it("-b reads a path as a bundle: only data.json / data.yaml files are data, as OPA's bundle reader takes them", () => {
    const plain = run("policy", "test", path.join(dir, "b"));
    expect(plain.stdout).toContain("PASS: 2/2");
    const bundle = run("policy", "test", "-b", path.join(dir, "b"));
    expect(bundle.stdout).toMatch(/test_fixture_is_data: FAIL/);
    expect(bundle.stdout).toContain("PASS: 1/2");
    expect(run("policy", "test", "-b", path.join(dir, "b", "data.json")).stderr).toContain("a bundle must be a folder");
  });

  it("a skipped test (todo_test_*) fails the run as in opa test, unless -z / --exit-zero-on-skipped; --v1-compatible is accepted (the default)", () => {
    const skip = tree({ "s/t_test.rego": "package s\n\ntest_pass if { true }\n\ntodo_test_skip if { true }\n" });
    const plain = run("policy", "test", path.join(skip, "s"));
    expect(plain.stdout).toContain("SKIPPED: 1/2");
    expect(plain.status).toBe(1);
    expect(run("policy", "test", "-z", path.join(skip, "s")).status).toBe(0);
    expect(run("policy", "test", "--exit-zero-on-skipped", "--v1-compatible", path.join(skip, "s")).status).toBe(0);
    const failing = tree({ "f/t_test.rego": "package f\n\ntest_fail if { false }\n\ntodo_test_skip if { true }\n" });
    expect(run("policy", "test", "-z", path.join(failing, "f")).status).toBe(1);
  });

  it("-r, -f, -c and --explain=fails (OPA's default) run; --explain full, which needs traces, is refused by name", () => {
    const r = run("policy", "test", "--explain=fails", "-r", "test_limit", "-f", "json", "-c", path.join(dir, "b"));
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).coverage).toBeDefined();
    const full = run("policy", "test", "--explain", "full", path.join(dir, "b"));
    expect(full.status).not.toBe(0);
    expect(full.stderr).toContain("--explain");
  });
});

describe("credgov policy test: data files as OPA's loader reads them", () => {
  it("a YAML data file of several documents is its first document (sigs.k8s.io/yaml decodes one), with a warning at the second `---`", () => {
    const dir = tree({
      "p/policy_test.rego": "package p\n\ntest_first_document if { data.conf.limit == 3; not data.conf.names }\n",
      "p/conf/limits.yaml": "# limits\n---\nlimit: 3\n---\nnames: [x]\n---\nother: [\n",
      "p/conf/trailing.yml": "extra: 1\n---\n# nothing after this marker\n",
    });
    const r = run("policy", "test", path.join(dir, "p"));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("PASS: 1/1");
    expect(r.stderr).toContain(`warning: ${path.join(dir, "p/conf/limits.yaml")}:4: a second YAML document starts here`);
    expect(r.stderr).not.toContain("trailing.yml");
    const evaluated = run("policy", "eval", "-d", path.join(dir, "p/conf"), "x := data.extra");
    expect(JSON.parse(evaluated.stdout).result[0].bindings.x).toBe(1);
    expect(evaluated.stderr).toContain("limits.yaml:4:");
  });

  it("a syntax error in the first document is still an error naming file, line and column", () => {
    const dir = tree({ "p/bad.yaml": "a: [\n---\nb: 1\n" });
    const r = run("policy", "test", path.join(dir, "p"));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:\d+:\d+ invalid YAML/);
  });
});

describe("credgov policy check", () => {
  it("reports every error with its position and exits 2", () => {
    const dir = tree({ "x.rego": "package x\n\np if { y }\nq := count(1)\n" });
    const r = run("policy", "check", dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("x.rego:3:8: rego_unsafe_var_error: var y is unsafe");
    expect(r.stderr).toContain("x.rego:4:6: rego_type_error: count: invalid argument(s)");
  });

  it("stops after 10 compile errors with OPA's `error limit reached`, and -m sets the limit (0: none), for check and test", () => {
    // Twelve undefined calls, one per line: OPA's compiler (limit 10) reports rows 3-12, then the limit.
    const rules = Array.from({ length: 12 }, (_, i) => `test_${i} if nosuch(${i})`);
    const dir = tree({ "many_test.rego": ["package m", "", ...rules, ""].join("\n") });
    const positioned = (stderr: string) => stderr.split("\n").filter((l) => l.includes("rego_type_error: undefined function nosuch"));
    for (const command of ["check", "test"]) {
      const r = run("policy", command, dir);
      expect(r.status).toBe(2);
      expect(positioned(r.stderr).map((l) => Number(/:(\d+):\d+: /.exec(l)?.[1]))).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(r.stderr).toContain("error: rego_compile_error: error limit reached\n");
      expect(r.stderr).toContain("10 compile errors (stopped at the limit; -m 0 reports every one)");
    }
    const all = run("policy", "check", "-m", "0", dir);
    expect(positioned(all.stderr)).toHaveLength(12);
    expect(all.stderr).not.toContain("error limit reached");
    expect(all.stderr).toContain("12 compile errors\n");
    const three = run("policy", "test", "--max-errors", "3", dir);
    expect(positioned(three.stderr)).toHaveLength(3);
    expect(three.stderr).toContain("error limit reached");
    // eval has no -m (as opa eval): the same default limit, and the summary does not offer the flag.
    const evaluated = run("policy", "eval", "-d", dir, "x := 1");
    expect(positioned(evaluated.stderr)).toHaveLength(10);
    expect(evaluated.stderr).toContain("10 compile errors (stopped at the limit)\n");
    const bad = run("policy", "check", "-m", "-1", dir);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("--max-errors");
  });

  it("--strict adds unused imports, and for Rego v0 deprecated builtins and duplicate imports", () => {
    const dir = tree({ "s.rego": "package s\n\nimport data.unused\nimport data.a.b\nimport data.c.b\n\np { any([true]); b }\n" });
    expect(run("policy", "check", "--v0-compatible", dir).status).toBe(0);
    const r = run("policy", "check", "--v0-compatible", "--strict", dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("s.rego:7:5: rego_type_error: deprecated built-in function calls in expression: any");
    expect(r.stderr).toContain("s.rego:5:1: rego_compile_error: import must not shadow import data.a.b");
    expect(r.stderr).toContain("s.rego:3:1: rego_compile_error: import data.unused unused");
  });

  it("a Rego v1 module (or v0 importing rego.v1) gets the deprecated-builtin and duplicate-import errors without --strict, as OPA 1.x gives them", () => {
    const imports = run("policy", "check", tree({ "s.rego": "package s\n\nimport data.a.b\nimport data.c.b\n\np if b\n" }));
    expect(imports.status).toBe(2);
    expect(imports.stderr).toContain("s.rego:4:1: rego_compile_error: import must not shadow import data.a.b");
    const deprecated = run("policy", "check", tree({ "s.rego": "package s\n\np if any([true])\n" }));
    expect(deprecated.status).toBe(2);
    expect(deprecated.stderr).toContain("s.rego:3:6: rego_type_error: deprecated built-in function calls in expression: any");
    const v0 = tree({ "s.rego": "package s\n\nimport rego.v1\n\np if { re_match(`a`, `a`) }\n" });
    const r0 = run("policy", "check", "--v0-compatible", v0);
    expect(r0.stderr).toContain("s.rego:5:8: rego_type_error: deprecated built-in function calls in expression: re_match");
    expect(run("policy", "test", "--v0-compatible", v0).status).toBe(2);
  });

  it("--strict reports a var assigned with := and never used again, as OPA's RewriteLocalVars counts it", () => {
    const dir = tree({
      "u.rego": [
        "package u",
        "",
        "p if {",
        "\tz := 1", // never used again: reported
        "\ttrue",
        "}",
        "",
        "q := [1 | w := 2]", // a head comprehension's body is checked on its own
        "",
        "f(a) := b if b := a", // used by the head
        "",
        "r if {",
        "\tx := 1",
        "\tys := [y | y := x]", // x used in a closure, y by the comprehension's term
        "\tevery v in ys { v > x }",
        "}",
        "",
        "s if {",
        "\tsome i in [1]",
        "\t[k, _] := [i, 2]", // k unused; _ never is
        "}",
        "",
      ].join("\n"),
    });
    expect(run("policy", "check", dir).status).toBe(0);
    const r = run("policy", "check", "--strict", dir);
    expect(r.status).toBe(2);
    const reported = r.stderr.split("\n").filter((l) => l.includes("assigned var"));
    expect(reported).toEqual([
      expect.stringContaining("u.rego:4:2: rego_compile_error: assigned var z unused"),
      expect.stringContaining("u.rego:8:11: rego_compile_error: assigned var w unused"),
      expect.stringContaining("u.rego:20:2: rego_compile_error: assigned var k unused"),
    ]);
  });

  it("--v0-v1 wants modules that Rego v0 and v1 read alike: v1 rule forms and checks, future keywords only where imported", () => {
    const ok = tree({ "a.rego": "package a\n\nimport future.keywords.contains\nimport future.keywords.if\n\np contains x if { x := 1 }\n", "b.rego": "package b\n\nimport rego.v1\n\nq if 1 in [1]\n" });
    expect(run("policy", "check", "--v0-v1", ok).status).toBe(0);
    const v0Only = tree({ "c.rego": "package c\n\nimport future.keywords.if\n\nq { true }\n\nr if { input := 1; input > 0 }\n" });
    expect(run("policy", "check", "--v0-compatible", v0Only).status).toBe(0);
    const r = run("policy", "check", "--v0-v1", v0Only);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("c.rego:5:1: rego_parse_error: `if` keyword is required before rule body");
    const shadow = run("policy", "check", "--v0-v1", tree({ "d.rego": "package d\n\nimport future.keywords.if\n\nr if { input := 1; input > 0 }\n" }));
    expect(shadow.stderr).toContain("variables must not shadow input (use a different variable name)");
    const keyword = run("policy", "check", "--v0-v1", tree({ "e.rego": "package e\n\nq if { true }\n" }));
    expect(keyword.status).toBe(2);
  });

  it("reads only the .rego files, as opa check filters its paths: data files that would not merge are no error", () => {
    // Test fixtures next to policies (two JSON documents setting the same key in one folder).
    const dir = tree({ "p.rego": "package p\n\nq := 1\n", "fixtures/a.json": '{"kind": "A"}', "fixtures/b.json": '{"kind": "B"}' });
    const r = run("policy", "check", dir);
    expect(r.stderr).toContain("1 module checked: no errors");
    expect(r.status).toBe(0);
  });
});

describe("credgov policy eval", () => {
  it("evaluates a query against -d modules and data and an input file", () => {
    const dir = tree({
      "p.rego": "package p\n\nbig contains n if { some n in input.xs; n > data.limit }\n",
      "data.json": '{"limit": 1}',
      "input.json": '{"xs": [1, 2, 3]}',
    });
    const r = run("policy", "eval", "-d", dir, "-i", path.join(dir, "input.json"), "data.p.big");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    // OPA's rego.Result: bindings left out when empty, each expression with its location.
    expect(JSON.parse(r.stdout)).toEqual({ result: [{ expressions: [{ value: [2, 3], location: { row: 1, col: 1 }, text: "data.p.big" }] }] });
    const bound = run("policy", "eval", "-d", dir, "-i", path.join(dir, "input.json"), "some n in data.p.big");
    expect(JSON.parse(bound.stdout).result.map((x: { bindings: { n: number } }) => x.bindings.n)).toEqual([2, 3]);
  });

  it("--format values, bindings, raw and pretty print as opa eval's presentation does; each query expression is reported", () => {
    const dir = tree({ "p.rego": 'package p\n\nname := "ann"\nxs := [1, 2]\nflag := false\n' });
    const q = (format: string, query: string) => run("policy", "eval", "-d", dir, "-f", format, query);
    expect(q("raw", "data.p.name; data.p.xs").stdout).toBe("ann [1,2]\n");
    expect(q("values", "data.p.name; x := 1").stdout).toBe('[\n  "ann",\n  true\n]\n');
    expect(q("bindings", "x := data.p.xs[_]").stdout).toBe('{\n  "x": 1\n}\n{\n  "x": 2\n}\n');
    expect(q("pretty", "data.p.name").stdout).toBe('"ann"\n');
    expect(q("pretty", "data.p.missing").stdout).toBe("undefined\n");
    expect(q("raw", "data.p.missing").stdout).toBe("");
    // OPA's rewriteQueryToCaptureValue: calls report their value; a lone false is reported, and
    // filters solutions only when the query iterates or has several expressions.
    expect(q("raw", "count(data.p.xs); data.p.xs[_] == 2").stdout).toBe("2 true\n");
    expect(q("raw", "data.p.flag").stdout).toBe("false\n");
    expect(q("raw", "data.p.flag; true").stdout).toBe("");
    const two = JSON.parse(q("json", "x := 1\ny := data.p.name").stdout);
    expect(two.result[0].expressions.map((e: { text: string; location: { row: number } }) => [e.text, e.location.row])).toEqual([["x := 1", 1], ["y := data.p.name", 2]]);
    expect(q("yaml", "data.p.name").status).toBe(2);
  });

  it("an expression under `with` reports its value computed with the modifiers, as OPA keeps them on the captured expression", () => {
    const dir = tree({
      "p.rego": 'package p\n\nallow if input.user == "alice"\n\nnames contains n if some n in data.users\n\nlimit := data.cfg.limit * 2\n',
      "lib.rego": "package lib\n\ntriple(x) := x * 3\n",
      "data.json": '{"users": ["a", "b"], "cfg": {"limit": 3}}',
    });
    const raw = (query: string) => run("policy", "eval", "-d", dir, "-f", "raw", query).stdout;
    expect(raw('data.p.names with data.users as ["z"]')).toBe('["z"]\n');
    expect(raw("data.p.limit with data.cfg.limit as 10")).toBe("20\n");
    expect(raw('count(data.p.names) with data.users as ["q", "r", "s"]')).toBe("3\n");
    expect(raw('data.p with input as {"user": "alice"} with data.users as []')).toBe('{"allow":true,"limit":6,"names":[]}\n');
    expect(raw('data.p.allow with input.user as "bob"')).toBe("");
    // A function of the modules is captured like a builtin call: its value, not true.
    expect(raw("data.lib.triple(2)")).toBe("6\n");
    expect(raw("data.lib.triple(2) with data.lib.triple as 9")).toBe("9\n");
    const json = JSON.parse(run("policy", "eval", "-d", dir, "data.p.limit with data.cfg.limit as 1 # why\ndata.p.limit").stdout);
    expect(json.result[0].expressions).toEqual([
      { value: 2, location: { row: 1, col: 1 }, text: "data.p.limit with data.cfg.limit as 1" },
      { value: 6, location: { row: 2, col: 1 }, text: "data.p.limit" },
    ]);
  });

  it("-I reads the input from standard input (JSON, else YAML as OPA's util.Unmarshal does); --fail-defined exits 1 on a defined result", () => {
    const viaStdin = (stdin: string, ...args: string[]) => spawnSync(process.execPath, [bin, "policy", "eval", "-I", ...args], { encoding: "utf8", input: stdin, env: { ...process.env, NO_COLOR: "1" } });
    expect(viaStdin('{"a": [1, 2]}', "-f", "raw", "count(input.a)").stdout).toBe("2\n");
    expect(viaStdin("enabled: yes\n", "-f", "raw", "input.enabled").stdout).toBe("true\n");
    const defined = viaStdin('{"deny": ["x"]}', "--fail-defined", "input.deny[_]");
    expect(defined.status).toBe(1);
    expect(viaStdin('{"deny": []}', "--fail-defined", "input.deny[_]").status).toBe(0);
    expect(viaStdin('{"a": ', "input.a").stderr).toMatch(/<stdin>:\d+:\d+ malformed JSON/);
  });

  it("an evaluation error is reported with the rule's position, exit 2", () => {
    const dir = tree({ "p.rego": "package p\n\nx := 1\nx := 2\n" });
    const r = run("policy", "eval", "-d", dir, "data.p.x");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/^error: evaluation error: eval_conflict_error: complete rules must not produce multiple outputs \(.*p\.rego:\d+:\d+\)\n$/);
  });

  it("--fail exits 1 on an undefined result", () => {
    const r = run("policy", "eval", "--fail", "input.nope");
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({});
  });
});

describe("rule values under `with`", () => {
  it("are computed once per `with`, as OPA's evaluator caches them (print shows one evaluation)", () => {
    const dir = tree({
      "m_test.rego": [
        "package m",
        "",
        "p := x if {",
        '\tprint("computing p")',
        "\tx := input.a",
        "}",
        "",
        "check if {",
        "\tp == 1",
        "\tp + 1 == 2",
        "}",
        "",
        'test_p_once if check with input as {"a": 1}',
        'test_p_per_with if { check with input as {"a": 1}; not check with input as {"a": 2} }',
        "",
      ].join("\n"),
    });
    const r = run("policy", "test", "-v", dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/test_p_once: PASS[^\n]*\n\n {2}computing p\n\n/);
    // Each `with` has its own frame: the second input computes p again.
    expect(r.stdout).toMatch(/test_p_per_with: PASS[^\n]*\n\n {2}computing p\n {2}computing p\n\n/);
  });
});
