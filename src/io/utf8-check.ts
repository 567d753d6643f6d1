// Export files are UTF-8 (ldapsearch, Graph and GitHub all answer in it). A file saved in another
// encoding was read with every byte that is not UTF-8 replaced by U+FFFD: names and DNs changed
// without a word (Latin-1 "Adé" read as "Ad\uFFFD"), or, for UTF-16 (what Windows PowerShell 5's
// `>` writes), a message about a stray character. Chunks are checked as they are read; the
// check itself is Node's native isUtf8, the byte-by-byte search runs only on the error path.
import { isUtf8 } from "node:buffer";
import { createReadStream } from "node:fs";
import { UserInputError } from "../errors.ts";

/** Where the bytes stop being UTF-8, and why, in words a user can act on. */
export interface Utf8Problem {
  /** Offset of the first offending byte in the chunk given to `push`. */
  chunkOffset: number;
  message: string;
}

const remedy = "save or export it as UTF-8 (in Windows PowerShell: Out-File -Encoding utf8, not >)";

export class Utf8Check {
  #carry: Uint8Array = new Uint8Array(0);
  #first = true;

  /** Checks the next chunk; a sequence cut by the chunk's end is checked with the next one. */
  push(chunk: Uint8Array): Utf8Problem | undefined {
    if (this.#first) {
      this.#first = false;
      const message = otherEncodingMark(chunk);
      if (message) return { chunkOffset: 0, message };
    }
    const bytes = this.#carry.length > 0 ? concat(this.#carry, chunk) : chunk;
    const cut = completeLength(bytes);
    if (!isUtf8(bytes.subarray(0, cut))) {
      const at = firstInvalidByte(bytes);
      return { chunkOffset: Math.max(0, at - this.#carry.length), message: notUtf8Message(bytes[at]) };
    }
    this.#carry = bytes.slice(cut);
    return undefined;
  }

  /** At the end of the file: a sequence left incomplete. */
  end(): Utf8Problem | undefined {
    if (this.#carry.length === 0) return undefined;
    return { chunkOffset: 0, message: `the file ends inside a UTF-8 character: it looks truncated or is in another encoding; ${remedy}` };
  }
}

/** Why a file is refused when byte `byte` does not start or continue a UTF-8 character. */
export function notUtf8Message(byte: number): string {
  return `byte 0x${byte.toString(16).toUpperCase().padStart(2, "0")} is not UTF-8 (the file is in another encoding, such as Latin-1): ${remedy}`;
}

/** Why a file is refused when it starts as UTF-16 or UTF-32 text, with or without a byte-order mark; undefined otherwise. */
export function otherEncodingMark(bytes: Uint8Array): string | undefined {
  const bom = byteOrderMark(bytes);
  if (bom) return `the file is ${bom}, not UTF-8: ${remedy}`;
  const unmarked = wideWithoutMark(bytes);
  return unmarked ? `the file looks like ${unmarked} without a byte-order mark (NUL bytes between its characters), not UTF-8: ${remedy}` : undefined;
}

/**
 * UTF-16 or UTF-32 text with no byte-order mark, told by the NUL bytes of its first ASCII
 * characters (`{`, `d` of `dn:`, `#`, `v` of `version:`). No input credgov reads starts with
 * a NUL in UTF-8, so the pattern is never text: read on, it gave a message about a stray
 * character, or none.
 */
function wideWithoutMark(bytes: Uint8Array): string | undefined {
  if (bytes.length < 4) return undefined;
  const zero = [0, 1, 2, 3].map((i) => bytes[i] === 0);
  const pattern = zero.map((z) => (z ? "0" : "x")).join("");
  if (pattern === "x0x0") return "UTF-16LE";
  if (pattern === "0x0x") return "UTF-16BE";
  if (pattern === "x000") return "UTF-32LE";
  if (pattern === "000x") return "UTF-32BE";
  return undefined;
}

function byteOrderMark(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes[2] === 0 && bytes[3] === 0 ? "UTF-32 (byte-order mark FF FE 00 00)" : "UTF-16 (byte-order mark FF FE)";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "UTF-16 (byte-order mark FE FF)";
  if (bytes[0] === 0 && bytes[1] === 0 && bytes[2] === 0xfe && bytes[3] === 0xff) return "UTF-32 (byte-order mark 00 00 FE FF)";
  return undefined;
}

/** Bytes up to the start of a multi-byte sequence the chunk's end cuts short. */
function completeLength(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back];
    if ((b & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    const need = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (need === 0) return i;
    if (need > 1 && !isUtf8(bytes.subarray(i, i + need))) return i;
    i += need;
  }
  return bytes.length;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** A file's text in chunks of about 1 MiB, refused (UserInputError at its line) where it is not UTF-8. */
export async function* utf8TextChunks(path: string, displayName: string): AsyncGenerator<string> {
  const check = new Utf8Check();
  const decoder = new TextDecoder("utf-8");
  let before = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const problem = check.push(chunk);
    if (problem) throw await utf8Error(path, displayName, before + problem.chunkOffset, problem);
    before += chunk.length;
    yield decoder.decode(chunk, { stream: true });
  }
  const last = check.end();
  if (last) throw await utf8Error(path, displayName, before, last);
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The text of a whole file's bytes, refused (UserInputError at its line) where it is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, displayName: string): string {
  assertUtf8(bytes, displayName);
  return new TextDecoder("utf-8").decode(bytes);
}

/** Refuses (UserInputError at its line) a whole file's bytes that are not UTF-8, without decoding them. */
export function assertUtf8(bytes: Uint8Array, displayName: string): void {
  const check = new Utf8Check();
  const problem = check.push(bytes) ?? check.end();
  if (problem) throw new UserInputError(problem.message, { file: displayName, line: lineAt(bytes, problem.chunkOffset) });
}

async function utf8Error(path: string, displayName: string, offset: number, problem: Utf8Problem): Promise<UserInputError> {
  // Error path only: the lines before the offending byte, counted by reading the file again.
  let line = 1;
  let seen = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const end = Math.min(chunk.length, offset - seen);
    line += lineAt(chunk.subarray(0, end), end) - 1;
    seen += chunk.length;
    if (seen >= offset) break;
  }
  return new UserInputError(problem.message, { file: displayName, line });
}

/** 1-based line of byte `offset`. */
function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(10); i >= 0 && i < offset; i = bytes.indexOf(10, i + 1)) line++;
  return line;
}
