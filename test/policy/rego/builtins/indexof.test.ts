// indexof and indexof_n as OPA's builtinIndexOf / builtinIndexOfN evaluate them: positions count
// code points, and an empty search string is an error ("empty search character"), so the call
// is undefined under opa test and opa eval, not 0 as Go's strings.Index would say.
import { describe, expect, it } from "vitest";
import { evalQuery } from "../../../../src/policy/bundle/eval-query.ts";

async function value(expression: string, input: unknown): Promise<unknown[]> {
  const rs = await evalQuery({ modules: [{ file: "t.rego", source: `package t\n\np := ${expression}\n` }], query: "x := data.t.p", input });
  return rs.map((r) => r.bindings.x);
}

describe("indexof and indexof_n (through compiler, Wasm back end and SDK)", () => {
  it("count code points", async () => {
    expect(await value("indexof(input, \"é\")", "aéé")).toEqual([1]);
    expect(await value("indexof_n(input, \"é\")", "aéé")).toEqual([[1, 2]]);
    expect(await value("indexof(input, \"z\")", "abc")).toEqual([-1]);
  });

  it("an empty search string is OPA's error: the call is undefined", async () => {
    expect(await value('indexof(input, "")', "abc")).toEqual([]);
    expect(await value('indexof(input, "")', "")).toEqual([]);
    expect(await value('indexof_n(input, "")', "abc")).toEqual([]);
  });
});
