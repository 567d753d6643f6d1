// A configuration error found after loading (a path that names nothing, an unset variable),
// pointed at the line and column of the setting at fault. The config is re-read only on this
// error path, so loading stays one pass.
import { readFileSync } from "node:fs";
import { LineCounter } from "yaml";
import { parseYamlDocument } from "./yaml-document.ts";
import { UserInputError } from "../errors.ts";
import type { PathSegment } from "../json-schema/json-pointer.ts";
import { formatField, locate } from "./yaml-positions.ts";

export function configErrorAt(file: string, displayName: string, segments: readonly PathSegment[], message: string): UserInputError {
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(readFileSync(file, "utf8"), { lineCounter });
  const { line, column } = locate(doc, lineCounter, segments);
  return new UserInputError(message, { file: displayName, line, column, field: formatField(segments) });
}
