// Writes a large text file atomically (temp file + rename, so a crash never leaves half a
// snapshot or findings file) and in ~1 MB chunks: one stream write per element costs more
// than serialising it.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { rename, rm } from "node:fs/promises";

const CHUNK = 1 << 20;

/** `pieces` is consumed lazily (a generator), so only one chunk of text exists at a time. */
export async function writeFileAtomically(path: string, pieces: Iterable<string>): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  const out = createWriteStream(temp, { encoding: "utf8" });
  let buffer = "";
  const flush = async () => {
    if (buffer && !out.write(buffer)) await once(out, "drain");
    buffer = "";
  };
  try {
    for (const text of pieces) {
      buffer += text;
      if (buffer.length >= CHUNK) await flush();
    }
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
