// Validates a snapshot against src/snapshot/schema.json (the contract every stage relies on);
// each problem is reported as a JSON pointer into the snapshot and what is expected there.
import { readFileSync } from "node:fs";
import type { ValidateFunction } from "ajv";
import { createAjv } from "../json-schema/ajv.ts";
import { describeSchemaErrors } from "../json-schema/schema-messages.ts";
import type { Snapshot } from "./types.ts";

export const snapshotSchemaUrl = new URL("./schema.json", import.meta.url);

export interface SnapshotProblem {
  /** JSON pointer, e.g. `/accounts/12/kind`. */
  pointer: string;
  message: string;
}

let validator: ValidateFunction | undefined;
function snapshotValidator(): ValidateFunction {
  validator ??= createAjv().compile(JSON.parse(readFileSync(snapshotSchemaUrl, "utf8")));
  return validator;
}

export function validateSnapshot(data: unknown): SnapshotProblem[] {
  const validate = snapshotValidator();
  if (validate(data)) return [];
  return describeSchemaErrors(validate.errors ?? []).map((issue) => ({
    pointer: issue.segments.map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join(""),
    message: issue.message,
  }));
}

export function isSnapshot(data: unknown): data is Snapshot {
  return validateSnapshot(data).length === 0;
}

/** The validator of one element of the snapshot's top-level array `area` (its `items` schema). */
const elementValidators = new Map<string, ValidateFunction>();
function elementValidator(area: string): ValidateFunction {
  let validate = elementValidators.get(area);
  if (!validate) {
    const schema = JSON.parse(readFileSync(snapshotSchemaUrl, "utf8")) as { $id: string; properties: Record<string, { items?: { $ref?: string } }> };
    const ref = schema.properties[area]?.items?.$ref;
    if (!ref) throw new Error(`the snapshot schema has no items schema for ${area}`);
    const ajv = createAjv();
    ajv.addSchema(schema);
    validate = ajv.compile({ $ref: new URL(ref, schema.$id).href });
    elementValidators.set(area, validate);
  }
  return validate;
}

/**
 * Validates element `index` of the top-level array `area` on its own, with pointers as
 * validateSnapshot gives them: a snapshot too large to hold parsed is validated one element at
 * a time (check-serialized.ts).
 */
export function validateSnapshotElement(area: string, value: unknown, index: number): SnapshotProblem[] {
  const validate = elementValidator(area);
  if (validate(value)) return [];
  return describeSchemaErrors(validate.errors ?? []).map((issue) => ({
    pointer: [area, index, ...issue.segments].map((s) => "/" + String(s).replace(/~/g, "~0").replace(/\//g, "~1")).join(""),
    message: issue.message,
  }));
}
