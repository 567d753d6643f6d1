// A string constant of several megabytes compiles to a module V8 accepts, and a literal too
// large for one function is refused at its rule. Both ended `policy test` with "internal: the
// generated module does not validate": the static data a string lands in was stored by one
// function, and V8 refuses a function body over 7,654,321 bytes (about 3 MB of data); an array
// literal gets a local per item, and V8 refuses more than 50,000 locals in a function.
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../src/policy/bundle/eval-query.ts";
import { UserInputError } from "../../../src/errors.ts";

describe("a policy with a large constant", () => {
  it("evaluates a 4 MiB string literal", async () => {
    const literal = "abcdefgh".repeat(512 * 1024);
    const module = { file: "big.rego", source: `package big\n\ntext := "${literal}"\n\nsize := count(text)\ntail := substring(text, ${literal.length - 3}, 3)\n` };
    const rs = await evalQuery({ modules: [module], query: "x := [data.big.size, data.big.tail]" });
    expect(rs[0]?.bindings.x).toEqual([literal.length, "fgh"]);
  }, 60_000);

  it("refuses a 60,000-item array literal at its rule: one local per item is past what an engine accepts in a function", async () => {
    const source = `package big\n\nitems := [${Array.from({ length: 60_000 }, (_, i) => i).join(", ")}]\n`;
    const error: unknown = await evalQuery({ modules: [{ file: "big.rego", source }], query: "x := count(data.big.items)" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect(error).toMatchObject({ file: "big.rego", line: 3 });
    expect((error as UserInputError).message).toMatch(/^rule data\.big\.items compiles to \d+ locals in one function, more than the 50000 an engine accepts; put a literal this large in a data file/);
  }, 60_000);
});
