// Finds where things are in the bytes of a large JSON object document without parsing it:
// each top-level member's value range and, for the arrays asked for, each element's range.
// A 1M-account snapshot (2.5 GB) is longer than any JavaScript string, so its parts are
// located here and cut out as byte ranges; only the small parts are ever parsed.
// Expects a well-formed document (a snapshot already written by credgov or validated);
// anything else raises JsonLayoutError with the byte offset.
import { QUOTE, BACKSLASH, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, COMMA, COLON } from "./json-chars.ts";

export class JsonLayoutError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.offset = offset;
  }
}

export interface MemberRange {
  key: string;
  /** Byte range [start, end) of the member's value. */
  start: number;
  end: number;
}

/** Element ranges of one array, as parallel offset arrays (offsets may pass 2^32). */
export interface ElementRanges {
  starts: Float64Array;
  ends: Float64Array;
  count: number;
}

export interface JsonObjectLayout {
  /** Every top-level member, in document order. */
  members: MemberRange[];
  /** Element ranges of the top-level arrays named in `arrays` (absent when the member is absent or not an array). */
  elements: Map<string, ElementRanges>;
}


function skipSpace(buf: Uint8Array, i: number): number {
  while (i < buf.length) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
  return i;
}

/** End (exclusive) of the string whose opening quote is at `i`. */
function stringEnd(buf: Uint8Array, i: number): number {
  // A plain loop: most strings are short ids and names, where a native search costs more
  // in the call than in the scan.
  const n = buf.length;
  for (let k = i + 1; k < n; k++) {
    const c = buf[k];
    if (c === QUOTE) return k + 1;
    if (c === BACKSLASH) k++;
  }
  throw new JsonLayoutError("unterminated string", i);
}

/** End (exclusive) of the JSON value starting at `i` (no leading whitespace). */
export function valueEnd(buf: Uint8Array, i: number): number {
  const first = buf[i];
  if (first === QUOTE) return stringEnd(buf, i);
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let k = i;
    while (k < buf.length) {
      const c = buf[k];
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
      k++;
    }
    if (k === i) throw new JsonLayoutError("expected a value", i);
    return k;
  }
  let depth = 0;
  let k = i;
  while (k < buf.length) {
    const c = buf[k];
    if (c === QUOTE) {
      k = stringEnd(buf, k);
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return k + 1;
    }
    k++;
  }
  throw new JsonLayoutError("unterminated object or array", i);
}

function readKey(buf: Uint8Array, i: number): { key: string; next: number } {
  if (buf[i] !== QUOTE) throw new JsonLayoutError("expected a member name", i);
  const end = stringEnd(buf, i);
  const text = Buffer.from(buf.buffer, buf.byteOffset + i, end - i);
  // Escapes are rare in member names: decode them only when there is one.
  const key = text.includes(BACKSLASH) ? (JSON.parse(text.toString("utf8")) as string) : text.toString("utf8", 1, text.length - 1);
  const colon = skipSpace(buf, end);
  if (buf[colon] !== COLON) throw new JsonLayoutError("expected ':'", colon);
  return { key, next: skipSpace(buf, colon + 1) };
}

/** Layout of a JSON object document; `arrays` are the top-level arrays whose elements are located. */
export function jsonObjectLayout(buf: Uint8Array, arrays: ReadonlySet<string>): JsonObjectLayout {
  let i = skipSpace(buf, buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0);
  if (buf[i] !== OPEN_BRACE) throw new JsonLayoutError("expected a JSON object", i);
  const members: MemberRange[] = [];
  const elements = new Map<string, ElementRanges>();
  i = skipSpace(buf, i + 1);
  if (buf[i] === CLOSE_BRACE) return { members, elements };
  for (;;) {
    const { key, next } = readKey(buf, i);
    let end: number;
    if (arrays.has(key) && buf[next] === OPEN_BRACKET) {
      const ranges = arrayElements(buf, next);
      elements.set(key, ranges.ranges);
      end = ranges.end;
    } else {
      end = valueEnd(buf, next);
    }
    members.push({ key, start: next, end });
    i = skipSpace(buf, end);
    if (buf[i] === COMMA) {
      i = skipSpace(buf, i + 1);
      continue;
    }
    if (buf[i] === CLOSE_BRACE) break;
    throw new JsonLayoutError("expected ',' or '}'", i);
  }
  return { members, elements };
}

function arrayElements(buf: Uint8Array, open: number): { ranges: ElementRanges; end: number } {
  let starts = new Float64Array(1024);
  let ends = new Float64Array(1024);
  let count = 0;
  let i = skipSpace(buf, open + 1);
  if (buf[i] === CLOSE_BRACKET) return { ranges: { starts, ends, count }, end: i + 1 };
  for (;;) {
    const end = valueEnd(buf, i);
    if (count === starts.length) {
      const grownStarts = new Float64Array(count * 2);
      grownStarts.set(starts);
      starts = grownStarts;
      const grownEnds = new Float64Array(count * 2);
      grownEnds.set(ends);
      ends = grownEnds;
    }
    starts[count] = i;
    ends[count] = end;
    count++;
    i = skipSpace(buf, end);
    if (buf[i] === COMMA) {
      i = skipSpace(buf, i + 1);
      continue;
    }
    if (buf[i] === CLOSE_BRACKET) return { ranges: { starts, ends, count }, end: i + 1 };
    throw new JsonLayoutError("expected ',' or ']'", i);
  }
}

/**
 * The string value of member `key` of the object in buf[start, end), read without parsing
 * the rest of the object; undefined when absent or not a string.
 */
export function memberString(buf: Uint8Array, start: number, end: number, key: string): string | undefined {
  let i = skipSpace(buf, start);
  if (buf[i] !== OPEN_BRACE) return undefined;
  i = skipSpace(buf, i + 1);
  while (i < end && buf[i] !== CLOSE_BRACE) {
    const { key: name, next } = readKey(buf, i);
    const valueStop = valueEnd(buf, next);
    if (name === key) {
      if (buf[next] !== QUOTE) return undefined;
      return JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + next, valueStop - next).toString("utf8")) as string;
    }
    i = skipSpace(buf, valueStop);
    if (buf[i] === COMMA) i = skipSpace(buf, i + 1);
  }
  return undefined;
}
