// Text that Windows tools write as UTF-16 (ldifde -u, which writes UTF-16LE with a byte-order
// mark) read as the UTF-8 bytes the readers expect. Lines stay where they were, so errors still
// name the line of the original file. A byte sequence that is not UTF-16 (an unpaired
// surrogate, an odd byte at the end) is refused at its line, never replaced.
import { UserInputError } from "../errors.ts";

export type Utf16Encoding = "utf-16le" | "utf-16be";

/** The UTF-16 flavour a byte-order mark announces (not a UTF-32 one, FF FE 00 00); undefined otherwise. */
export function utf16ByteOrder(bytes: Uint8Array): Utf16Encoding | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe && !(bytes[2] === 0 && bytes[3] === 0)) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return undefined;
}

/** The chunks of a UTF-16 file (byte-order mark first) as UTF-8 chunks without the mark. */
export async function* utf16AsUtf8(chunks: AsyncIterable<Uint8Array>, encoding: Utf16Encoding, file: string): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let line = 1;
  const decode = (chunk: Uint8Array | undefined): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      // Error path only: where the replacement character would stand is the offending line.
      const text = chunk === undefined ? "" : new TextDecoder(encoding, { fatal: false, ignoreBOM: true }).decode(chunk);
      const bad = text.indexOf("\ufffd");
      const at = bad < 0 ? line : line + countLines(text.slice(0, bad));
      const message =
        chunk === undefined
          ? "the file ends inside a UTF-16 character: it looks truncated; export it again"
          : "the text is not UTF-16 (a surrogate without its pair: a character cut in two by folding or editing); export it again, or as UTF-8";
      throw new UserInputError(message, { file, line: at });
    }
  };
  for await (const chunk of chunks) {
    const text = decode(chunk);
    line += countLines(text);
    if (text !== "") yield Buffer.from(text, "utf8");
  }
  const rest = decode(undefined);
  if (rest !== "") yield Buffer.from(rest, "utf8");
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
