// YAML files that credgov reads beside its config (control catalogs, exceptions): parsed with
// positions and validated with an ajv schema, so every problem is `file:line:col field: message`.
import { LineCounter } from "yaml";
import { parseYamlDocument } from "./yaml-document.ts";
import type { ValidateFunction } from "ajv";
import { UserInputError } from "../errors.ts";
import { describeSchemaErrors } from "../json-schema/schema-messages.ts";
import { documentValue } from "./yaml-value.ts";
import { yamlProblem } from "./yaml-problem.ts";
import { assertYamlCharacters } from "./yaml-characters.ts";
import { formatField, locate, type Position } from "./yaml-positions.ts";
import type { PathSegment } from "../json-schema/json-pointer.ts";

export interface ValidatedYaml {
  value: unknown;
  /** Line and column of the node at `segments`, for errors found after validation. */
  positionOf(segments: readonly PathSegment[]): Position;
}

export function parseValidatedYaml(text: string, file: string, validate: ValidateFunction, what: string, empty?: unknown): ValidatedYaml {
  assertYamlCharacters(text, file);
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new UserInputError(`invalid YAML: ${yamlProblem(first)}`, { file, line, column: col });
  }
  const value: unknown = documentValue(doc, lineCounter, file) ?? empty;
  if (!validate(value)) {
    const issue = describeSchemaErrors(validate.errors ?? [])[0];
    const segments = issue?.segments ?? [];
    throw new UserInputError(issue?.message ?? `invalid ${what}`, { file, ...locate(doc, lineCounter, segments), field: formatField(segments) || undefined });
  }
  return { value, positionOf: (segments) => locate(doc, lineCounter, segments) };
}
