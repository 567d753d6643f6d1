import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readJsonDocument } from "../../src/io/read-large-json.ts";
import { UserInputError } from "../../src/errors.ts";

const dir = mkdtempSync(join(tmpdir(), "credgov-large-json-"));
let n = 0;
function file(text: string): string {
  const path = join(dir, `doc-${n++}.json`);
  writeFileSync(path, text);
  return path;
}

// streamAbove: 0 forces the streaming reader on these small files.
const streamed = (path: string) => readJsonDocument(path, "doc.json", { streamAbove: 0 });

describe("readJsonDocument streaming large objects", () => {
  it("reads an object with scalars, objects and arrays exactly as JSON.parse does", async () => {
    const doc = { schemaVersion: 1, generatedAt: "2026-01-01T00:00:00Z", flag: true, none: null, n: -1.5e3, generator: { name: "x\"}" }, empty: [], accounts: [{ id: "a" }, 2, "s", [1, [2]], null], settings: { a: { b: [1] } } };
    expect(await streamed(file(JSON.stringify(doc, null, 2)))).toEqual(doc);
    expect(await streamed(file(JSON.stringify(doc)))).toEqual(doc);
  });

  it("matches JSON.parse on arbitrary objects", async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), fc.jsonValue()), async (doc) => {
        const text = JSON.stringify(doc);
        expect(await streamed(file(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: 100 },
    );
  });

  it("names line and column of malformed input without reading the file whole", async () => {
    const error = await streamed(file('{\n  "accounts": [\n    {"id": "a"},\n    {"id": "b"]\n  ]\n}\n')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as UserInputError).format()).toBe("doc.json:4:15 malformed JSON: unbalanced brackets");
    const truncated = await streamed(file('{\n  "accounts": [\n    {"id": "a"},')).catch((e: unknown) => e);
    expect((truncated as UserInputError).format()).toMatch(/^doc\.json:3:17 malformed JSON: unexpected end of input/);
  });

  it("keeps a __proto__ key as data, as JSON.parse does", async () => {
    const text = '{"__proto__": {"polluted": true}, "list": [1]}';
    const doc = (await streamed(file(text))) as Record<string, unknown>;
    expect(doc).toEqual(JSON.parse(text));
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("rejects a root that is not an object", async () => {
    await expect(streamed(file("[1, 2]"))).rejects.toThrow("is not a JSON object");
  });

  it("parses small files whole", async () => {
    expect(await readJsonDocument(file('{"a": [1]}'))).toEqual({ a: [1] });
  });
});
