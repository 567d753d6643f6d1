// lower() and upper() as OPA computes them: Go's strings.ToLower / ToUpper, which apply the simple
// Unicode case mapping (unicode.ToLower / ToUpper) rune by rune - every script, one code point to
// one code point (so "ß" stays "ß" and "İ" becomes "i", not the longer SpecialCasing forms).
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../../src/policy/bundle/eval-query.ts";

async function mapped(fn: "lower" | "upper", s: string): Promise<unknown> {
  const rs = await evalQuery({ modules: [{ file: "t.rego", source: `package t\n\np := ${fn}(input)\n` }], query: "x := data.t.p", input: s });
  return rs[0]?.bindings.x;
}

describe("lower and upper map every script as Go's unicode package does (through compiler, Wasm back end and SDK)", () => {
  it.each([
    ["upper", "Nguyễn Đặng", "NGUYỄN ĐẶNG"], // Latin Extended Additional (Vietnamese)
    ["lower", "ὈΔΥΣΣΕΎΣ", "ὀδυσσεύσ"], // Greek Extended and tonos; no final-sigma rule
    ["upper", "ὀδυσσεύσ", "ὈΔΥΣΣΕΎΣ"],
    ["lower", "ĐẶNG ǅ Ⴀ", "đặng ǆ ⴀ"], // a titlecase digraph, Georgian
    ["upper", "ǆ ɐ ⱥ", "Ǆ Ɐ Ⱥ"], // Latin Extended-B and -C
    ["upper", "µ ı ſ", "Μ I S"],
    // Where the full mapping has several code points, Go keeps the simple one or none.
    ["upper", "straße ᾳ ᾀ ﬁ", "STRAßE ᾼ ᾈ ﬁ"],
    ["lower", "İSTANBUL", "istanbul"],
  ] as const)("%s(%j) is %j", async (fn, s, want) => {
    expect(await mapped(fn, s)).toBe(want);
  });
});
