// The text of an input file (JSON export, YAML config, baseline, exceptions) in either encoding
// Windows and Unix tools write: UTF-8, with or without a byte-order mark, or UTF-16 with one
// (Windows PowerShell 5's `>` and Out-File). Anything else is refused at its line.
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { decodeUtf8, utf8TextChunks } from "./utf8-check.ts";
import { decodeUtf16, utf16ByteOrder, utf16Text } from "./utf16-transcode.ts";

/** The text of a whole file's bytes. */
export function decodeText(bytes: Uint8Array, displayName: string): string {
  const utf16 = utf16ByteOrder(bytes);
  return utf16 ? decodeUtf16(bytes, utf16, displayName) : decodeUtf8(bytes, displayName);
}

/** A file's text in chunks of about 1 MiB. */
export async function* textChunks(path: string, displayName: string): AsyncGenerator<string> {
  const handle = await open(path, "r");
  const head = new Uint8Array(4);
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  const utf16 = utf16ByteOrder(head);
  if (utf16) yield* utf16Text(createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>, utf16, displayName);
  else yield* utf8TextChunks(path, displayName);
}
