// A string constant of several megabytes compiles to a module V8 accepts: the static data it
// lands in was stored by one function, and V8 refuses a function body over 7,654,321 bytes
// (about 3 MB of data), so `policy test` stopped with "internal: the generated module does not
// validate".
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../src/policy/bundle/eval-query.ts";

describe("a policy with a large constant", () => {
  it("evaluates a 4 MiB string literal", async () => {
    const literal = "abcdefgh".repeat(512 * 1024);
    const module = { file: "big.rego", source: `package big\n\ntext := "${literal}"\n\nsize := count(text)\ntail := substring(text, ${literal.length - 3}, 3)\n` };
    const rs = await evalQuery({ modules: [module], query: "x := [data.big.size, data.big.tail]" });
    expect(rs[0]?.bindings.x).toEqual([literal.length, "fgh"]);
  }, 60_000);
});
