// json.verify_schema and json.match_schema on ajv. Error objects follow the shape OPA produces
// from gojsonschema ({error, type, field, desc}); the wording of the common kinds is reproduced.
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { BuiltinError, typeOf } from "./builtin-error.ts";

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const PRIMITIVES = ["array", "boolean", "integer", "number", "null", "object", "string"];
const cache = new Map<string, ValidateFunction>();

function parseOperand(name: string, v: unknown, pos: number, what: string): unknown {
  if (typeof v === "string") {
    try {
      return JSON.parse(v);
    } catch (err) {
      throw new BuiltinError(name, `${what} is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (typeOf(v) === "object" || typeof v === "boolean") return v;
  throw new BuiltinError(name, `operand ${pos} must be one of {string, object, boolean} but got ${typeOf(v)}`);
}

/** gojsonschema's check for "type" values, with its message. */
function checkTypes(s: unknown): void {
  if (Array.isArray(s)) return s.forEach(checkTypes);
  if (s === null || typeof s !== "object") return;
  for (const [k, v] of Object.entries(s)) {
    if (k === "type") {
      for (const t of Array.isArray(v) ? v : [v]) {
        if (typeof t === "string" && !PRIMITIVES.includes(t)) {
          throw new Error(`has a primitive type that is NOT VALID -- given: /${t}/ Expected valid values are:[${PRIMITIVES.join(" ")}]`);
        }
      }
    } else if (k !== "enum" && k !== "const" && k !== "default" && k !== "examples") checkTypes(v);
  }
}

/**
 * The schema without a `$schema` ajv has no meta-schema for (draft-04, draft-06, 2020-12): OPA's
 * gojsonschema validates with any of them instead of refusing the schema ("no schema with key or
 * ref"), so their documents are checked by the keywords they use.
 */
function withoutUnknownMetaSchema(schema: unknown): unknown {
  if (schema === null || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const { $schema: meta, ...rest } = schema as Record<string, unknown>;
  return typeof meta === "string" && ajv.getSchema(meta) === undefined ? rest : schema;
}

function compile(schema: unknown): ValidateFunction {
  const key = JSON.stringify(schema);
  let fn = cache.get(key);
  if (!fn) {
    checkTypes(schema);
    fn = ajv.compile(withoutUnknownMetaSchema(schema) as object);
    if (cache.size > 200) cache.clear();
    cache.set(key, fn);
  }
  return fn;
}

export function verifySchema(schema: unknown): unknown[] {
  const s = parseOperand("json.verify_schema", schema, 1, "schema");
  try {
    compile(s);
    return [true, null];
  } catch (err) {
    return [false, `jsonschema: ${(err as Error).message}`];
  }
}

const jsType = (v: unknown) => (typeof v === "number" && Number.isInteger(v) ? "integer" : typeOf(v));

function describe(e: ErrorObject, doc: unknown): { error: string; type: string; field: string; desc: string } {
  const parts = e.instancePath.split("/").slice(1).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"));
  // OPA names the document itself "(Root)" (what a supply-chain library's tests, run by OPA, expect).
  const field = parts.length ? parts.join(".") : "(Root)";
  let type = e.keyword;
  let desc = e.message ?? e.keyword;
  const value = parts.reduce<unknown>((cur, p) => (cur && typeof cur === "object" ? (cur as Record<string, unknown>)[p] : undefined), doc);
  if (e.keyword === "type") {
    type = "invalid_type";
    desc = `Invalid type. Expected: ${[e.params.type].flat().join(", ")}, given: ${jsType(value)}`;
  } else if (e.keyword === "required") {
    // The field is the object missing the property (`0: format is required`), as OPA reports it.
    desc = `${e.params.missingProperty} is required`;
  } else if (e.keyword === "enum") {
    type = "enum";
    desc = `${field} must be one of the following: ${(e.params.allowedValues as unknown[]).map((x) => JSON.stringify(x)).join(", ")}`;
  } else if (e.keyword === "additionalProperties") {
    type = "additional_property_not_allowed";
    desc = `Additional property ${e.params.additionalProperty} is not allowed`;
  } else if (e.keyword === "uniqueItems") {
    // ajv names the later item first; gojsonschema the pair in index order.
    const [i, j] = [Number(e.params.i), Number(e.params.j)].sort((a, b) => a - b);
    type = "unique";
    desc = `array items[${i},${j}] must be unique`;
  } else if (e.keyword in GOJSONSCHEMA_WORDING) {
    const [kind, text] = GOJSONSCHEMA_WORDING[e.keyword]!;
    type = kind;
    desc = text(e.params as Record<string, unknown>, field);
  }
  return { error: `${field}: ${desc}`, type, field, desc };
}

/** gojsonschema's error type and description (its default locale) for more of ajv's keywords. */
const GOJSONSCHEMA_WORDING: Record<string, [string, (p: Record<string, unknown>, field: string) => string]> = {
  minItems: ["array_min_items", (p) => `Array must have at least ${p.limit} items`],
  maxItems: ["array_max_items", (p) => `Array must have at most ${p.limit} items`],
  minProperties: ["array_min_properties", (p) => `Must have at least ${p.limit} properties`],
  maxProperties: ["array_max_properties", (p) => `Must have at most ${p.limit} properties`],
  minLength: ["string_gte", (p) => `String length must be greater than or equal to ${p.limit}`],
  maxLength: ["string_lte", (p) => `String length must be less than or equal to ${p.limit}`],
  minimum: ["number_gte", (p) => `Must be greater than or equal to ${p.limit}`],
  maximum: ["number_lte", (p) => `Must be less than or equal to ${p.limit}`],
  exclusiveMinimum: ["number_gt", (p) => `Must be greater than ${p.limit}`],
  exclusiveMaximum: ["number_lt", (p) => `Must be less than ${p.limit}`],
  multipleOf: ["multiple_of", (p) => `Must be a multiple of ${p.multipleOf}`],
  pattern: ["pattern", (p) => `Does not match pattern '${p.pattern}'`],
  format: ["format", (p) => `Does not match format '${p.format}'`],
  const: ["const", (p, field) => `${field} does not match: ${JSON.stringify(p.allowedValue)}`],
  anyOf: ["number_any_of", () => "Must validate at least one schema (anyOf)"],
  oneOf: ["number_one_of", () => "Must validate one and only one schema (oneOf)"],
  not: ["number_not", () => "Must not validate the schema (not)"],
};

export function matchSchema(document: unknown, schema: unknown): unknown[] {
  const name = "json.match_schema";
  const doc = typeof document === "string" ? parseOperand(name, document, 1, "document") : document;
  const s = parseOperand(name, schema, 2, "schema");
  let fn: ValidateFunction;
  try {
    fn = compile(s);
  } catch (err) {
    throw new BuiltinError(name, (err as Error).message);
  }
  if (fn(doc)) return [true, []];
  return [false, (fn.errors ?? []).map((e) => describe(e, doc))];
}

export const jsonSchemaBuiltins = {
  "json.verify_schema": verifySchema,
  "json.match_schema": matchSchema,
};
