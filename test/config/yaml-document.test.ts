// parseYamlDocument finds repeated keys itself (one set per mapping) instead of the yaml
// library's pairwise check, which is quadratic in a mapping's keys; and locate() indexes a
// mapping's keys once instead of scanning them for every problem it places.
import { LineCounter, parseAllDocuments, parseDocument } from "yaml";
import { describe, expect, it } from "vitest";
import { parseYamlDocument, parseYamlDocuments } from "../../src/config/yaml-document.ts";
import { locate } from "../../src/config/yaml-positions.ts";
import { isMap } from "yaml";

const texts = [
  "a: 1\nb: 2\na: 3\n",
  "top:\n  x: 1\n  y: [1, {p: 1, p: 2}]\n  x: 2\n",
  "{a: 1, b: 2, a: 3}\n",
  "1: a\n1.0: b\n'1': c\n",
  "\"a\": 1\na: 2\n",
  "~: 1\nnull: 2\n",
  ".nan: 1\n.nan: 2\n",
  "? [a]\n: 1\n? [a]\n: 2\n",
  "a: &x 1\n*x : 2\na: 3\n",
  "a: 1\nb: [\na: 2\n",
  "- {k: 1, k: 2}\n- {k: 1}\n",
];

/** What a caller reads of an error: its code, offset and line/column, and its first line. */
function shown(errors: readonly { code: string; pos: [number, number]; linePos?: unknown; message: string }[]) {
  return errors.map((e) => ({ code: e.code, at: e.pos[0], linePos: e.linePos, message: e.message.split(":\n")[0] }));
}

describe("YAML repeated keys", () => {
  it("are reported as the yaml library reports them, pretty or not", () => {
    for (const text of texts) {
      for (const prettyErrors of [true, false]) {
        const expected = parseDocument(text, { prettyErrors, lineCounter: new LineCounter() });
        const actual = parseYamlDocument(text, { prettyErrors, lineCounter: new LineCounter() });
        expect(shown(actual.errors), `${JSON.stringify(text)} pretty=${prettyErrors}`).toEqual(shown(expected.errors));
        expect(actual.toJS({ mapAsMap: true })).toEqual(expected.toJS({ mapAsMap: true }));
      }
    }
  });

  it("are reported in every document of a stream", () => {
    const text = "a: 1\na: 2\n---\nb: 1\nb: 2\n";
    const expected = parseAllDocuments(text) as ReturnType<typeof parseDocument>[];
    const actual = parseYamlDocuments(text);
    expect(actual.map((d) => shown(d.errors))).toEqual(expected.map((d) => shown(d.errors)));
  });

  it("are found among 20,000 keys of one mapping, at the repeat's line", () => {
    let text = "";
    for (let i = 0; i < 20_000; i++) text += `key${i}: ${i}\n`;
    text += "key7: again\n";
    const doc = parseYamlDocument(text);
    expect(doc.errors.map((e) => [e.code, e.linePos?.[0]])).toEqual([["DUPLICATE_KEY", { line: 20_001, col: 1 }]]);
  });
});

describe("locate", () => {
  it("places every key of a 2,000-key mapping reading each pair about once, not once per lookup", () => {
    let text = "";
    for (let i = 0; i < 2000; i++) text += `k${i}: ${i}\n`;
    const lineCounter = new LineCounter();
    const doc = parseYamlDocument(text, { lineCounter });
    const map = doc.contents;
    if (!isMap(map)) throw new Error("expected a mapping");
    let reads = 0;
    map.items = new Proxy(map.items, {
      get(target, property, receiver) {
        if (typeof property === "string" && /^\d+$/.test(property)) reads++;
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    for (let i = 0; i < 2000; i++) expect(locate(doc, lineCounter, [`k${i}`])).toEqual({ line: i + 1, column: 1 });
    expect(reads).toBeLessThanOrEqual(2 * 2000);
  });
});
