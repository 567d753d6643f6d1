// Policy data files read as OPA's loader reads them: YAML through sigs.k8s.io/yaml (go-yaml v2,
// YAML 1.1 scalars, first document only), each expectation being what `opa eval -d FILE data`
// gives for the same text.
import { describe, expect, it } from "vitest";
import { parseDataFile } from "../../../src/policy/bundle/data-file.ts";
import { UserInputError } from "../../../src/errors.ts";

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserInputError) return e.format();
    throw e;
  }
  throw new Error("no error");
}

describe("YAML data files as go-yaml v2 resolves them", () => {
  it("plain scalars are YAML 1.1's: yes/on/y true, no/off/n false, 0755 octal, 1_000, 0b, 0x and Go's 0o", () => {
    const text = ["a: yes", "b: on", "c: Y", "d: no", "e: OFF", "f: 0755", "g: 1_000", "h: 0b101", "i: 0x1F", "j: 0o17", "k: 1e3", "l: .5", "m: ~", "p: NO", ""].join("\n");
    expect(parseDataFile("d.yaml", text).value).toEqual({ a: true, b: true, c: true, d: false, e: false, f: 493, g: 1000, h: 5, i: 31, j: 15, k: 1000, l: 0.5, m: null, p: false });
  });

  it("quoted scalars stay strings; timestamps and base-60 numbers stay strings, as go-yaml v2 hands them to interface{}", () => {
    const text = ['a: "yes"', "b: 'on'", "c: 2001-12-14", "d: 2001-12-14T21:59:43.10-05:00", "e: 1:20", "f: 08", ""].join("\n");
    expect(parseDataFile("d.yaml", text).value).toEqual({ a: "yes", b: "on", c: "2001-12-14", d: "2001-12-14T21:59:43.10-05:00", e: "1:20", f: 8 });
  });

  it("keys resolve too (`on:` is the key \"true\", `n:` the key \"false\"), and `<<` merges a mapping", () => {
    const text = ["on: push", "n: 1", "base: &b {x: 1, size: 2}", "derived: {<<: *b, size: 3}", ""].join("\n");
    expect(parseDataFile("d.yaml", text).value).toEqual({ true: "push", false: 1, base: { x: 1, size: 2 }, derived: { x: 1, size: 3 } });
  });

  it("a key set twice takes its last value, with a warning at the second", () => {
    const read = parseDataFile("d.yaml", "a: 1\nb: 2\na: 3\n");
    expect(read.value).toEqual({ a: 3, b: 2 });
    expect(read.warnings).toEqual(["d.yaml:3:1: this key is set again; its last value is data (as OPA's loader reads it)"]);
  });

  it("several documents: the first is data, a warning names the line of the second; empty trailing documents are not reported", () => {
    const read = parseDataFile("d.yaml", "---\na: 1\n---\nb: 2\n---\nc: [\n");
    expect(read.value).toEqual({ a: 1 });
    expect(read.warnings).toHaveLength(1);
    expect(read.warnings[0]).toMatch(/^d\.yaml:3: a second YAML document starts here/);
    expect(parseDataFile("d.yaml", "a: 1\n---\n# nothing\n")).toEqual({ value: { a: 1 }, warnings: [] });
  });

  it(".inf and .nan are OPA's conversion error, at their line", () => {
    expect(failure(() => parseDataFile("d.yaml", "a: 1\nb: [.inf]\n"))).toBe("d.yaml:2:5 error converting YAML to JSON: json: unsupported value: +Inf");
    expect(failure(() => parseDataFile("d.yaml", "a: .nan\n"))).toMatch(/unsupported value: NaN/);
  });

  it("a syntax error in the first document is an error naming file, line and column", () => {
    expect(failure(() => parseDataFile("d.yaml", "a: [\n---\nb: 1\n"))).toMatch(/^d\.yaml:\d+:\d+ invalid YAML/);
  });
});
