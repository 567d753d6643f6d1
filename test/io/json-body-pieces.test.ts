// parseJsonBody against what fetch's response.json() gives for the same bytes: Graph-like pages
// cut into pieces (small piece sizes, so every body here is cut), in random chunkings, with the
// texts that look like a piece's end inside elements and strings, and malformed bodies, which
// must fail with JSON.parse's own error for the whole text.
import { describe, expect, it, vi } from "vitest";
import { headMembers, parseJsonBody, type PieceSizes } from "../../src/io/json-body-pieces.ts";

const small: PieceSizes = { wholeBelow: 0, pieceBytes: 40 };

/** A seeded generator, so a failure names a case that can be run again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function chunked(text: string | Buffer, next: () => number): Buffer[] {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = 1 + Math.floor(next() * 23);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

/** What fetch's json() gives, or the error it throws. */
async function viaFetch(bytes: Buffer): Promise<{ value?: unknown; error?: string }> {
  try {
    return { value: await new Response(bytes).json() };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

function viaPieces(chunks: Buffer[], sizes: PieceSizes): { value?: unknown; error?: string } {
  try {
    return { value: parseJsonBody(chunks, sizes) };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

/** Parsed values compared as fetch's would be, own property order and `__proto__` included. */
const shape = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) => (v !== null && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v)) : v));

async function expectSame(text: string | Buffer, seed: number, sizes: PieceSizes = small): Promise<void> {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  const expected = await viaFetch(bytes);
  const actual = viaPieces(chunked(bytes, random(seed)), sizes);
  expect(actual.error, `seed ${seed}: ${bytes.toString().slice(0, 200)}`).toBe(expected.error);
  if (expected.error === undefined) {
    expect(shape(actual.value), `seed ${seed}`).toBe(shape(expected.value));
    expect(Object.getPrototypeOf(actual.value)).toBe(Object.getPrototypeOf(expected.value));
  }
}

function graphPage(next: () => number, items: number): string {
  const tricky = ['},{"id"', "]", '"},{"id":"', "\\", "é€😀", '},{"id":"x"}]', "\u0000json-body-pieces"];
  const pick = <T>(values: T[]) => values[Math.floor(next() * values.length)];
  const value = Array.from({ length: items }, (_, i) => ({
    id: `id-${i}`,
    displayName: next() < 0.3 ? `name ${pick(tricky)} ${i}` : `name ${i}`,
    enabled: next() < 0.5,
    count: Math.floor(next() * 1e6) / 10,
    // Nested objects whose first member is named as the elements' first member.
    ...(next() < 0.4 ? { owners: Array.from({ length: 1 + Math.floor(next() * 3) }, (_, k) => ({ id: `owner-${k}`, tags: [pick(tricky)] })) } : {}),
    nothing: null,
  }));
  return JSON.stringify({ "@odata.context": "https://graph/$metadata#users", value, "@odata.nextLink": `https://graph/v1.0/users?$skiptoken=${pick(tricky)}` });
}

describe("parseJsonBody", () => {
  it("gives what fetch's json() gives for Graph-like pages, cut into pieces, in any chunking", async () => {
    for (let seed = 1; seed <= 150; seed++) {
      const next = random(seed * 7919);
      await expectSame(graphPage(next, Math.floor(next() * 12)), seed);
    }
  });

  it("gives it with the default sizes for a page of 2,500 items, in socket-sized chunks", async () => {
    const page = graphPage(random(42), 2500);
    expect(page.length).toBeGreaterThan(128 * 1024);
    const bytes = Buffer.from(page);
    const chunks: Buffer[] = [];
    for (let at = 0; at < bytes.length; at += 16 * 1024) chunks.push(bytes.subarray(at, at + 16 * 1024));
    const expected = shape(await new Response(bytes).json());
    // The point of it all: no text JSON.parse is given is a large object.
    const parse = vi.spyOn(JSON, "parse");
    try {
      expect(shape(parseJsonBody(chunks))).toBe(expected);
      expect(Math.max(...parse.mock.calls.map(([text]) => text.length))).toBeLessThan(128 * 1024);
    } finally {
      parse.mockRestore();
    }
  });

  it("gives it for bodies it does not cut: other roots, other elements, whitespace, a BOM", async () => {
    const bodies = [
      "[1,2,3]",
      '"text"',
      "42",
      '{"value":[]}',
      '{"value":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]}',
      '{"value":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o"]}',
      '{ "value" : [ {"id":1} , {"id":2} , {"id":3} , {"id":4} , {"id":5} , {"id":6} ] }',
      '{"a":{"b":[{"id":1},{"id":2},{"id":3},{"id":4},{"id":5},{"id":6},{"id":7}]}}',
      '{"first":[0],"value":[{"id":1},{"id":2},{"id":3},{"id":4},{"id":5},{"id":6},{"id":7}]}',
      '{"\\u0076alue":[{"i\\u0064":1},{"id":2},{"id":3},{"id":4},{"id":5},{"id":6},{"id":7}]}',
      `\ufeff${graphPage(random(3), 5)}`,
      `\ufeff\ufeff${graphPage(random(4), 5)}`,
      `  \n${graphPage(random(5), 5)}\n  `,
    ];
    for (const [i, body] of bodies.entries()) await expectSame(body, i + 1);
  });

  it("keeps JSON.parse's members: a repeated name, `__proto__`, the placeholder text in the data", async () => {
    const items = Array.from({ length: 8 }, (_, i) => ({ id: i, pad: "x".repeat(10) }));
    const list = JSON.stringify(items);
    const bodies = [
      `{"value":${list},"value":[{"id":"last"}]}`,
      `{"value":[{"id":"first"}],"value":${list}}`,
      `{"__proto__":${list},"other":1}`,
      `{"value":${list},"marker":["\\u0000json-body-pieces"]}`,
      `{"value":${JSON.stringify([...items, "\u0000json-body-pieces"])}}`,
    ];
    for (const [i, body] of bodies.entries()) await expectSame(body, i + 1);
  });

  it("gives up cutting a body whose cuts keep falling inside elements, after a bounded number of tries", async () => {
    // Every element holds a long array of objects named like the elements' first member.
    const value = Array.from({ length: 6 }, (_, i) => ({ id: i, nested: Array.from({ length: 400 }, (_, k) => ({ id: k })) }));
    const body = JSON.stringify({ value });
    const parse = vi.spyOn(JSON, "parse");
    try {
      await expectSame(body, 1, { wholeBelow: 0, pieceBytes: 100 });
      // fetch's json() parses once; the pieces at most 8 misses, then the whole body.
      expect(parse.mock.calls.length).toBeLessThanOrEqual(1 + 9 + 1);
    } finally {
      parse.mockRestore();
    }
  });

  it("fails as fetch's json() fails for malformed bodies, with JSON.parse's error for the whole text", async () => {
    const page = graphPage(random(9), 8);
    const at = page.indexOf('},{"id"', 80);
    const bodies = [
      page.replace(/\]([^\]]*)$/, ",]$1"), // a trailing comma in the array
      `${page.slice(0, at + 2)},${page.slice(at + 2)}`, // an empty element
      `${page.slice(0, at + 2)} ,${page.slice(at + 2)}`,
      page.slice(0, page.length - 1), // cut short
      page.slice(0, at + 20),
      `${page}}`,
      `${page.slice(0, at + 1)}}${page.slice(at + 1)}`,
      page.replace('"enabled":', '"enabled" '),
      page.replace(/"@odata.nextLink":"/, '"@odata.nextLink":"\\q'),
      "",
      "{",
    ];
    for (const [i, body] of bodies.entries()) await expectSame(body, i + 1);
    // Invalid UTF-8 in a string is replaced as fetch's decoder replaces it.
    const inName = page.lastIndexOf('"name ') + 6;
    await expectSame(Buffer.concat([Buffer.from(page.slice(0, inName)), Buffer.from([0xff, 0xc3, 0x28, 0xe2, 0x82]), Buffer.from(page.slice(inName))]), 99);
  });
});

describe("headMembers", () => {
  /** The members JSON.parse gives before the root's first member array, that array left empty. */
  const expectedHead = (text: string): Record<string, unknown> => {
    const root = JSON.parse(text) as Record<string, unknown>;
    const head: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(root)) {
      if (Array.isArray(value)) {
        head[key] = [];
        break;
      }
      head[key] = value;
    }
    return head;
  };

  it("gives the members before the root's first array, as JSON.parse reads them, in any chunking", () => {
    const pages = [
      '{"@odata.context":"https://graph/$metadata#users","@odata.nextLink":"https://graph/v1.0/users?$skiptoken=abc","value":[{"id":"1"},{"id":"2"}]}',
      // Brackets, braces, quotes and escapes inside strings before the array, a nested object, whitespace, a BOM.
      '\ufeff { "a" : "[{\\"value\\":[", "n": {"x": {"y": 1}}, "@odata.nextLink" : "l\\u0021nk" , "value" : [ {"id":"1"} ] , "after": 2 }',
      // The link after value: the head does not give it.
      '{"@odata.context":"c","value":[{"id":"1"}],"@odata.nextLink":"later"}',
    ];
    for (const [index, text] of pages.entries()) {
      for (let seed = 1; seed <= 20; seed++) {
        const head = headMembers(chunked(text, random(seed * 31 + index)));
        expect(head, `page ${index}, seed ${seed}`).toEqual(expectedHead(text.replace(/^\ufeff/, "")));
      }
    }
    expect(headMembers([Buffer.from(pages[2])])?.["@odata.nextLink"]).toBeUndefined();
  });

  it("gives nothing for a root that is not an object holding an array, or a head that is not JSON", () => {
    for (const text of ['[{"id":"1"}]', '{"a":1}', '"value"', '{"a":tru,"value":[1]}', '{"a":"unterminated', "", '{"a" "b","value":[]}']) {
      expect(headMembers([Buffer.from(text)]), text).toBeUndefined();
    }
  });

  it("gives nothing when the array starts beyond the bytes it may read", () => {
    const text = `{"pad":"${"x".repeat(200)}","value":[{"id":"1"}]}`;
    expect(headMembers([Buffer.from(text)], 100)).toBeUndefined();
    expect(headMembers([Buffer.from(text)], 1000)).toEqual(expectedHead(text));
  });
});
