// Loads exceptions.yaml with ajv validation; errors name file, line and field (exit 2).
import { readFileSync } from "node:fs";
import { createAjv } from "../../snapshot/ajv.ts";
import { UserInputError } from "../../errors.ts";
import { parseValidatedYaml } from "../../config/validated-yaml.ts";
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
  // yaml turns an unquoted 2026-12-31 into a string already (YAML 1.2 core schema).
  const { value, positionOf } = parseValidatedYaml(text, file, validate, "exceptions file", { exceptions: [] });
  const entries = (value as { exceptions: Array<Omit<PolicyException, "file" | "line">> }).exceptions;
  return entries.map((entry, index) => {
    const position = positionOf(["exceptions", index]);
    if (Number.isNaN(expiryTime(entry.expires))) {
      throw new UserInputError(`${entry.expires} is not a valid date`, { file, ...positionOf(["exceptions", index, "expires"]), field: `exceptions[${index}].expires` });
    }
    return { ...entry, file, line: position.line };
  });
}

/** A date alone means "through the end of that day, UTC". */
export function expiryTime(expires: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(expires) ? Date.parse(`${expires}T23:59:59.999Z`) : Date.parse(expires);
}
