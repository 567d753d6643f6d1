// json.filter and json.remove as OPA's parsePath, pathsToObject and Object.Filter / jsonRemove
// read their paths: string paths drop every leading slash and unescape ~1 and ~0; segment arrays
// keep their values, so an array element is named by its index as a string only, and a set
// element by the element itself; the sets of the document stay sets.
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../../src/policy/bundle/eval-query.ts";

async function value(query: string): Promise<unknown[]> {
  const rs = await evalQuery({ modules: [{ file: "t.rego", source: "package t\n" }], query: `x := ${query}` });
  return rs.map((r) => r.bindings.x);
}

const sets = '{"a": {1, 2, {"x"}, {8, 9, 10}}}';

describe("json.filter and json.remove paths (through compiler, Wasm back end and SDK)", () => {
  it("an array index is a string segment; a number names no array element", async () => {
    expect(await value('json.filter({"a": [[1, 2], {"b": 3}]}, [["a", 1]])')).toEqual([{ a: [] }]);
    expect(await value('json.filter({"a": [[1, 2], {"b": 3}]}, [["a", "1"]])')).toEqual([{ a: [{ b: 3 }] }]);
    expect(await value('json.remove({"a": [1, 2]}, [["a", 1]])')).toEqual([{ a: [1, 2] }]);
    expect(await value('json.remove({"a": [1, 2]}, ["a/1"])')).toEqual([{ a: [1] }]);
  });

  it("a set element is named by its value, and sets stay sets", async () => {
    expect(await value(`json.filter(${sets}, [["a", 1]]) == {"a": {1}}`)).toEqual([true]);
    expect(await value(`json.filter(${sets}, [["a", {"x"}]]) == {"a": {{"x"}}}`)).toEqual([true]);
    expect(await value(`json.filter(${sets}, [["a", {8, 9, 10}, 9]]) == {"a": {{9}}}`)).toEqual([true]);
    expect(await value(`json.remove(${sets}, [["a", 1], ["a", {8, 9, 10}, 8]]) == {"a": {2, {"x"}, {9, 10}}}`)).toEqual([true]);
  });

  it("string paths: every leading slash dropped, ~1 and ~0 unescaped, the empty path selects nothing", async () => {
    expect(await value('json.filter({"a": {"b": 1, "c": 2}}, ["//a/b"])')).toEqual([{ a: { b: 1 } }]);
    expect(await value('json.filter({"a/b": 1, "a~b": 2, "c": 3}, ["a~1b", "a~0b"])')).toEqual([{ "a/b": 1, "a~b": 2 }]);
    expect(await value('json.filter({"a": 1}, [""])')).toEqual([{}]);
    expect(await value('json.remove({"a": 1}, [""])')).toEqual([{ a: 1 }]);
  });
});
