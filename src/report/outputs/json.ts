// findings.json: the Findings contract as a JSON array, one finding per line so a 100k-finding
// file is written without building one giant string and diffs line by line.
import { UserInputError } from "../../errors.ts";
import { findingStatuses, type Finding } from "../../policy/engine/finding.ts";
import { readJsonFile } from "../../io/read-json.ts";
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
  data.forEach((f: unknown, i) => {
    const o = f as Record<string, unknown> | null;
    const problem =
      !o || typeof o !== "object"
        ? "is not an object"
        : typeof o.controlId !== "string"
          ? "has no controlId"
          : !findingStatuses.includes(o.status as never)
            ? `has status ${JSON.stringify(o.status)}`
            : !o.subject || typeof o.subject !== "object"
              ? "has no subject"
              : undefined;
    // findingsJsonChunks puts finding i on line i + 2.
    if (problem) throw new UserInputError(`finding ${problem}`, { file: path, line: i + 2, field: `[${i}]` });
  });
  return data as Finding[];
}
