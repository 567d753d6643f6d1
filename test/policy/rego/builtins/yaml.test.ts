// yaml.marshal, yaml.unmarshal and yaml.is_valid as OPA computes them, through go-yaml v2
// (sigs.k8s.io/yaml): its emitter's layout and quoting, YAML 1.1 scalars, the first document only.
// Expected texts are go-yaml v2's output for the same values (fregot's yaml-01 test, which OPA
// passes, expects the unindented sequence).
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../../src/policy/bundle/eval-query.ts";

async function evaluate(expression: string, input?: unknown): Promise<unknown[]> {
  const source = `package t\n\np := ${expression}\n`;
  const rs = await evalQuery({ modules: [{ file: "t.rego", source }], query: "x := data.t.p", input });
  return rs.map((r) => r.bindings.x);
}

describe("yaml.marshal writes what go-yaml v2 writes (through compiler, Wasm back end and SDK)", () => {
  it("a sequence that is a mapping's value is not indented; keys sorted", async () => {
    expect(await evaluate('yaml.marshal({"foo": 1, "bar": ["Hello", "World"]})')).toEqual(["bar:\n- Hello\n- World\nfoo: 1\n"]);
  });

  it("nesting: mappings in sequences, sequences in sequences, empty collections", async () => {
    const value = '{"a": [{"x": 1, "z": [1, 2]}, [3, 4], {}, []], "b": {"c": {"d": true}}, "e": null}';
    expect(await evaluate(`yaml.marshal(${value})`)).toEqual([
      "a:\n- x: 1\n  z:\n  - 1\n  - 2\n- - 3\n  - 4\n- {}\n- []\nb:\n  c:\n    d: true\ne: null\n",
    ]);
  });

  it("strings that would read back as another type are double-quoted; those libyaml cannot write plain are single-quoted", async () => {
    const value = { yes: "yes", on: "On", n: "n", num: "10", oct: "0755", under: "1_000", float: "1.5e3", date: "2024-01-31", tilde: "~", empty: "", colon: "a: b", lead: " x", dash: "- x", hash: "a #b", quote: "it's", plain: "hello world", tab: "a\tb", emoji: "\u{1F600}" };
    expect(await evaluate("yaml.marshal(input)", value)).toEqual([
      [
        "colon: 'a: b'",
        "dash: '- x'",
        'date: "2024-01-31"',
        "emoji: \"\\U0001F600\"",
        'empty: ""',
        'float: "1.5e3"',
        "hash: 'a #b'",
        "lead: ' x'",
        '"n": "n"',
        'num: "10"',
        'oct: "0755"',
        '"on": "On"',
        "plain: hello world",
        "quote: it's",
        'tab: "a\\tb"',
        'tilde: "~"',
        'under: "1_000"',
        '"yes": "yes"',
        "",
      ].join("\n"),
    ]);
  });

  it("a string with a line break is a literal block with its chomping indicator; numbers as go-yaml prints them", async () => {
    expect(await evaluate('yaml.marshal({"a": "one\\ntwo", "b": "end\\n", "c": 1.5, "d": 100000000000000000000, "e": -3})')).toEqual([
      "a: |-\n  one\n  two\nb: |\n  end\nc: 1.5\nd: 1e+20\ne: -3\n",
    ]);
  });

  it("folds a plain scalar past column 80 at a space", async () => {
    const words = Array.from({ length: 20 }, (_, i) => `word${i}`).join(" ");
    const [text] = (await evaluate("yaml.marshal({\"k\": input})", words)) as string[];
    expect(text).toBe(`k: ${words.slice(0, words.indexOf(" word13"))}\n  ${words.slice(words.indexOf(" word13") + 1)}\n`);
  });

  it("keys in go-yaml's order: other characters before letters, digit runs by value", async () => {
    // "_x" before "1": neither starts with a letter, and the digit run of "_x" (none, 0) is less than 1.
    expect(await evaluate('yaml.marshal({"b": 1, "a10": 2, "a9": 3, "B": 4, "_x": 5, "1": 6})')).toEqual(['_x: 5\n"1": 6\nB: 4\na9: 3\na10: 2\nb: 1\n']);
  });
});

describe("yaml.unmarshal and yaml.is_valid read as go-yaml v2 reads", () => {
  it("YAML 1.1 scalars and the first document of a stream", async () => {
    expect(await evaluate('yaml.unmarshal("a: yes\\nb: 0755\\nc: off\\nd: 1_000\\n---\\ne: 2\\n")')).toEqual([{ a: true, b: 493, c: false, d: 1000 }]);
    expect(await evaluate('yaml.is_valid("a: 1\\n---\\nb: 2\\n")')).toEqual([true]);
  });

  it("malformed YAML is a builtin error (undefined) and not valid", async () => {
    expect(await evaluate('yaml.unmarshal("a: [")')).toEqual([]);
    expect(await evaluate('yaml.is_valid("a: [")')).toEqual([false]);
    expect(await evaluate("yaml.is_valid(input)", 1)).toEqual([false]);
  });

  it("round-trips what yaml.marshal writes", async () => {
    const value = { s: ["yes", "0755", "a: b", " x", "two\nlines", ""], n: [1, 2.5], nested: { k: [null, true] } };
    expect(await evaluate("yaml.unmarshal(yaml.marshal(input))", value)).toEqual([value]);
  });
});
