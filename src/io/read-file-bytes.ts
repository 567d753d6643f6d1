// Reads a whole file into one buffer, past the 2 GiB that fs.readFile refuses (a snapshot of
// 1M accounts is about 2.5 GB), and gunzips a `.gz` file on the way in.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";

export function isGzipPath(path: string): boolean {
  return path.endsWith(".gz");
}

/**
 * `shared`: the bytes live in a SharedArrayBuffer, which worker threads read without a copy
 * (the sharded evaluation's batch workers).
 */
export async function readFileBytes(path: string, options: { shared?: boolean } = {}): Promise<Buffer> {
  if (isGzipPath(path)) return readGunzipped(path, options.shared === true);
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const bytes = options.shared ? Buffer.from(new SharedArrayBuffer(size)) : Buffer.allocUnsafeSlow(size);
    let at = 0;
    while (at < size) {
      const { bytesRead } = await file.read(bytes, at, Math.min(size - at, 1 << 30), at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === size ? bytes : bytes.subarray(0, at);
  } finally {
    await file.close();
  }
}

async function readGunzipped(path: string, shared: boolean): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of createReadStream(path).pipe(createGunzip({ chunkSize: 1 << 20 })) as AsyncIterable<Buffer>) {
    chunks.push(chunk);
    total += chunk.length;
  }
  if (!shared) return Buffer.concat(chunks, total);
  const bytes = Buffer.from(new SharedArrayBuffer(total));
  let at = 0;
  for (const chunk of chunks) at += chunk.copy(bytes, at);
  return bytes;
}
