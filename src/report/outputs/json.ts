// findings.json: the Findings contract as a JSON array, one finding per line so a 100k-finding
// file is written without building one giant string and diffs line by line.
import { UserInputError } from "../../errors.ts";
import { findingStatuses, type Finding } from "../../policy/engine/finding.ts";
import { readJsonFile } from "../../io/read-json.ts";
import { pointerPosition } from "../../io/json-pointer-position.ts";
import { readFileBytes } from "../../io/read-file-bytes.ts";
import type { FindingsOutput } from "./output.ts";


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

/** Reads findings.json back (for `credgov report`), checking the fields renderers rely on. */
export async function readFindingsJson(path: string): Promise<Finding[]> {
  let data: unknown;
  try {
    data = await readJsonFile(path, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UserInputError("no such findings file", { file: path });
    throw error;
  }
  if (!Array.isArray(data)) throw new UserInputError("expected a JSON array of findings", { file: path });
  for (let i = 0; i < data.length; i++) {
    const problem = findingProblem(data[i]);
    if (!problem) continue;
    // Found along the pointer in the file itself, so a re-indented file is located too.
    const at = pointerPosition(await readFileBytes(path), `/${i}${problem.field ? `/${problem.field}` : ""}`);
    throw new UserInputError(problem.message, { file: path, line: at?.line, column: at?.column, field: `[${i}]${problem.field ? `.${problem.field}` : ""}` });
  }
  return data as Finding[];
}

/** What is wrong with one finding for the renderers, and in which field; undefined when nothing. */
function findingProblem(f: unknown): { message: string; field?: string } | undefined {
  const o = f as Record<string, unknown> | null;
  if (!o || typeof o !== "object" || Array.isArray(o)) return { message: "finding is not an object" };
  if (typeof o.controlId !== "string") return { message: "finding has no controlId", field: "controlId" };
  if (!findingStatuses.includes(o.status as never)) return { message: `finding has status ${JSON.stringify(o.status)}`, field: "status" };
  if (!o.subject || typeof o.subject !== "object") return { message: "finding has no subject", field: "subject" };
  return undefined;
}
