// Loads exceptions.yaml with ajv validation; errors name file, line and field (exit 2).
import { readFileSync } from "node:fs";
import { createAjv } from "../../snapshot/ajv.ts";
import { LineCounter, parseDocument } from "yaml";
import { UserInputError } from "../../cli/errors.ts";
import { describeSchemaErrors } from "../../config/schema-messages.ts";
import { formatField, locate } from "../../config/yaml-positions.ts";
import { exceptionsSchema } from "./schema.ts";
import type { PolicyException } from "./types.ts";

const validate = createAjv().compile(exceptionsSchema);

export function loadExceptions(file: string): PolicyException[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UserInputError(`cannot read the exceptions file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file, field: "--exceptions" });
  }
  return parseExceptions(text, file);
}

export function parseExceptions(text: string, file: string): PolicyException[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const { line, col } = lineCounter.linePos(first.pos[0]);
    throw new UserInputError(`invalid YAML: ${first.message.split("\n")[0]}`, { file, line, column: col });
  }
  // yaml turns an unquoted 2026-12-31 into a string already (YAML 1.2 core schema).
  const raw: unknown = doc.toJS() ?? { exceptions: [] };
  if (!validate(raw)) {
    const issue = describeSchemaErrors(validate.errors ?? [])[0];
    const segments = issue?.segments ?? [];
    throw new UserInputError(issue?.message ?? "invalid exceptions file", { file, ...locate(doc, lineCounter, segments), field: formatField(segments) || undefined });
  }
  const entries = (raw as { exceptions: Array<Omit<PolicyException, "file" | "line">> }).exceptions;
  return entries.map((entry, index) => {
    const position = locate(doc, lineCounter, ["exceptions", index]);
    if (Number.isNaN(expiryTime(entry.expires))) {
      throw new UserInputError(`${entry.expires} is not a valid date`, { file, ...locate(doc, lineCounter, ["exceptions", index, "expires"]), field: `exceptions[${index}].expires` });
    }
    return { ...entry, file, line: position.line };
  });
}

/** A date alone means "through the end of that day, UTC". */
export function expiryTime(expires: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? Date.parse(`${expires}T23:59:59.999Z`) : Date.parse(expires);
}
