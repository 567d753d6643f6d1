import { describe, expect, it } from "vitest";
import { RegoError, RegoErrors, formatRegoError } from "../../../../src/policy/rego/errors.ts";
import { parseModule, parseQuery } from "../../../../src/policy/rego/parser.ts";

const FILE = "policies/reset.rego";

/** Full error lines for a module. */
function errors(src: string): string[] {
  const r = parseModule(src, FILE);
  expect(r.module).toBeUndefined();
  for (const e of r.errors) expect(e).toBeInstanceOf(RegoError);
  return r.errors.map((e) => e.message);
}

describe("syntax errors name file, row and column like OPA", () => {
  it.each([
    ["package t\np { true }\n", ["2:1: rego_parse_error: `if` keyword is required before rule body"]],
    [
      "package t\np[x] { x := 1 }\n",
      ["2:1: rego_parse_error: `if` keyword is required before rule body", "2:1: rego_parse_error: `contains` keyword is required for partial set rules"],
    ],
    ['package t\np := "abc\n', ["2:6: rego_parse_error: non-terminated string"]],
    ["package t\np if {\n  x := 1\n", ["4:1: rego_parse_error: unexpected eof token: expected '}'"]],
    ["package t\nif := 1\n", ["2:1: rego_parse_error: if keyword cannot be used for rule name"]],
    ["package t\np := 1 @ 2\n", ['2:8: rego_parse_error: illegal token: unexpected character "@"']],
    ["package t\np if { some 1 }\n", ["2:13: rego_parse_error: unexpected number token 1: expected var"]],
    ["package t\np if { not some x }\n", ["2:8: rego_parse_error: illegal negation of 'some'"]],
    ["package t\np := 1 if false else := 2 if {}\n", ["2:31: rego_parse_error: found empty body"]],
    ["package t\ndefault p := 1 if { true }\n", ["2:16: rego_parse_error: default rules cannot have a body"]],
    ["p := 1\n", ["1:1: rego_parse_error: package expected"]],
    ["", ["1:1: rego_parse_error: empty module"]],
    ["package t\np if { x := 1 y := 2 }\n", ["2:15: rego_parse_error: unexpected ident token y: expected newline, ';' or '}'"]],
    ["package t\np\n", ["2:1: rego_parse_error: rule must have value assignment and/or body declaration"]],
    ['package t\np := "\\q"\n', ["2:7: rego_parse_error: illegal escape sequence in string: \\q"]],
    ["package t\np := input.\n", ["3:1: rego_parse_error: unexpected eof token: expected identifier"]],
    ["package t\np := `open\n", ["2:6: rego_parse_error: non-terminated raw string"]],
  ])("%j", (src, want) => {
    expect(errors(src)).toEqual(want.map((w) => `${FILE}:${w}`));
  });

  it("stops at the first statement that does not parse, as OPA's Parser.Parse does: one syntax error a file", () => {
    const src = ["package t", "a := 1 +", "b := [1, 2", "c if { x = }", "d := 3", "e if { y := }", "f := 4"].join("\n");
    const r = parseModule(src, FILE);
    expect(r.errors.map((e) => [e.row, e.code])).toEqual([[3, "rego_parse_error"]]);
    // The lexer's errors likewise: OPA's scanner stops where the parser does.
    expect(errors('package t\na := "\\q"\nb := "\\z"\n')).toEqual([`${FILE}:2:7: rego_parse_error: illegal escape sequence in string: \\q`]);
  });

  it("OPA's module checks (checkRegoV1Rule) come for every rule, and only when every statement parsed", () => {
    const v0Rules = ["package t", "p {", "  true", "}", "q[x] {", "  x := 1", "}", "r"];
    expect(errors(v0Rules.join("\n"))).toEqual([
      `${FILE}:2:1: rego_parse_error: \`if\` keyword is required before rule body`,
      `${FILE}:5:1: rego_parse_error: \`if\` keyword is required before rule body`,
      `${FILE}:5:1: rego_parse_error: \`contains\` keyword is required for partial set rules`,
      `${FILE}:8:1: rego_parse_error: rule must have value assignment and/or body declaration`,
    ]);
    // A syntax error anywhere in the file: OPA never reaches the module checks.
    expect(errors([...v0Rules, "s := [1,", ""].join("\n"))).toEqual([`${FILE}:10:1: rego_parse_error: unexpected eof token: expected term`]);
  });

  it("a v0-style body in Rego v1 is read, so each rule gets OPA's one missing-`if` error (checkRegoV1Rule) and nothing else", () => {
    const src = ["package t", "", "p {", "  true", "}", "", "f(x) {", "  x", "}", "", "q[x] {", "  x := 1", "}", ""].join("\n");
    expect(errors(src)).toEqual([
      `${FILE}:3:1: rego_parse_error: \`if\` keyword is required before rule body`,
      `${FILE}:7:1: rego_parse_error: \`if\` keyword is required before function body`,
      `${FILE}:11:1: rego_parse_error: \`if\` keyword is required before rule body`,
      `${FILE}:11:1: rego_parse_error: \`contains\` keyword is required for partial set rules`,
    ]);
  });

  it("v0: `default` without a rule name after it is OPA's `unexpected default keyword`, and the failed rule's closing brace is no second error", () => {
    const r = parseModule("package t\n\ndefault = ret {\n  ret := 1\n}\n\nok = 1\n", FILE, { regoVersion: "v0" });
    expect(r.errors.map((e) => e.message)).toEqual([`${FILE}:3:1: rego_parse_error: unexpected default keyword`]);
  });

  it("accepts an import after rules, as OPA's parser does (its parseModule takes imports anywhere after the package)", () => {
    const r = parseModule("package t\n\np := y.a\n\nimport data.y\n", FILE);
    expect(r.errors).toEqual([]);
    expect(r.module?.imports.map((i) => i.alias ?? i.path.value.type)).toHaveLength(1);
  });

  it("caps the number of reported errors at 10", () => {
    const src = "package t\n" + Array.from({ length: 30 }, (_, i) => `r${i} { true }`).join("\n");
    expect(parseModule(src, FILE).errors).toHaveLength(10);
  });

  it("queries report errors too", () => {
    expect(parseQuery("x = ").errors.map((e) => e.message)).toEqual(["query:1:5: rego_parse_error: unexpected eof token: expected term"]);
    expect(parseQuery("").errors[0].detail).toBe("empty query");
  });

  it("RegoError carries structured fields and serialises without a stack", () => {
    const e = parseModule("package t\np { true }\n", FILE).errors[0];
    expect(e.toJSON()).toEqual({ file: FILE, row: 2, col: 1, code: "rego_parse_error", message: "`if` keyword is required before rule body" });
    expect(formatRegoError(e.toJSON())).toBe(e.message);
    const all = new RegoErrors([e, new RegoError("rego_type_error", "x", { file: FILE, row: 1, col: 2 })]);
    expect(all.message).toBe(`2 errors occurred:\n${FILE}:1:2: rego_type_error: x\n${e.message}`);
  });
});
