// findings.json: the Findings contract as a JSON array, one finding per line so a 100k-finding
// file is written without building one giant string and diffs line by line.
import { UserInputError } from "../../errors.ts";
import type { Finding } from "../../policy/engine/finding.ts";
import { readJsonFile } from "../../io/read-json.ts";
import { pointerPosition } from "../../io/json-pointer-position.ts";
import { readFileBytes } from "../../io/read-file-bytes.ts";
import { readFileSync } from "node:fs";
import type { ValidateFunction } from "ajv";
import { createAjv } from "../../json-schema/ajv.ts";
import { describeSchemaErrors } from "../../json-schema/schema-messages.ts";
import { ConfigError } from "../../config/config-error.ts";
import { formatField } from "../../config/yaml-positions.ts";
import type { FindingsOutput } from "./output.ts";

export const findingsSchemaUrl = new URL("../../../schemas/findings.schema.json", import.meta.url);

export const jsonOutput: FindingsOutput = {
  kind: "findings",
  name: "json",
  files: ["findings.json"],
  render: ({ findings }) => ({ "findings.json": findingsJsonChunks(findings) }),
};

/** The file's text in chunks of one finding (also what `--format json --out -` prints). */
export function* findingsJsonChunks(findings: readonly Finding[]): Generator<string> {
  yield "[\n";
  for (let i = 0; i < findings.length; i++) yield `${JSON.stringify(findings[i])}${i + 1 < findings.length ? "," : ""}\n`;
  yield "]\n";
}

/** Reads findings.json back (for `credgov report`, `rotate plan`, the Action), checked against schemas/findings.schema.json. */
export async function readFindingsJson(path: string): Promise<Finding[]> {
  let data: unknown;
  try {
    data = await readJsonFile(path, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UserInputError("no such findings file", { file: path });
    throw error;
  }
  if (!Array.isArray(data)) throw new UserInputError("expected a JSON array of findings", { file: path });
  const validate = findingsValidator();
  if (validate(data)) {
    const findings = data as Finding[];
    const repeated = repeatedFinding(findings);
    if (repeated === undefined) return findings;
    // Two verdicts for one subject: which one the control reached cannot be told, and every
    // output (SARIF fingerprints, drift, counts) assumes one.
    const { index, first } = repeated;
    const f = findings[index]!;
    const at = pointerPosition(await readFileBytes(path), `/${index}/subject/id`);
    throw new UserInputError(
      `finding [${index}] repeats finding [${first}]: control ${f.controlId} on subject ${JSON.stringify(f.subject.id)}${f.subject.source ? ` of source ${f.subject.source}` : ""} (a control judges a subject once); use the findings.json that evaluate or scan wrote`,
      { file: path, line: at?.line ?? 1, column: at?.column, field: `[${index}].subject.id` },
    );
  }
  // A finding the renderers would misread (a severity they do not count, a misspelled key
  // dropped) is refused, every problem at its place in the file, found along its pointer.
  const bytes = await readFileBytes(path);
  const issues = describeSchemaErrors(validate.errors ?? []).slice(0, shownProblems).map((issue) => {
    const pointer = issue.segments.map((s) => `/${String(s).replace(/~/g, "~0").replace(/\//g, "~1")}`).join("");
    const at = pointerPosition(bytes, pointer);
    return { file: path, line: at?.line ?? 1, column: at?.column ?? 1, field: formatField(issue.segments) || undefined, message: issue.message };
  });
  issues.sort((a, b) => a.line - b.line || a.column - b.column);
  throw new ConfigError(issues);
}

/** What identifies a finding (as in SARIF's fingerprints and drift's diff): control, source, subject id. */
function repeatedFinding(findings: readonly Finding[]): { index: number; first: number } | undefined {
  const seen = new Map<string, number>();
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const key = `${f.controlId}\0${f.subject.source}\0${f.subject.id}`;
    const first = seen.get(key);
    if (first !== undefined) return { index: i, first };
    seen.set(key, i);
  }
  return undefined;
}

/** Problems shown at most: a file written by something else may break every finding the same way. */
const shownProblems = 20;

let validator: ValidateFunction | undefined;
function findingsValidator(): ValidateFunction {
  validator ??= createAjv().compile(JSON.parse(readFileSync(findingsSchemaUrl, "utf8")));
  return validator;
}
