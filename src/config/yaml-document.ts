// Every YAML text credgov reads is parsed through here. The yaml library finds a key given twice
// by comparing each key of a mapping with every earlier one: quadratic in the keys of one mapping,
// so 80,000 keys in a credgov.yaml kept the parser busy for about a minute. Its check is turned
// off and keys are compared here instead, one set per mapping, with the error the library
// reports (DUPLICATE_KEY at the repeated key), so callers read the errors as before.
import { isMap, isScalar, LineCounter, parseAllDocuments, parseDocument, visit, YAMLParseError } from "yaml";
import type { Document, DocumentOptions, ParseOptions, SchemaOptions } from "yaml";

type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/** One YAML document, as `parseDocument` reads it with `uniqueKeys` on. */
export function parseYamlDocument(text: string, options: YamlOptions = {}): Document.Parsed {
  const lineCounter = options.lineCounter ?? new LineCounter();
  const doc = parseDocument(text, { ...options, lineCounter, uniqueKeys: false });
  reportDuplicateKeys(doc, lineCounter, options.prettyErrors ?? true);
  return doc;
}

/** The documents of a YAML stream, as `parseAllDocuments` reads them with `uniqueKeys` on. */
export function parseYamlDocuments(text: string, options: YamlOptions = {}): Document.Parsed[] {
  const lineCounter = options.lineCounter ?? new LineCounter();
  const parsed = parseAllDocuments(text, { ...options, lineCounter, uniqueKeys: false });
  // An empty stream comes back as an object that is not an array.
  const docs = Array.isArray(parsed) ? parsed : [];
  for (const doc of docs) reportDuplicateKeys(doc, lineCounter, options.prettyErrors ?? true);
  return docs;
}

function reportDuplicateKeys(doc: Document.Parsed, lineCounter: LineCounter, pretty: boolean): void {
  const found: YAMLParseError[] = [];
  visit(doc, {
    Map(_key, map) {
      if (!isMap(map)) return;
      // The library's equality: scalars with the same value (=== , so NaN never repeats);
      // keys that are collections or aliases only equal themselves.
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        const key = pair.key;
        if (!isScalar(key) || Number.isNaN(key.value)) continue;
        if (!seen.has(key.value)) {
          seen.add(key.value);
          continue;
        }
        const start = key.range?.[0] ?? 0;
        const error = new YAMLParseError([start, start + 1], "DUPLICATE_KEY", "Map keys must be unique");
        if (pretty) {
          error.linePos = [lineCounter.linePos(start), lineCounter.linePos(start + 1)];
          error.message += ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}`;
        }
        found.push(error);
      }
    },
  });
  if (found.length === 0) return;
  for (const error of found) doc.errors.push(error); // not push(...found): too many arguments for the stack
  doc.errors.sort((a, b) => a.pos[0] - b.pos[0]);
}
