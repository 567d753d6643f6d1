// Turns ajv's errors into what a person editing credgov.yaml (or any schema'd input) needs: the offending key and
// what is expected there. Branch noise from if/then/oneOf is dropped in favour of one message.
import type { ErrorObject } from "ajv";
import { closestMatch } from "../closest-match.ts";
import { pointerToSegments, type PathSegment } from "./json-pointer.ts";

export interface SchemaIssue {
  segments: PathSegment[];
  message: string;
}

export function describeSchemaErrors(errors: readonly ErrorObject[]): SchemaIssue[] {
  // Errors raised inside a oneOf/anyOf branch are explained by the combinator's own message.
  const combinators = errors.filter((e) => e.keyword === "oneOf" || e.keyword === "anyOf").map((e) => `${e.schemaPath}/`);
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === "if") continue;
    if (combinators.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    const issue = describe(error);
    const key = `${issue.segments.join("/")}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
  }
  return issues;
}

function describe(error: ErrorObject): SchemaIssue {
  const segments: PathSegment[] = pointerToSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const custom = (error.parentSchema as Record<string, unknown> | undefined)?.["x-error"];
  if (typeof custom === "string" && error.keyword !== "required" && error.keyword !== "additionalProperties") {
    return { segments, message: custom };
  }
  switch (error.keyword) {
    case "enum":
      return { segments, message: `must be one of ${(params.allowedValues as unknown[]).map(String).join(", ")}` };
    case "const":
      return { segments, message: `must be ${JSON.stringify(params.allowedValue)}` };
    case "required":
      return { segments: [...segments, String(params.missingProperty)], message: "is required" };
    case "additionalProperties": {
      const known = Object.keys(((error.parentSchema as { properties?: object })?.properties ?? {}) as object);
      const key = String(params.additionalProperty);
      const suggestion = closestMatch(key, known);
      const hint = (suggestion ? `; did you mean ${suggestion}?` : "") + (known.length ? ` (expected one of ${known.join(", ")})` : "");
      return { segments: [...segments, key], message: `is not a known key here${hint}` };
    }
    case "type": {
      const t = String(params.type);
      return { segments, message: `must be ${/^[aeiou]/.test(t) ? "an" : "a"} ${t.replace(",", " or ")}` };
    }
    case "minItems":
      return { segments, message: `must have at least ${String(params.limit)} item(s)` };
    case "oneOf":
    case "anyOf":
      return { segments, message: "does not match any allowed form of this section" };
    default:
      return { segments, message: error.message ?? `fails ${error.keyword}` };
  }
}
