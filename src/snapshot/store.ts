// Reads and writes snapshot files. Writing streams one array element at a time, so a 300k-account
// snapshot never becomes one giant string, and goes through a temp file + rename so a crash never
// leaves a half-written snapshot where a previous good one was.
import { UserInputError } from "../errors.ts";
import { readJsonDocument } from "../io/read-large-json.ts";
import { writeFileAtomically } from "../io/atomic-write.ts";
import { isGzipPath, readFileBytes } from "../io/read-file-bytes.ts";
import { pointerPosition } from "../io/json-pointer-position.ts";
import { checkIntegrity } from "./integrity.ts";
import { validateSnapshot, type SnapshotProblem } from "./validate.ts";
import type { Snapshot } from "./types.ts";

/**
 * Reads and validates a snapshot, schema then integrity (unique ids, references that resolve,
 * as `evaluate` does); problems become one UserInputError (exit 2). Drift and rotation key
 * everything by id: a second object with an id would silently replace the first.
 * `integrity: false` is for `snapshot show`, which summarises whatever is there.
 */
export async function readSnapshot(path: string, options: { integrity?: boolean } = {}): Promise<Snapshot> {
  let data: unknown;
  try {
    data = await readJsonDocument(path, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UserInputError("no such snapshot file", { file: path });
    throw error;
  }
  const problems = validateSnapshot(data);
  if (problems.length > 0) throw snapshotSchemaError(problems, path, await readFileBytes(path));
  const broken = options.integrity === false ? [] : checkIntegrity(data as Snapshot);
  if (broken.length > 0) {
    throw new UserInputError(`snapshot integrity problems (run \`credgov snapshot validate\`):\n${problemLines(broken, path, await readFileBytes(path))}`, { file: path });
  }
  return data as Snapshot;
}

/** The input error for a snapshot that breaks the schema: the first 20 problems, and how many more. */
export function snapshotSchemaError(problems: readonly SnapshotProblem[], file: string, bytes?: Uint8Array): UserInputError {
  return new UserInputError(`not a valid credgov snapshot (run \`credgov snapshot validate\`):\n${problemLines(problems, file, bytes)}`, { file });
}

/**
 * The first `limit` problems, one a line, each at `file:line:col` when the file's bytes are given
 * (found along the pointer, so any indentation works), then how many more.
 */
export function problemLines(problems: readonly SnapshotProblem[], file: string, bytes?: Uint8Array, limit = 20): string {
  const shown = problems.slice(0, limit).map((p) => {
    const at = bytes && pointerPosition(bytes, p.pointer);
    return `${at ? `${file}:${at.line}:${at.column} ` : ""}${p.pointer || "(document root)"}: ${p.message}`;
  });
  const more = problems.length > limit ? `\n... and ${problems.length - limit} more` : "";
  return shown.join("\n") + more;
}

export async function writeSnapshot(path: string, snapshot: Snapshot): Promise<void> {
  // One array element per line: readable diffs, and no single giant string for 300k accounts.
  // `snapshot.json.gz`: gzip-compressed (a 1M-account snapshot is 2.5 GB of JSON, a tenth of that gzipped).
  await writeFileAtomically(path, snapshotText(snapshot), { gzip: isGzipPath(path) });
}

export function* snapshotText(snapshot: Snapshot): Generator<string> {
  const entries = Object.entries(snapshot);
  yield "{\n";
  for (let k = 0; k < entries.length; k++) {
    const [key, value] = entries[k];
    yield `  ${JSON.stringify(key)}: `;
    if (Array.isArray(value) && value.length > 0) {
      yield "[\n";
      for (let i = 0; i < value.length; i++) yield `    ${JSON.stringify(value[i])}${i + 1 < value.length ? "," : ""}\n`;
      yield "  ]";
    } else {
      yield JSON.stringify(value);
    }
    yield k + 1 < entries.length ? ",\n" : "\n";
  }
  yield "}\n";
}
