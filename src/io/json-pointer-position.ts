// Where a JSON pointer's value sits in a document, as line:column: problems found after parsing
// (a snapshot's schema, a findings file's fields) name their place in the file, whatever its
// indentation, not only a pointer. Error path only: it walks the bytes along the pointer once.
import { pointerToSegments } from "../json-schema/json-pointer.ts";
import { skipSpace, stringEnd, valueEnd } from "./json-layout.ts";
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET } from "./json-chars.ts";

const NEWLINE = 0x0a;

/**
 * Byte offset of the value `pointer` names in well-formed JSON `bytes`; when a member or element
 * along the way is absent (a required field), the offset of the deepest value that exists (the
 * object that lacks it). Undefined when the bytes are not the JSON the pointer was taken from.
 */
export function pointerOffset(bytes: Uint8Array, pointer: string): number | undefined {
  try {
    let at = skipSpace(bytes, bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
    for (const segment of pointerToSegments(pointer)) {
      const inner = bytes[at] === OPEN_BRACE ? memberValue(bytes, at, segment) : bytes[at] === OPEN_BRACKET ? elementValue(bytes, at, segment) : undefined;
      if (inner === undefined) return at;
      at = inner;
    }
    return at;
  } catch {
    return undefined;
  }
}

/** 1-based line and column (in characters) of a byte offset. */
export function positionOfOffset(bytes: Uint8Array, offset: number): { line: number; column: number } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let line = 1;
  let lineStart = 0;
  for (let at = buffer.indexOf(NEWLINE); at !== -1 && at < offset; at = buffer.indexOf(NEWLINE, at + 1)) {
    line++;
    lineStart = at + 1;
  }
  return { line, column: buffer.toString("utf8", lineStart, offset).length + 1 };
}

/** line:column of the value `pointer` names, or undefined (see pointerOffset). */
export function pointerPosition(bytes: Uint8Array, pointer: string): { line: number; column: number } | undefined {
  const offset = pointerOffset(bytes, pointer);
  return offset === undefined ? undefined : positionOfOffset(bytes, offset);
}

function memberValue(bytes: Uint8Array, open: number, name: string): number | undefined {
  let at = skipSpace(bytes, open + 1);
  while (bytes[at] !== CLOSE_BRACE) {
    const keyEnd = stringEnd(bytes, at);
    const raw = Buffer.from(bytes.buffer, bytes.byteOffset + at, keyEnd - at);
    const key = raw.includes(BACKSLASH) ? (JSON.parse(raw.toString("utf8")) as string) : raw.toString("utf8", 1, raw.length - 1);
    const colon = skipSpace(bytes, keyEnd);
    if (bytes[colon] !== COLON) return undefined;
    const value = skipSpace(bytes, colon + 1);
    if (key === name) return value;
    at = skipSpace(bytes, valueEnd(bytes, value));
    if (bytes[at] === COMMA) at = skipSpace(bytes, at + 1);
    else if (bytes[at] !== CLOSE_BRACE) return undefined;
  }
  return undefined;
}

function elementValue(bytes: Uint8Array, open: number, segment: string): number | undefined {
  if (!/^(0|[1-9]\d*)$/.test(segment)) return undefined;
  const index = Number(segment);
  let at = skipSpace(bytes, open + 1);
  for (let i = 0; bytes[at] !== CLOSE_BRACKET; i++) {
    if (i === index) return at;
    at = skipSpace(bytes, valueEnd(bytes, at));
    if (bytes[at] === COMMA) at = skipSpace(bytes, at + 1);
    else if (bytes[at] !== CLOSE_BRACKET) return undefined;
  }
  return undefined;
}
