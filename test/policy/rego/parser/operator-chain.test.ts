// A chain of infix operators becomes a call nested once per operator, which the compiler walks
// recursively: past a few thousand it overflowed the stack ("internal error: Maximum call stack
// size exceeded"). The parser refuses more than 500 in a row at the operator, like any syntax
// error; up to that the chain compiles and evaluates.
import { describe, expect, it } from "vitest";
import { parseModule } from "../../../../src/policy/rego/parser.ts";
import { evalQuery } from "../../../../src/policy/bundle/eval-query.ts";

const sum = (terms: number) => Array.from({ length: terms }, () => "1").join(" + ");

describe("long operator chains", () => {
  it("refuse the 501st operator in a row with a parse error at its row and column", () => {
    const r = parseModule(`package t\n\nx := ${sum(2000)}\n`, "t.rego");
    expect(r.module).toBeUndefined();
    // "x := " is 5 columns, then "1 + " per term: the 501st "+" is at column 5 + 500 * 4 + 2.
    expect(r.errors.map((e) => e.message)).toEqual([
      "t.rego:3:2008: rego_parse_error: expression nested too deeply: more than 500 operators in a row; compute parts in separate rules",
    ]);
  });

  it("compile and evaluate up to 500 operators, inside nested terms too", async () => {
    const source = `package t\n\nx := ${sum(501)}\ny := [[(${sum(250)}) * (${sum(250)})]]\n`;
    const rs = await evalQuery({ modules: [{ file: "t.rego", source }], query: "r := [data.t.x, data.t.y]" });
    expect(rs[0]?.bindings.r).toEqual([501, [[62500]]]);
  }, 60_000);
});
