import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { JsonStreamError, streamJsonItems, type Frame } from "../../../src/io/json-stream.ts";

/** Items of Graph collection pages: objects in `value` of the root object or of a root-array page. */
const graphItem = (stack: readonly Frame[]) =>
  (stack.length === 2 && stack[0].kind === "object" && stack[0].key === "value" && stack[1].kind === "array") ||
  (stack.length === 3 && stack[0].kind === "array" && stack[1].kind === "object" && stack[1].key === "value" && stack[2].kind === "array");

async function collect(text: string, chunkSize: number): Promise<unknown[]> {
  async function* chunks() {
    for (let i = 0; i < text.length; i += chunkSize) yield text.slice(i, i + chunkSize);
  }
  const out: unknown[] = [];
  for await (const item of streamJsonItems(chunks(), graphItem)) out.push(item);
  return out;
}

describe("streamJsonItems", () => {
  it("yields the items of one page and of several pages, whatever the chunk size", async () => {
    const items = [{ id: "a", n: { deep: [1, { x: "}]" }] } }, { id: "b\"q\\\\", "value": [{ notAnItem: true }] }, { id: "c", s: "{[,:" }];
    const one = JSON.stringify({ "@odata.context": "x", value: items, "@odata.nextLink": "https://next" });
    const paged = JSON.stringify([{ value: items.slice(0, 1) }, { note: { value: [{ no: 1 }] }, value: items.slice(1) }], null, 2);
    for (const size of [1, 2, 3, 7, 64, 1 << 20]) {
      expect(await collect(one, size)).toEqual(items);
      expect(await collect(paged, size)).toEqual(items);
    }
  });

  it("matches JSON.parse on arbitrary collections split at arbitrary points", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.dictionary(fc.string(), fc.jsonValue()), { maxLength: 8 }), fc.integer({ min: 1, max: 50 }), async (items, size) => {
        const text = JSON.stringify({ value: items });
        expect(await collect(text, size)).toEqual(JSON.parse(text).value);
      }),
      { numRuns: 200 },
    );
  });

  it("throws JsonStreamError on unbalanced or truncated input", async () => {
    await expect(collect('{"value": [{"id": 1}]]', 4)).rejects.toBeInstanceOf(JsonStreamError);
    await expect(collect('{"value": [{"id": 1}', 4)).rejects.toBeInstanceOf(JsonStreamError);
    await expect(collect('{"value": [{"id": 1 "x": 2}]}', 4)).rejects.toBeInstanceOf(JsonStreamError);
  });
});
