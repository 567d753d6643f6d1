// Text that Windows tools write as UTF-16 (ldifde -u, Windows PowerShell 5's `>` and Out-File,
// Notepad's "Unicode"), all with a byte-order mark, read as the text the readers expect. Lines
// stay where they were, so errors still name the line of the original file. Bytes that are not
// UTF-16 (an unpaired surrogate, an odd byte at the end) are refused at their line, never replaced.
import { UserInputError } from "../errors.ts";

export type Utf16Encoding = "utf-16le" | "utf-16be";

/** The UTF-16 flavour a byte-order mark announces (not a UTF-32 one, FF FE 00 00); undefined otherwise. */
export function utf16ByteOrder(bytes: Uint8Array): Utf16Encoding | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe && !(bytes[2] === 0 && bytes[3] === 0)) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return undefined;
}

/** The text of UTF-16 chunks (byte-order mark first), without the mark. */
export async function* utf16Text(chunks: AsyncIterable<Uint8Array>, encoding: Utf16Encoding, file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let line = 1;
  for await (const chunk of chunks) {
    const text = decodeOrRefuse(decoder, encoding, chunk, line, file);
    line += countLines(text);
    if (text !== "") yield text;
  }
  const rest = decodeOrRefuse(decoder, encoding, undefined, line, file);
  if (rest !== "") yield rest;
}

/** The same, as UTF-8 bytes (what the LDIF reader parses). */
export async function* utf16AsUtf8(chunks: AsyncIterable<Uint8Array>, encoding: Utf16Encoding, file: string): AsyncGenerator<Buffer> {
  for await (const text of utf16Text(chunks, encoding, file)) yield Buffer.from(text, "utf8");
}

/** The text of a whole UTF-16 file's bytes (byte-order mark first), without the mark. */
export function decodeUtf16(bytes: Uint8Array, encoding: Utf16Encoding, file: string): string {
  const decoder = new TextDecoder(encoding, { fatal: true });
  const text = decodeOrRefuse(decoder, encoding, bytes, 1, file);
  return text + decodeOrRefuse(decoder, encoding, undefined, 1 + countLines(text), file);
}

/** Decodes `chunk` (undefined: the end of the input); throws at the offending line. */
function decodeOrRefuse(decoder: InstanceType<typeof TextDecoder>, encoding: Utf16Encoding, chunk: Uint8Array | undefined, line: number, file: string): string {
  try {
    return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
  } catch {
    if (chunk === undefined) throw new UserInputError("the file ends inside a UTF-16 character: it looks truncated; export it again", { file, line });
    // Error path only: where the replacement character would stand is the offending line.
    const text = new TextDecoder(encoding, { ignoreBOM: true }).decode(chunk);
    const bad = text.indexOf("\ufffd");
    throw new UserInputError("the text is not UTF-16 (a surrogate without its pair: a character cut in two by folding or editing); export it again, or as UTF-8", {
      file,
      line: bad < 0 ? line : line + countLines(text.slice(0, bad)),
    });
  }
}

function countLines(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
