// The conformance comparison follows OPA's own case runner (topdown's testAssertResultSet):
// the rows of a result set form a set, arrays inside a row keep their order unless the case
// sets sort_bindings.
import { describe, expect, it } from "vitest";
import { resultsEqual } from "../../../src/policy/conformance/compare.ts";

describe("resultsEqual", () => {
  it("ignores the order of result-set rows, as OPA's runner does", () => {
    const want = [{ i: "foo", x: 1 }, { i: "bar", x: 2 }];
    expect(resultsEqual([{ i: "bar", x: 2 }, { x: 1, i: "foo" }], want, false)).toBe(true);
  });

  it("keeps the order of arrays inside a row", () => {
    expect(resultsEqual([{ x: ["b", "a"] }], [{ x: ["a", "b"] }], false)).toBe(false);
    expect(resultsEqual([{ x: ["b", "a"] }], [{ x: ["a", "b"] }], true)).toBe(true);
  });

  it("still tells a missing or extra row apart", () => {
    expect(resultsEqual([{ x: 1 }], [{ x: 1 }, { x: 2 }], false)).toBe(false);
    expect(resultsEqual([{ x: 1.0 }], [{ x: 1 }], false)).toBe(true);
  });
});
