import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonObjectLayout, JsonLayoutError, memberString } from "../../src/io/json-layout.ts";

const text = (buf: Buffer, start: number, end: number) => buf.subarray(start, end).toString("utf8");

describe("jsonObjectLayout", () => {
  it("locates every member and every element of the arrays asked for, as JSON.parse reads them", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue()), fc.boolean(), (doc, items, pretty) => {
        const whole = { ...doc, items };
        const buf = Buffer.from(pretty ? JSON.stringify(whole, null, 2) : JSON.stringify(whole));
        const layout = jsonObjectLayout(buf, new Set(["items"]));
        const parsed = JSON.parse(buf.toString("utf8")) as Record<string, unknown>;
        expect(layout.members.map((m) => m.key)).toEqual(Object.keys(parsed));
        for (const m of layout.members) expect(JSON.parse(text(buf, m.start, m.end))).toEqual(parsed[m.key]);
        const ranges = layout.elements.get("items")!;
        expect(ranges.count).toBe(items.length);
        for (let k = 0; k < ranges.count; k++) expect(JSON.parse(text(buf, ranges.starts[k], ranges.ends[k]))).toEqual(parsed.items instanceof Array ? parsed.items[k] : undefined);
      }),
      { numRuns: 200 },
    );
  });

  it("locates the same members and elements through small views of the document as through one", () => {
    // Documents past 1 GiB are read through views (json-layout.ts); tiny views here make every
    // element straddle, outgrow or end one.
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.array(fc.jsonValue()), fc.boolean(), fc.integer({ min: 1, max: 64 }), (doc, items, pretty, window) => {
        const buf = Buffer.from(JSON.stringify({ ...doc, items, after: [1] }, null, pretty ? 2 : undefined));
        const arrays = new Set(["items", "after"]);
        const small = jsonObjectLayout(buf, arrays, window);
        const one = jsonObjectLayout(buf, arrays);
        expect(small.members).toEqual(one.members);
        for (const name of arrays) {
          const [a, b] = [small.elements.get(name)!, one.elements.get(name)!];
          expect(a.count).toBe(b.count);
          expect([...a.starts.subarray(0, a.count)]).toEqual([...b.starts.subarray(0, b.count)]);
          expect([...a.ends.subarray(0, a.count)]).toEqual([...b.ends.subarray(0, b.count)]);
        }
      }),
      { numRuns: 300 },
    );
    expect(() => jsonObjectLayout(Buffer.from('{"a": [1, 2, {"b": "c'), new Set(["a"]), 4)).toThrow(/unterminated string at byte 19/);
    expect(() => jsonObjectLayout(Buffer.from('{"a": [1, 2, {"b": "c'), new Set(["a"]))).toThrow(/unterminated string at byte 19/);
  });

  it("reads one string member of an element without parsing the rest", () => {
    const buf = Buffer.from('{"owners":[{"id":"not me"}],"name":"x\\"}","id":"corp-ad:\\u00e9"}');
    expect(memberString(buf, 0, buf.length, "id")).toBe("corp-ad:é");
    expect(memberString(buf, 0, buf.length, "name")).toBe('x"}');
    expect(memberString(buf, 0, buf.length, "owners")).toBeUndefined();
    expect(memberString(buf, 0, buf.length, "absent")).toBeUndefined();
    // Names are compared as bytes, escaped ones decoded; values with non-ASCII text decoded as UTF-8.
    const escaped = Buffer.from('{"i":"no","idx":"no","\\u0069d":"ünï","n\\u00e4me":"b"}');
    expect(memberString(escaped, 0, escaped.length, "id")).toBe("ünï");
    expect(memberString(escaped, 0, escaped.length, "näme")).toBe("b");
    // Through a plain Uint8Array view, not only a Buffer.
    const view = new Uint8Array(escaped.buffer, escaped.byteOffset, escaped.length);
    expect(memberString(view, 0, view.length, "id")).toBe("ünï");
  });

  it("says where a document stops being well-formed", () => {
    expect(() => jsonObjectLayout(Buffer.from('{"a": [1, 2'), new Set(["a"]))).toThrow(JsonLayoutError);
    expect(() => jsonObjectLayout(Buffer.from("[1]"), new Set())).toThrow(/expected a JSON object at byte 0/);
  });
});
