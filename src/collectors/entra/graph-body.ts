// Shapes of a Microsoft Graph response body as an export file holds it: a collection
// (`{"value": [...]}`), several pages of one (an array of such bodies; `@odata.nextLink` is
// ignored in files), or a single entity (`GET /policies/authorizationPolicy`).
import { createReadStream } from "node:fs";
import { UserInputError } from "../../cli/errors.ts";
import { readJsonFile } from "../../snapshot/read-json.ts";
import type { Parsed, StreamedItems } from "../export-reader.ts";
import { JsonStreamError, streamJsonItems, type Frame } from "../../snapshot/json-stream.ts";

type GraphObject = Record<string, unknown>;

const isObject = (v: unknown): v is GraphObject => v !== null && typeof v === "object" && !Array.isArray(v);

export function graphCollection<T = GraphObject>(body: unknown, displayName: string): Parsed<T[]> {
  const pages = Array.isArray(body) ? body : [body];
  const items: T[] = [];
  pages.forEach((page, index) => {
    if (!isObject(page) || !Array.isArray(page.value)) {
      const where = Array.isArray(body) ? `page ${index + 1}` : "the body";
      throw new UserInputError(`${where} is not a Microsoft Graph collection response ({"value": [...]})`, { file: displayName });
    }
    for (const item of page.value) {
      if (isObject(item)) items.push(item as T);
    }
  });
  return { value: items, resultCount: items.length, pages: pages.length };
}

export function graphEntity<T = GraphObject>(body: unknown, displayName: string): Parsed<T> {
  // Accept the collection form too (the beta endpoint and some SDKs wrap the singleton).
  if (isObject(body) && Array.isArray(body.value)) {
    const first = body.value.find(isObject);
    if (first) return { value: first as T, resultCount: 1, pages: 1 };
  } else if (isObject(body)) {
    return { value: body as T, resultCount: 1, pages: 1 };
  }
  throw new UserInputError("is not a Microsoft Graph entity response (a JSON object)", { file: displayName });
}

/**
 * The items of a collection export file, streamed (users.json of a large tenant). Same shapes
 * and same errors as graphCollection: a malformed or misshapen file is re-read with the full
 * parser so the error names file:line:col or the page at fault.
 */
export function streamGraphCollection<T = GraphObject>(absolute: string, displayName: string): StreamedItems<T> {
  let pages = 0;
  let pagesWithValue = 0;
  // Items sit in `value` of a page; a page is the root object or an object in the root array.
  const isItem = (stack: readonly Frame[]): boolean => {
    if (stack.length === 0 || (stack.length === 1 && stack[0].kind === "array")) {
      pages++;
      return false;
    }
    const page = stack.length === 2 ? 0 : stack.length === 3 && stack[0].kind === "array" ? 1 : -1;
    return page >= 0 && stack[page].kind === "object" && stack[page].key === "value" && stack[page + 1].kind === "array";
  };
  const onKey = (stack: readonly Frame[], key: string) => {
    if (key === "value" && (stack.length === 1 || (stack.length === 2 && stack[0].kind === "array"))) pagesWithValue++;
  };
  async function* items(): AsyncGenerator<T> {
    try {
      const chunks = createReadStream(absolute, { encoding: "utf8", highWaterMark: 1 << 20 });
      for await (const item of streamJsonItems(chunks, isItem, onKey)) yield item as T;
    } catch (error) {
      if (!(error instanceof JsonStreamError)) throw error;
      await explainFailure(absolute, displayName);
    }
    if (pages === 0 || pagesWithValue < pages) await explainFailure(absolute, displayName);
  }
  return { items: items(), pages: () => pages };
}

/** Throws the error the full parser gives for a file the streaming reader could not accept. */
async function explainFailure(absolute: string, displayName: string): Promise<never> {
  graphCollection(await readJsonFile(absolute, displayName), displayName);
  // Both readers must agree on well-formed files; anything else is a credgov bug.
  throw new Error(`${displayName}: the streaming reader rejected a file the JSON parser accepts`);
}
