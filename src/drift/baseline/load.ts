// Reads baseline.yaml: positioned YAML + ajv against the published schema, so every mistake is
// reported as `baseline.yaml:line:col field: message` (exit 2), like the config.
import { decodeText } from "../../io/decode-text.ts";
import { readFileSync } from "node:fs";
import { UserInputError } from "../../errors.ts";
import { parseValidatedYaml } from "../../config/validated-yaml.ts";
import { createAjv } from "../../json-schema/ajv.ts";
import type { Baseline, BaselineDocument } from "./types.ts";

export const baselineSchemaUrl: URL = new URL("../../../schemas/baseline.schema.json", import.meta.url);

let validator: ReturnType<ReturnType<typeof createAjv>["compile"]> | undefined;

function validate(): NonNullable<typeof validator> {
  validator ??= createAjv().compile(JSON.parse(readFileSync(baselineSchemaUrl, "utf8")) as object);
  return validator;
}

export function loadBaseline(file: string): Baseline {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new UserInputError(`cannot read the baseline: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file, field: "--baseline" });
  }
  const text = decodeText(bytes, file);
  return parseBaseline(text, file);
}

export function parseBaseline(text: string, file: string): Baseline {
  const { value, positionOf } = parseValidatedYaml(text, file, validate(), "baseline");
  return { file, document: value as BaselineDocument, locate: (path) => ({ file, ...positionOf(path) }) };
}
