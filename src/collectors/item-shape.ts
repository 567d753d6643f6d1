// Checks one item of an export file (a Graph user, a GitHub member, ...) against the fields and
// types credgov reads from it, before any normalizer touches it: a wrongly typed or missing field
// becomes a UserInputError naming the file, the item and the field (exit 2), never a TypeError
// deep in a normalizer or a snapshot that breaks the schema. Each schema is compiled once.
import type { ValidateFunction } from "ajv";
import { UserInputError } from "../errors.ts";
import { describeSchemaErrors } from "../json-schema/schema-messages.ts";
import { createAjv } from "../json-schema/ajv.ts";

/** Where an item sits: the file, its path inside the document (`page 2 value[14]`), and line:col when known. */
export interface ItemLocation {
  file: string;
  path: string;
  line?: number;
  column?: number;
}

export interface ItemShape<T> {
  /**
   * Returns the item typed, or throws a UserInputError naming the first bad field. `where` may be
   * a function, called only for a bad item (readers of 100k-item pages build no path string per item).
   */
  check(item: unknown, where: ItemLocation | (() => ItemLocation)): T;
}

let ajv: ReturnType<typeof createAjv> | undefined;

export function itemShape<T>(schema: object): ItemShape<T> {
  let validate: ValidateFunction | undefined;
  return {
    check(item, located) {
      // Shapes are written in code and compiled on a collection's first page: no meta-schema check
      // (strict mode still rejects an unknown keyword or type; every shape is compiled in tests).
      validate ??= (ajv ??= createAjv({ checkSchemas: false })).compile(schema);
      if (validate(item)) return item as T;
      const where = typeof located === "function" ? located() : located;
      const issue = describeSchemaErrors(validate.errors ?? [])[0];
      const field = where.path + (issue?.segments ?? []).map((s) => (/^\d+$/.test(String(s)) ? `[${s}]` : `.${s}`)).join("");
      throw new UserInputError(issue?.message ?? "has an unexpected shape", { file: where.file, line: where.line, column: where.column, field });
    },
  };
}

// Building blocks: APIs return null for unset properties, so optional fields accept null.
export const nullable = (type: string) => ({ type: [type, "null"] });
export const nullableString = nullable("string");
export const nullableBoolean = nullable("boolean");
export const requiredString = { type: "string", minLength: 1 };
/**
 * An integer id credgov keys objects by (a GitHub user, credential or deploy key id). JSON numbers
 * are doubles: beyond 2^53 - 1 an integer is rounded as it is parsed, and two ids that round to the
 * same value would name one object. Such an id is an input error, never a silent alias.
 */
export const idInteger = { type: "integer", allOf: [{ minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER, "x-error": `is an integer beyond 2^53 - 1 (${Number.MAX_SAFE_INTEGER}): JSON numbers that large lose precision, and an id that rounds could stand for another object` }] };
export const nullableIdInteger = { ...idInteger, type: ["integer", "null"] };
/** A timestamp the normalizer reads: RFC 3339 with a zone, or null; anything else is an input error, never a silent null. */
export const nullableDateTime = { type: ["string", "null"], format: "date-time" };
