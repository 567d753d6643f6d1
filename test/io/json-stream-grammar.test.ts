// The streaming JSON scanner accepts exactly what JSON.parse accepts, also in the parts of the
// text it does not collect (an annotation, a member credgov does not read): a raw control
// character or a missing colon there once read as a whole file.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { JsonDuplicateKeyError, JsonStreamError, streamJsonValues, type ItemMatcher } from "../../src/io/json-stream.ts";

const collectNothing: ItemMatcher = () => false;
/** Objects in the root object's `value` array, as the Graph reader collects them. */
const valueItems: ItemMatcher = (stack, kind) => kind === "object" && stack.length === 2 && stack[0].key === "value" && stack[1].kind === "array";
/** Every member of the root object and every element of its arrays, as the snapshot reader does. */
const rootMembers: ItemMatcher = (stack, kind) => (stack.length === 1 && stack[0].kind === "object" && kind !== "array") || (stack.length === 2 && stack[0].kind === "object" && stack[1].kind === "array");

async function stream(text: string, chunkSize: number, matcher: ItemMatcher): Promise<unknown[]> {
  async function* chunks() {
    for (let i = 0; i < text.length; i += chunkSize) yield text.slice(i, i + chunkSize);
  }
  const out: unknown[] = [];
  for await (const found of streamJsonValues(chunks(), matcher)) out.push(found.value);
  return out;
}

async function streamError(text: string, chunkSize: number, matcher: ItemMatcher): Promise<JsonStreamError | undefined> {
  try {
    await stream(text, chunkSize, matcher);
    return undefined;
  } catch (error) {
    if (error instanceof JsonStreamError) return error;
    throw error;
  }
}

const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

const valid = '{"@odata.context": "https://graph/$metadata#users", "note": [1, -2.5e3, true, null, {"k": "v"}], "value": [{"id": "a"}, {"id": "b"}]}';

describe("streamJsonValues checks the text it skips", () => {
  it.each([
    ["a raw NUL in a skipped string", valid.replace("metadata#", "meta\u0000data#"), "control character U+0000", valid.indexOf("data#users")],
    ["a raw tab in a skipped key", valid.replace('"note"', '"no\tte"'), "control character U+0009", valid.indexOf('"note"') + 3],
    ["a bad escape in a skipped string", valid.replace("metadata#", "meta\\qdata#"), "invalid escape", valid.indexOf('"https')],
    ["a missing colon", valid.replace('"note":', '"note"'), `unexpected "[": expected ':' after the key`, valid.indexOf('"note"') + 7],
    ["a doubled colon", valid.replace('"note":', '"note"::'), `unexpected ":": expected a value`, valid.indexOf('"note"') + 7],
    ["a missing comma", valid.replace("true,", "true"), `unexpected "n": expected ',' or a closing bracket`, valid.indexOf("null") - 1],
    ["a doubled comma", valid.replace("true,", "true,,"), `unexpected ",": expected a value`, valid.indexOf("true") + 5],
    ["a trailing comma", valid.replace('{"k": "v"}]', '{"k": "v"},]'), `unexpected "]": expected a value`, valid.indexOf('{"k"') + 11],
    ["a misspelt literal", valid.replace("null", "nul"), "not a JSON value", valid.indexOf("null")],
    ["a number with a leading zero", valid.replace("-2.5e3", "-02.5e3"), "not a JSON value", valid.indexOf("-2.5e3")],
    ["a bare word", valid.replace("true", "yes"), "not a JSON value", valid.indexOf("true")],
    ["text after the root value", `${valid} x`, `unexpected "x": expected nothing after the JSON value`, valid.length + 1],
    ["a second root value", `${valid}{}`, `unexpected "{": expected nothing after the JSON value`, valid.length],
    ["a byte-order mark inside the text", valid.replace('"note"', '\uFEFF"note"'), "expected a key in double quotes", valid.indexOf('"note"')],
  ])("refuses %s, at its offset, whatever the chunk size", async (_name, text, message, offset) => {
    expect(parses(text)).toBe(false);
    for (const size of [1, 2, 5, 16, 1 << 20]) {
      // Where the broken part is skipped, the scanner finds it; where it is collected, JSON.parse.
      for (const matcher of [collectNothing, valueItems]) {
        const error = await streamError(text, size, matcher);
        expect(error?.message, `chunk size ${size}`).toContain(message);
        expect(error?.offset, `chunk size ${size}`).toBe(offset);
      }
      expect(await streamError(text, size, rootMembers)).toBeInstanceOf(JsonStreamError);
    }
  });

  it("refuses an empty or blank text, and reads a leading byte-order mark", async () => {
    for (const text of ["", " \n", "\uFEFF"]) expect((await streamError(text, 3, collectNothing))?.message).toBe("unexpected end of input");
    expect(await stream(`\uFEFF${valid}`, 7, valueItems)).toEqual([{ id: "a" }, { id: "b" }]);
  });

  it("reads escaped control characters and every kind of scalar, cut anywhere", async () => {
    const text = '{"a\\u0000b": "x\\u0000y\\n\\"", "n": [0, -0, 1.5, -1e-7, 2E+3, true, false, null], "s": "\\ud83d\\ude00"}';
    for (const size of [1, 2, 3, 4, 9, 1 << 20]) {
      expect(await stream(text, size, collectNothing)).toEqual([]);
      expect(await stream(text, size, rootMembers)).toEqual(["x\u0000y\n\"", 0, -0, 1.5, -1e-7, 2000, true, false, null, "\ud83d\ude00"]);
    }
    expect(await stream("-12.5e3", 2, collectNothing)).toEqual([]);
    expect(await stream("-12.5e3", 2, () => true)).toEqual([-12500]);
  });

  // One character inserted, removed or replaced in valid JSON: the scanner must refuse the
  // result exactly when JSON.parse does (a repeated key it refuses on its own).
  it("agrees with JSON.parse on mutated documents split at arbitrary points", async () => {
    const alphabet = [..."{}[],:\"\\ \n\t0123456789-+.eEtrufalsn", "\u0000", "\u001f", "\uFEFF", "x"];
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
        fc.nat(),
        fc.constantFrom("insert", "delete", "replace"),
        fc.constantFrom(...alphabet),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(collectNothing, valueItems, rootMembers),
        async (doc, where, edit, char, size, matcher) => {
          const text = JSON.stringify({ ...doc, value: [doc] }, null, where % 2 === 0 ? 1 : undefined);
          const at = where % (text.length + 1);
          const mutated = edit === "insert" ? text.slice(0, at) + char + text.slice(at) : edit === "delete" ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + char + text.slice(at + 1);
          const error = await streamError(mutated, size, matcher);
          const accepted = parses(mutated.replace(/^\uFEFF/, ""));
          if (accepted) expect(error === undefined || error instanceof JsonDuplicateKeyError, `${JSON.stringify(mutated)}: ${error?.message}`).toBe(true);
          else expect(error, JSON.stringify(mutated)).toBeInstanceOf(JsonStreamError);
        },
      ),
      { numRuns: 3000, seed: 20261206 },
    );
  });
});
