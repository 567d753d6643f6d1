// Shapes of a Microsoft Graph response body as an export file holds it: a collection
// (`{"value": [...]}`), several pages of one (an array of such bodies; `@odata.nextLink` is
// ignored in files), or a single entity (`GET /policies/authorizationPolicy`).
import { UserInputError } from "../../cli/errors.ts";
import type { Parsed } from "../export-reader.ts";

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
