// Shapes of a Microsoft Graph response body as an export file holds it: a collection
// (`{"value": [...]}`), several pages of one (an array of such bodies), or a single entity
// (`GET /policies/authorizationPolicy`). Every item is checked against the shape credgov reads
// (graph-shapes.ts): nothing is skipped silently. A last page that still carries
// `@odata.nextLink`, or fewer items than the `@odata.count` the first page states, means the
// export stopped early: the file is read, and reported incomplete.
import { textChunks } from "../../io/decode-text.ts";
import { UserInputError } from "../../errors.ts";
import { readJsonFile } from "../../io/read-json.ts";
import { positionInFile } from "../../io/file-position.ts";
import type { Parsed, StreamedItems } from "../export-reader.ts";
import type { ItemShape } from "../item-shape.ts";
import { JsonStreamError, streamJsonValues, type ItemMatcher } from "../../io/json-stream.ts";

type GraphObject = Record<string, unknown>;

const isObject = (v: unknown): v is GraphObject => v !== null && typeof v === "object" && !Array.isArray(v);

const collectionForm = 'is not a Microsoft Graph collection response ({"value": [...]})';

/**
 * A page without `value`. One that carries an id is a directory object itself: the file holds
 * the objects a cmdlet returned (`Get-MgUser -All | ConvertTo-Json`), not Graph's responses,
 * and such output also renames properties (Id, DisplayName) and cuts nested values at depth 2.
 */
function notACollection(where: string, page: unknown, file: string): UserInputError {
  const object = isObject(page) && (typeof page.id === "string" || typeof page.Id === "string");
  const hint = object
    ? ": it is a directory object, not a response page (the output of a cmdlet such as Get-MgUser | ConvertTo-Json); save the response bodies of the documented call instead (docs/exports.md)"
    : "";
  return new UserInputError(`${where} ${collectionForm}${hint}`, { file });
}

/**
 * Graph returns at least one page even for an empty collection (`{"value": []}`), so an empty
 * array of pages means the export captured no response at all; reading it as "no users" would
 * record an incomplete tenant as complete.
 */
const noPages = (file: string) =>
  new UserInputError('is an empty array of pages: Graph always returns at least one page; an empty collection is {"value": []}. Re-run the export', { file });

export function graphCollection<T>(shape: ItemShape<T>) {
  return (body: unknown, displayName: string): Parsed<T[]> => {
    const paged = Array.isArray(body);
    const pages = paged ? body : [body];
    if (pages.length === 0) throw noPages(displayName);
    const items: T[] = [];
    // Graph lists each object once; the same id twice means pages were saved twice or overlap.
    // Where an id was first seen is kept as its page and index, and written out only when the
    // id comes again (a path string per object was most of this check's cost on 100k users).
    const firstSeen = new Map<string, number>();
    const pageStarts: number[] = [];
    const pathAt = (page: number, i: number) => `${paged ? `page ${page + 1} ` : ""}value[${i}]`;
    pages.forEach((page, index) => {
      const where = paged ? `page ${index + 1} ` : "";
      if (!isObject(page) || !("value" in page)) throw notACollection(paged ? `page ${index + 1}` : "the body", page, displayName);
      if (!Array.isArray(page.value)) throw new UserInputError("must be an array of objects", { file: displayName, field: `${where}value` });
      const pageStart = items.length;
      pageStarts.push(pageStart);
      page.value.forEach((item, i) => {
        if (!isObject(item)) throw new UserInputError("must be an object", { file: displayName, field: pathAt(index, i) });
        items.push(shape.check(item, () => ({ file: displayName, path: pathAt(index, i) })));
        if (typeof item.id !== "string") return;
        const first = firstSeen.get(item.id);
        if (first !== undefined) {
          const firstPage = pageStarts.findLastIndex((start) => start <= first);
          throw repeatedObject(displayName, pathAt(index, i), pathAt(firstPage, first - pageStarts[firstPage]));
        }
        firstSeen.set(item.id, pageStart + i);
      });
    });
    const first = pages[0] as GraphObject;
    const last = pages[pages.length - 1] as GraphObject;
    if (!validCount(first["@odata.count"])) throw badCount(displayName, `${paged ? "page 1 " : ""}@odata.count`);
    return { value: items, resultCount: items.length, pages: pages.length, incomplete: incompleteness(last["@odata.nextLink"], first["@odata.count"], items.length) };
  };
}

/** An object listed a second time: which copy holds its state cannot be told. */
function repeatedObject(file: string, path: string, first: string): UserInputError {
  return new UserInputError(`repeats the id of ${first}: the list holds this object twice (a page saved twice, pages that overlap, or a collection that changed while it was read)`, { file, field: `${path}.id` });
}

/** Graph states @odata.count as a JSON integer; anything else would hide a shortfall. */
function validCount(value: unknown): boolean {
  return value === undefined || (typeof value === "number" && Number.isSafeInteger(value) && value >= 0);
}

function badCount(file: string, field: string): UserInputError {
  return new UserInputError("must be a non-negative integer (Graph sends the count as a number)", { file, field });
}

/** Why a collection export holds only part of the collection, or undefined. */
function incompleteness(nextLink: unknown, statedCount: unknown, read: number): string | undefined {
  if (typeof nextLink === "string" && nextLink !== "") {
    return `its last page still has @odata.nextLink (${read} item(s) read): the pages after it were not exported; re-export following every @odata.nextLink until there is none`;
  }
  if (typeof statedCount === "number" && Number.isInteger(statedCount) && statedCount > read) {
    return `@odata.count says ${statedCount} item(s), the file holds ${read}`;
  }
  return undefined;
}

export function graphEntity<T>(shape: ItemShape<T>) {
  return (body: unknown, displayName: string): Parsed<T> => {
    // Accept the collection form too (the beta endpoint and some SDKs wrap the singleton).
    if (isObject(body) && "value" in body) {
      if (!Array.isArray(body.value) || body.value.length !== 1 || !isObject(body.value[0])) {
        throw new UserInputError("must hold exactly one object (or give the entity itself)", { file: displayName, field: "value" });
      }
      return { value: shape.check(body.value[0], { file: displayName, path: "value[0]" }), resultCount: 1, pages: 1 };
    }
    if (isObject(body)) return { value: shape.check(body, { file: displayName, path: "(body)" }), resultCount: 1, pages: 1 };
    throw new UserInputError("is not a Microsoft Graph entity response (a JSON object)", { file: displayName });
  };
}

/**
 * The items of a collection export file, streamed (users.json of a large tenant). Same shapes
 * and same errors as graphCollection, positioned at file:line:col where the scanner knows it.
 */
export function streamGraphCollection<T>(shape: ItemShape<T>, listedBefore?: (item: T) => boolean) {
  return (absolute: string, displayName: string): StreamedItems<T> => {
    let pages = 0;
    let pagesWithValue = 0;
    let rootIsArray = false;
    let itemIndex = 0;
    let itemsRead = 0;
    // Paging annotations of the current (finally: the last) page, and the first page's count.
    let nextLink: unknown;
    let statedCount: unknown;
    // The scanner matches a whole chunk ahead of the items it yields: each match queues its path
    // (or which paging annotation of which page it is).
    const paths: (string | { annotation: string; page: number })[] = [];
    const page = () => (rootIsArray ? `page ${pages} ` : "");
    // Items sit in `value` of a page; a page is the root object or an object in the root array.
    const matcher: ItemMatcher = (stack, kind) => {
      const depth = stack.length;
      if (depth === 0) {
        rootIsArray = kind === "array";
        if (kind === "scalar") throw new UserInputError(`the body ${collectionForm}`, { file: displayName });
        if (kind === "object") pages++;
        return false;
      }
      if (rootIsArray && depth === 1) {
        if (kind !== "object") throw new UserInputError(`page ${pages + 1} ${collectionForm}`, { file: displayName });
        pages++;
        itemIndex = 0;
        nextLink = undefined;
        return false;
      }
      const pageDepth = rootIsArray ? 2 : 1;
      const key = stack[depth - 1].key;
      if (depth === pageDepth && kind === "scalar" && (key === "@odata.nextLink" || key === "@odata.count")) {
        paths.push({ annotation: key, page: pages });
        return true;
      }
      if (depth === pageDepth && stack[depth - 1].key === "value") {
        pagesWithValue++;
        if (kind !== "array") throw new UserInputError("must be an array of objects", { file: displayName, field: `${page()}value` });
        return false;
      }
      const isItem = depth === pageDepth + 1 && stack[depth - 1].kind === "array" && stack[depth - 2].key === "value";
      if (isItem) paths.push(`${page()}value[${itemIndex++}]`);
      return isItem;
    };
    async function* items(): AsyncGenerator<T> {
      try {
        const chunks = textChunks(absolute, displayName);
        for await (const found of streamJsonValues(chunks, matcher)) {
          const queued = paths.shift() ?? "value";
          if (typeof queued !== "string") {
            if (queued.annotation === "@odata.count" && queued.page === 1) {
              if (!validCount(found.value)) {
                const { line, column } = await positionInFile(absolute, found.offset);
                const error = badCount(displayName, `${page()}@odata.count`);
                throw new UserInputError(error.message, { file: displayName, line, column, field: error.field });
              }
              statedCount = found.value;
            }
            // Pages arrive in order: the annotation read last belongs to the last page with one.
            if (queued.annotation === "@odata.nextLink") nextLink = queued.page === pages ? found.value : undefined;
            continue;
          }
          const path = queued;
          itemsRead++;
          try {
            if (!isObject(found.value)) throw new UserInputError("must be an object", { file: displayName, field: path });
            const item = shape.check(found.value, { file: displayName, path });
            // `listedBefore` asks the consumer, which keeps every id anyway: no second index here.
            if (listedBefore?.(item)) throw repeatedObject(displayName, path, "an item before it");
            yield item;
          } catch (error) {
            if (!(error instanceof UserInputError) || error.line !== undefined) throw error;
            const { line, column } = await positionInFile(absolute, found.offset);
            throw new UserInputError(error.message, { file: displayName, line, column, field: error.field });
          }
        }
      } catch (error) {
        if (!(error instanceof JsonStreamError)) throw error;
        await explainFailure(absolute, displayName);
      }
      if (rootIsArray && pages === 0) throw noPages(displayName);
      if (pages === 0 || pagesWithValue < pages) await explainFailure(absolute, displayName);
    }
    return {
      items: items(),
      pages: () => pages,
      incomplete: () => incompleteness(nextLink, statedCount, itemsRead),
    };
  };
}

/** Throws the error the full parser gives for a file the streaming reader could not accept. */
async function explainFailure(absolute: string, displayName: string): Promise<never> {
  const body = await readJsonFile(absolute, displayName);
  const pages = Array.isArray(body) ? body : [body];
  pages.forEach((page, index) => {
    if (!isObject(page) || !("value" in page)) throw notACollection(Array.isArray(body) ? `page ${index + 1}` : "the body", page, displayName);
  });
  // Both readers must agree on well-formed files; anything else is a credgov bug.
  throw new Error(`${displayName}: the streaming reader rejected a file the JSON parser accepts`);
}
