// Reads only what the evidence pack needs from snapshot.json (generatedAt, generator, sources)
// without parsing the accounts: a 100k-account snapshot is a quarter of a gigabyte, and these
// fields come first. The file is read in chunks and scanned (string-aware) for the top-level
// keys; reading stops once all three are found.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { UserInputError } from "../../errors.ts";
import { isGzipPath } from "../../io/read-file-bytes.ts";
import type { Snapshot } from "../../snapshot/types.ts";

export type SnapshotHeader = Pick<Snapshot, "sources" | "generatedAt" | "generator">;

const wanted = ["generatedAt", "generator", "sources"] as const;

export async function readSnapshotHeader(file: string): Promise<SnapshotHeader> {
  if (isGzipPath(file)) return readGzippedSnapshotHeader(file);
  const handle = await open(file, "r").catch((error: NodeJS.ErrnoException) => {
    throw new UserInputError(`cannot read the snapshot: ${error.code ?? String(error)}`, { file, field: "--snapshot" });
  });
  try {
    const found = new Map<string, unknown>();
    const scanner = new TopLevelScanner();
    const chunk = Buffer.alloc(1 << 20);
    let position = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      for (const [key, text] of scanner.feed(chunk.subarray(0, bytesRead))) {
        if ((wanted as readonly string[]).includes(key)) found.set(key, parse(text, file, key));
      }
      if (wanted.every((k) => found.has(k))) break;
    }
    for (const key of wanted) if (!found.has(key)) throw new UserInputError(`the snapshot has no top-level "${key}"`, { file, field: key });
    return { generatedAt: found.get("generatedAt") as string, generator: found.get("generator") as Snapshot["generator"], sources: found.get("sources") as Snapshot["sources"] };
  } finally {
    await handle.close();
  }
}

/** The same from a snapshot.json.gz: its text is gunzipped as it is read, and reading stops early too. */
async function readGzippedSnapshotHeader(file: string): Promise<SnapshotHeader> {
  const found = new Map<string, unknown>();
  const scanner = new TopLevelScanner();
  const stream = createReadStream(file).on("error", (error: NodeJS.ErrnoException) => gunzip.destroy(error));
  const gunzip = stream.pipe(createGunzip({ chunkSize: 1 << 20 }));
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      for (const [key, text] of scanner.feed(chunk)) if ((wanted as readonly string[]).includes(key)) found.set(key, parse(text, file, key));
      if (wanted.every((k) => found.has(k))) break;
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserInputError(`cannot read the snapshot: ${code?.startsWith("Z_") ? `not a readable gzip file (${(error as Error).message})` : (code ?? String(error))}`, { file, field: "--snapshot" });
  } finally {
    stream.destroy();
    gunzip.destroy();
  }
  for (const key of wanted) if (!found.has(key)) throw new UserInputError(`the snapshot has no top-level "${key}"`, { file, field: key });
  return { generatedAt: found.get("generatedAt") as string, generator: found.get("generator") as Snapshot["generator"], sources: found.get("sources") as Snapshot["sources"] };
}

function parse(text: string, file: string, key: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UserInputError(`the snapshot's "${key}" is not valid JSON`, { file, field: key });
  }
}

/**
 * Yields [key, value text] for each member of the top-level JSON object as its value ends.
 * Values are kept as bytes only while they are being read; large ones that are not wanted
 * still pass through, but the caller stops reading once it has what it needs.
 */
class TopLevelScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private key: number[] = [];
  private readingKey = false;
  private currentKey: string | null = null;
  private value: Buffer[] = [];
  private valueStart = -1;
  private scalar = false;

  *feed(buf: Buffer): Generator<[string, string]> {
    let start = this.valueStart >= 0 ? 0 : -1;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      if (this.inString) {
        if (this.readingKey && !(c === 0x22 && !this.escaped)) this.key.push(c);
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) {
          this.inString = false;
          if (this.readingKey) {
            this.readingKey = false;
            this.currentKey = Buffer.from(this.key).toString("utf8");
            this.key = [];
          }
        }
        continue;
      }
      if (this.depth === 1 && this.currentKey !== null && start < 0 && c !== 0x3a && c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) {
        start = i;
        this.valueStart = i;
        this.scalar = c !== 0x7b && c !== 0x5b;
      }
      if (c === 0x22) {
        this.inString = true;
        if (this.depth === 1 && this.currentKey === null) this.readingKey = true;
      } else if (c === 0x7b || c === 0x5b) {
        this.depth++;
      } else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth === 1 && start >= 0 && !this.scalar) {
          yield this.finish(buf, start, i + 1);
          start = -1;
        } else if (this.depth === 0 && start >= 0 && this.scalar) {
          yield this.finish(buf, start, i);
          start = -1;
        }
      } else if (c === 0x2c && this.depth === 1 && start >= 0 && this.scalar) {
        yield this.finish(buf, start, i);
        start = -1;
      }
    }
    if (start >= 0) this.value.push(Buffer.from(buf.subarray(start)));
  }

  private finish(buf: Buffer, start: number, end: number): [string, string] {
    this.value.push(buf.subarray(start, end));
    const text = Buffer.concat(this.value).toString("utf8").trim();
    const key = this.currentKey ?? "";
    this.value = [];
    this.valueStart = -1;
    this.currentKey = null;
    return [key, text];
  }
}
