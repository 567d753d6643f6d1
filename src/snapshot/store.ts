// Reads and writes snapshot files. Writing streams one array element at a time, so a 300k-account
// snapshot never becomes one giant string, and goes through a temp file + rename so a crash never
// leaves a half-written snapshot where a previous good one was.
import { createWriteStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { once } from "node:events";
import { UserInputError } from "../cli/errors.ts";
import { readJsonDocument } from "./read-large-json.ts";
import { validateSnapshot } from "./validate.ts";
import type { Snapshot } from "./types.ts";

/** Reads and schema-validates a snapshot; problems become one UserInputError (exit 2). */
export async function readSnapshot(path: string): Promise<Snapshot> {
  let data: unknown;
  try {
    data = await readJsonDocument(path, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new UserInputError("no such snapshot file", { file: path });
    throw error;
  }
  const problems = validateSnapshot(data);
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).map((p) => `${p.pointer}: ${p.message}`);
    const more = problems.length > 20 ? `\n... and ${problems.length - 20} more` : "";
    throw new UserInputError(`not a valid credgov snapshot (run \`credgov snapshot validate\`):\n${shown.join("\n")}${more}`, { file: path });
  }
  return data as Snapshot;
}

export async function writeSnapshot(path: string, snapshot: Snapshot): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(temp, { encoding: "utf8" });
  // Elements are joined into ~1 MB chunks: one stream write per element costs more than the JSON.
  let buffer = "";
  const flush = async () => {
    if (buffer && !out.write(buffer)) await once(out, "drain");
    buffer = "";
  };
  const chunkSize = 1 << 20;
  try {
    const entries = Object.entries(snapshot);
    buffer = "{\n";
    for (let k = 0; k < entries.length; k++) {
      const [key, value] = entries[k];
      buffer += `  ${JSON.stringify(key)}: `;
      if (Array.isArray(value) && value.length > 0) {
        buffer += "[\n";
        for (let i = 0; i < value.length; i++) {
          buffer += `    ${JSON.stringify(value[i])}${i + 1 < value.length ? "," : ""}\n`;
          if (buffer.length >= chunkSize) await flush();
        }
        buffer += "  ]";
      } else {
        buffer += JSON.stringify(value);
      }
      buffer += k + 1 < entries.length ? ",\n" : "\n";
    }
    buffer += "}\n";
    await flush();
    out.end();
    await once(out, "finish");
    await rename(temp, path);
  } catch (error) {
    out.destroy();
    await rm(temp, { force: true });
    throw error;
  }
}
