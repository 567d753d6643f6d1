import { describe, expect, it } from "vitest";
import { firstNames } from "../../src/collectors/first-names.ts";

describe("the names an error lists", () => {
  it("lists the first three, separated so that DNs stay readable, and marks that there are more", () => {
    expect(firstNames([])).toBe("");
    expect(firstNames(["CN=a,DC=x"])).toBe("CN=a,DC=x");
    expect(firstNames(["a", "b", "c"])).toBe("a; b; c");
    expect(firstNames(["a", "b", "c", "d"])).toBe("a; b; c; ...");
    expect(firstNames(new Set(["a", "b", "c", "d"]).values())).toBe("a; b; c; ...");
    // Only the first few kept, the total counted apart.
    expect(firstNames(["a", "b"], 2)).toBe("a; b");
    expect(firstNames(["a", "b", "c"], 40)).toBe("a; b; c; ...");
  });
});
