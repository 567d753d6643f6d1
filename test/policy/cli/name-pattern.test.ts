// `--ignore` patterns match base names with Go's filepath.Match syntax, as OPA's loader applies them.
import { describe, expect, it } from "vitest";
import { namePattern } from "../../../src/policy/bundle/name-pattern.ts";

describe("namePattern (Go filepath.Match on a base name)", () => {
  it.each([
    ["*.yaml", "examples.yaml", true],
    ["*.yaml", "examples.yml", false],
    [".*", ".hidden", true],
    [".*", "visible", false],
    ["?est", "test", true],
    ["?est", "tests", false],
    ["[a-c]*", "bundle", true],
    ["[^a-c]*", "bundle", false],
    ["[^a-c]*", "data", true],
    ["a\\*b", "a*b", true],
    ["a\\*b", "axb", false],
    ["file.json", "filexjson", false],
    ["(x)|y", "(x)|y", true],
  ])("%s matches %s: %s", (pattern, name, want) => {
    expect(namePattern(pattern)(name)).toBe(want);
  });

  it.each([
    ["[z-a]", /range z-a is empty/],
    ["[abc", /has no closing/],
    ["abc\\", /ends with an escape/],
  ])("rejects the malformed pattern %s", (pattern, message) => {
    expect(() => namePattern(pattern)).toThrow(message);
  });
});
