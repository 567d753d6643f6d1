// Loads credgov.yaml: YAML with positions -> inline-secret check -> JSON Schema (ajv) ->
// defaults -> paths resolved against the config file's directory. Every error names
// file:line:col and the field, and says what is expected.
import { decodeText } from "../io/decode-text.ts";
import { assertRegularFileIfPresent } from "../io/regular-file.ts";
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { isMap, isPair, isScalar, isSeq, LineCounter, visit, type Document } from "yaml";
import { parseYamlDocument } from "./yaml-document.ts";
import type { ValidateFunction } from "ajv";
import { UserInputError } from "../errors.ts";
import { createAjv } from "../json-schema/ajv.ts";
import { ConfigError, type ConfigIssue } from "./config-error.ts";
import { inlineSecretReplacement } from "./inline-secrets.ts";
import { urlPasswordPart } from "./url-password.ts";
import { describeSchemaErrors } from "../json-schema/schema-messages.ts";
import { formatField, locate } from "./yaml-positions.ts";
import type { PathSegment } from "../json-schema/json-pointer.ts";
import { applyDefaults } from "./apply-defaults.ts";
import { documentValue } from "./yaml-value.ts";
import { yamlProblem } from "./yaml-problem.ts";
import { assertYamlCharacters } from "./yaml-characters.ts";
import type { CredgovConfig } from "./types.ts";

export const configSchemaUrl = new URL("../../schemas/credgov.config.schema.json", import.meta.url);

let validator: ValidateFunction | undefined;
function configValidator(): ValidateFunction {
  validator ??= createAjv().compile(JSON.parse(readFileSync(configSchemaUrl, "utf8")));
  return validator;
}

export function loadConfig(path: string): CredgovConfig {
  const file = resolve(path);
  assertRegularFileIfPresent(file, path);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new UserInputError(`cannot read config file: ${reason}`, { file: path });
  }
  const text = decodeText(bytes, path);
  return parseConfig(text, file, path);
}

/** `displayName` is what errors show (the path as the user typed it). */
export function parseConfig(text: string, file: string, displayName: string = basename(file)): CredgovConfig {
  assertYamlCharacters(text, displayName);
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
        return { file: displayName, line: pos.line, column: pos.col, message: `YAML syntax error: ${yamlProblem(e).split(" at line ")[0]}` };
      }),
    );
  }
  const secretIssues = findInlineSecrets(doc, lineCounter, displayName);
  if (secretIssues.length > 0) throw new ConfigError(secretIssues);

  const data: unknown = documentValue(doc, lineCounter, displayName);
  if (data === null || typeof data !== "object" || Array.isArray(data)) {
    throw new UserInputError("must be a mapping with at least a `sources:` list", { file: displayName, line: 1, column: 1 });
  }
  const validate = configValidator();
  if (!validate(data)) {
    const issues: ConfigIssue[] = describeSchemaErrors(validate.errors ?? []).map((issue) => {
      const pos = locate(doc, lineCounter, issue.segments);
      return { file: displayName, line: pos.line, column: pos.column, field: formatField(issue.segments) || undefined, message: issue.message };
    });
    issues.sort((a, b) => a.line - b.line || a.column - b.column);
    throw new ConfigError(issues);
  }
  checkUniqueSourceIds(data as { sources: { id: string }[] }, doc, lineCounter, displayName);
  return applyDefaults(data as Record<string, unknown>, file, dirname(file));
}

function findInlineSecrets(doc: Document, lineCounter: LineCounter, displayName: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  visit(doc, {
    Pair(_key, pair, path) {
      if (!isPair(pair) || !isScalar(pair.key)) return;
      const key = String(pair.key.value);
      const replacement = inlineSecretReplacement(key);
      if (!replacement) return;
      const { line, col } = lineCounter.linePos(pair.key.range?.[0] ?? 0);
      issues.push({
        file: displayName,
        line,
        column: col,
        field: formatField([...pathSegments(path), key]),
        message: `inline secrets are not allowed; put the secret in an environment variable and name it with ${replacement}: VARIABLE_NAME`,
      });
    },
    Scalar(key, node, path) {
      if (key === "key" || typeof node.value !== "string") return;
      const part = urlPasswordPart(node.value);
      if (!part) return;
      const parent = path[path.length - 1];
      const { line, col } = lineCounter.linePos(node.range?.[0] ?? 0);
      issues.push({
        file: displayName,
        line,
        column: col,
        field: formatField([...pathSegments(path), ...(isSeq(parent) && typeof key === "number" ? [key] : [])]),
        message: `the URL holds a password (${part}); inline secrets are not allowed: put the password in an environment variable and name it with passwordEnv: VARIABLE_NAME`,
      });
    },
  });
  return issues;
}

/** Rebuilds `sources[1]`-style segments from yaml's visitor ancestry. */
function pathSegments(path: readonly unknown[]): PathSegment[] {
  const segments: PathSegment[] = [];
  for (let i = 0; i < path.length; i++) {
    const node = path[i];
    const child = path[i + 1];
    if (isPair(node) && isScalar(node.key)) segments.push(String(node.key.value));
    else if (child !== undefined && !isMap(node) && Array.isArray((node as { items?: unknown[] }).items)) {
      const index = (node as { items: unknown[] }).items.indexOf(child);
      if (index >= 0) segments.push(index);
    }
  }
  return segments;
}

function checkUniqueSourceIds(data: { sources: { id: string }[] }, doc: Document, lineCounter: LineCounter, displayName: string): void {
  const seen = new Map<string, number>();
  data.sources.forEach((source, index) => {
    const first = seen.get(source.id);
    if (first === undefined) {
      seen.set(source.id, index);
      return;
    }
    const pos = locate(doc, lineCounter, ["sources", index, "id"]);
    throw new UserInputError(`duplicate source id "${source.id}" (already used by sources[${first}])`, {
      file: displayName,
      line: pos.line,
      column: pos.column,
      field: `sources[${index}].id`,
    });
  });
}
