// Item shapes are compiled without the meta-schema check (it cost ~35 ms per collection): a
// misspelt type or keyword, or a keyword with a value of the wrong type, must still be refused
// when the shape is first used, not silently accept every item.
import { describe, expect, it } from "vitest";
import { itemShape } from "../../src/collectors/item-shape.ts";

const where = { file: "users.json", path: "value[0]" };

describe("item shape schemas", () => {
  it.each([
    ["an unknown type", { type: "object", properties: { id: { type: "strin" } } }, /type must be JSONType/],
    ["an unknown keyword", { type: "object", properties: { id: { typo: "string" } } }, /unknown keyword: "typo"/],
    ["a keyword value of the wrong type", { type: "object", properties: { id: { type: "string", minLength: "1" } } }, /minLength value must be/],
  ])("refuses %s at first use", (_name, schema, message) => {
    expect(() => itemShape(schema).check({ id: "x" }, where)).toThrow(message);
  });

  it("a well-formed shape still checks items", () => {
    const shape = itemShape<{ id: string }>({ type: "object", properties: { id: { type: "string", minLength: 1 } }, required: ["id"] });
    expect(shape.check({ id: "x" }, where)).toEqual({ id: "x" });
    expect(() => shape.check({ id: 1 }, where)).toThrow();
  });
});
