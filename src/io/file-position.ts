// line:col of a character offset in a file too large to hold as one string (a streamed export):
// the file is read again in chunks, counting line breaks. Only used on the error path.
import { createReadStream } from "node:fs";

export async function positionInFile(path: string, offset: number): Promise<{ line: number; column: number }> {
  let line = 1;
  let lineStart = 0; // offset of the current line's first character
  let seen = 0; // characters before the current chunk
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 20 }) as AsyncIterable<string>) {
    const end = Math.min(chunk.length, offset - seen);
    for (let at = chunk.indexOf("\n"); at !== -1 && at < end; at = chunk.indexOf("\n", at + 1)) {
      line++;
      lineStart = seen + at + 1;
    }
    seen += chunk.length;
    if (seen >= offset) break;
  }
  return { line, column: offset - lineStart + 1 };
}
