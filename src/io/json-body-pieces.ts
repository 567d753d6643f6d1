// A JSON response body, as the chunks it arrived in, parsed to what fetch's `response.json()`
// gives (UTF-8 with a leading BOM dropped, then JSON.parse), with the elements of the root
// object's large member array (a Microsoft Graph page's `value`) parsed in pieces of about
// 64 KB. Why: JSON.parse takes one string, and V8 places a string over 128 KB in a large-object
// space whose memory is mapped afresh for every such string; a 540 KB page of 999 Graph users
// took about 2.4 ms to decode into one string, nearly all of it page faults, and as pieces the
// page costs no fresh memory (bench/cloud/README.md). JSON.parse still reads every byte, and
// decides where pieces may end (parseInPieces). A body this does not recognise (a root that is
// not an object, elements that are not objects, anything malformed) is parsed whole, so errors
// are JSON.parse's own for the whole text, as fetch's.
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from "./json-chars.ts";

export interface PieceSizes {
  /** Bodies shorter than this are parsed whole (their string is an ordinary heap object). */
  wholeBelow: number;
  /** An array is cut at the first element boundary after this many bytes of a piece. */
  pieceBytes: number;
}

const defaultSizes: PieceSizes = { wholeBelow: 128 * 1024, pieceBytes: 64 * 1024 };

/** Pieces and the skeleton are decoded apart; a BOM is dropped once, at the start of the body. */
const decoder = new TextDecoder("utf-8", { ignoreBOM: true });

/** Where a piece is put together (bracketed below); parsing is synchronous, so one serves all. */
let scratch = Buffer.allocUnsafeSlow(0);

/** Stands in the skeleton for the array parsed in pieces (a JSON string no scan produces). */
const placeholder = "\u0000json-body-pieces";
const placeholderJson = JSON.stringify(placeholder);

export function parseJsonBody(chunks: readonly Buffer[], sizes: PieceSizes = defaultSizes): unknown {
  const body = new ChunkedBytes(chunks);
  if (body.length < sizes.wholeBelow) return JSON.parse(body.text(body.start, body.length));
  return parseInPieces(body, sizes) ?? JSON.parse(body.text(body.start, body.length));
}

/**
 * The members of the root object that come before its first member array (a Graph page's
 * `@odata.context` and `@odata.nextLink` before its `value`), parsed from those bytes alone:
 * the head, closed where the array opens, is JSON.parse's to judge. Undefined when the body does
 * not start as such an object within `within` bytes. Members after the array are not read, and
 * the whole body may repeat a name there with another value (JSON.parse keeps the last): a
 * caller relying on a head member checks it against the parsed body.
 */
export function headMembers(chunks: readonly Buffer[], within = 64 * 1024): Record<string, unknown> | undefined {
  const body = new ChunkedBytes(chunks);
  const arrayStart = firstMemberArray(body, within);
  if (arrayStart === undefined) return undefined;
  let head: unknown;
  try {
    head = JSON.parse(body.text(body.start, arrayStart) + "]}");
  } catch {
    return undefined;
  }
  return head !== null && typeof head === "object" && !Array.isArray(head) ? (head as Record<string, unknown>) : undefined;
}

/** Closing brackets tried, from the end of the body back, as the end of the array parsed in pieces. */
const endsTried = 4;
/** Pieces that may end inside an element before the body is parsed whole. */
const missesAllowed = 8;

/**
 * The root object with its first member array parsed piece by piece, or undefined when the body
 * is not such an object, its array's elements are not objects, or a piece or the rest does not
 * parse (the caller then parses the body whole, and JSON.parse reports any error).
 *
 * Pieces end where the text `},` is followed by the start of the array's first element up to its
 * first member name (`},{"id"`): the end of one element and the start of the next, or something
 * inside an element (a nested array of objects, a string). Which of these it is needs no scan of
 * the bytes before it: a piece that does not end at an element's end is not a complete list of
 * elements, and JSON.parse refuses it; the next such text is tried. The body is then exactly the
 * skeleton (the root with the array's elements left out) with each piece's elements in order,
 * so when every piece and the skeleton parse, the result is what JSON.parse gives for the whole.
 */
function parseInPieces(body: ChunkedBytes, sizes: PieceSizes): Record<string, unknown> | undefined {
  const arrayStart = firstMemberArray(body, sizes.pieceBytes);
  if (arrayStart === undefined) return undefined;
  const boundary = elementBoundary(body, arrayStart);
  if (boundary === undefined) return undefined;
  const items: unknown[] = [];
  // False when the bytes are not a non-empty list of elements (`[1,,2]` and `[1,]` are not JSON).
  const piece = (from: number, to: number): boolean => {
    let elements: unknown;
    try {
      elements = JSON.parse(body.bracketed(from, to));
    } catch {
      return false;
    }
    if (!Array.isArray(elements) || elements.length === 0) return false;
    for (const element of elements) items.push(element);
    return true;
  };
  let pieceStart = arrayStart;
  // Pieces that ended inside an element, and their bytes: after a few, or once they pass the
  // body's length, the body is parsed whole instead (at most about three parses of it in all).
  let missed = 0;
  let wasted = 0;
  for (let from = pieceStart + sizes.pieceBytes; ; ) {
    const at = body.indexOf(boundary, from);
    if (at < 0) break;
    // The piece ends after the `}`; the next starts after the comma.
    if (piece(pieceStart, at + 1)) {
      pieceStart = at + 2;
      from = pieceStart + sizes.pieceBytes;
    } else if (++missed > missesAllowed || (wasted += at + 1 - pieceStart) > body.length) return undefined;
    else from = at + 1;
  }
  // Not cut at all: nothing to gain over parsing the body whole.
  if (pieceStart === arrayStart) return undefined;
  // The array's end: one of the last closing brackets (a string after it may hold one too).
  let tried = 0;
  for (let end = body.lastIndexOf(CLOSE_BRACKET, body.length - 1); end > pieceStart && tried < endsTried; end = body.lastIndexOf(CLOSE_BRACKET, end - 1), tried++) {
    let root: unknown;
    try {
      root = JSON.parse(body.text(body.start, arrayStart) + placeholderJson + body.text(end, body.length));
    } catch {
      continue;
    }
    if (!piece(pieceStart, end)) return undefined;
    return withItems(root, items);
  }
  return undefined;
}

/** The skeleton's root with the placeholder array replaced by the items, or undefined. */
function withItems(root: unknown, items: unknown[]): Record<string, unknown> | undefined {
  if (root === null || typeof root !== "object" || Array.isArray(root)) return undefined;
  const record = root as Record<string, unknown>;
  const holders = Object.keys(record).filter((key) => {
    const value = record[key];
    return Array.isArray(value) && value.length === 1 && value[0] === placeholder;
  });
  // A repeated member name (JSON.parse keeps the last one) or the placeholder in the data itself.
  if (holders.length !== 1) return undefined;
  // As JSON.parse defines members (own data properties, `__proto__` included).
  Object.defineProperty(record, holders[0], { value: items, writable: true, enumerable: true, configurable: true });
  return record;
}

/**
 * Where the elements of the root object's first member array start, if the root is an object
 * and that array starts within the first `within` bytes.
 */
function firstMemberArray(body: ChunkedBytes, within: number): number | undefined {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let offset = 0;
  for (const chunk of body.chunks) {
    for (let i = offset === 0 ? body.start : 0; i < chunk.length; i++) {
      if (offset + i >= within) return undefined;
      const c = chunk[i];
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) inString = false;
      } else if (c === QUOTE) inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (depth === 0 && c !== OPEN_BRACE) return undefined;
        if (depth === 1 && c === OPEN_BRACKET) return offset + i + 1;
        depth++;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth--;
        if (depth <= 0) return undefined;
      }
    }
    offset += chunk.length;
  }
  return undefined;
}

/** `},` and the array's first element from its `{` through its first member name's closing quote. */
function elementBoundary(body: ChunkedBytes, arrayStart: number): Buffer | undefined {
  let i = arrayStart;
  while (i < body.length && isWhitespace(body.byteAt(i))) i++;
  if (body.byteAt(i) !== OPEN_BRACE || body.byteAt(i + 1) !== QUOTE) return undefined;
  const nameEnd = body.indexOf(Buffer.of(QUOTE), i + 2);
  // A name with escapes, or a long one, is not worth a pattern.
  if (nameEnd < 0 || nameEnd - i > 64) return undefined;
  const name = body.bytes(i, nameEnd + 1);
  if (name.includes(BACKSLASH)) return undefined;
  return Buffer.concat([Buffer.of(CLOSE_BRACE, COMMA), name]);
}

const isWhitespace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** The body's chunks read as one byte sequence, without joining them. */
class ChunkedBytes {
  readonly chunks: readonly Buffer[];
  readonly length: number;
  /**
   * Where the text starts: after a leading UTF-8 BOM, and after a second one, as fetch's json()
   * drops one and then decodes with a TextDecoder that drops another.
   */
  readonly start: number;

  constructor(chunks: readonly Buffer[]) {
    this.chunks = chunks.filter((chunk) => chunk.length > 0);
    this.length = this.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const bomAt = (at: number) => this.byteAt(at) === 0xef && this.byteAt(at + 1) === 0xbb && this.byteAt(at + 2) === 0xbf;
    this.start = bomAt(0) ? (bomAt(3) ? 6 : 3) : 0;
  }

  /** Bytes [from, to) as text; joined only when they span chunks (a character may too). */
  text(from: number, to: number): string {
    return to > from ? decoder.decode(this.bytes(from, to)) : "";
  }

  /**
   * Bytes [from, to) inside `[` and `]` as text, put together in one reused buffer: the text is
   * made once, where a template string would make it and copy it again to parse it.
   */
  bracketed(from: number, to: number): string {
    const length = to - from + 2;
    if (scratch.length < length) scratch = Buffer.allocUnsafeSlow(Math.max(length, 2 * scratch.length));
    scratch[0] = OPEN_BRACKET;
    let at = 1;
    let offset = 0;
    for (const chunk of this.chunks) {
      const end = offset + chunk.length;
      if (end > from && offset < to) at += chunk.copy(scratch, at, Math.max(from - offset, 0), Math.min(to - offset, chunk.length));
      offset = end;
      if (offset >= to) break;
    }
    scratch[at] = CLOSE_BRACKET;
    return decoder.decode(scratch.subarray(0, length));
  }

  /** Bytes [from, to), a view of one chunk when they lie in one. */
  bytes(from: number, to: number): Uint8Array {
    const parts: Uint8Array[] = [];
    let offset = 0;
    for (const chunk of this.chunks) {
      const end = offset + chunk.length;
      if (end > from && offset < to) parts.push(chunk.subarray(Math.max(from - offset, 0), Math.min(to - offset, chunk.length)));
      offset = end;
      if (offset >= to) break;
    }
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  byteAt(index: number): number | undefined {
    let offset = 0;
    for (const chunk of this.chunks) {
      if (index < offset + chunk.length) return chunk[index - offset];
      offset += chunk.length;
    }
    return undefined;
  }

  /** The first occurrence of `pattern` at or after `from`, also one across chunks; -1 if none. */
  indexOf(pattern: Uint8Array, from: number): number {
    let offset = 0;
    for (const chunk of this.chunks) {
      const end = offset + chunk.length;
      if (end > from) {
        const local = chunk.indexOf(pattern, Math.max(from - offset, 0));
        if (local >= 0) return offset + local;
        // One that starts in this chunk's last bytes and ends in the next chunk(s).
        const tail = Math.max(chunk.length - pattern.length + 1, from - offset, 0);
        if (end < this.length) {
          const across = Buffer.from(this.bytes(offset + tail, Math.min(end + pattern.length - 1, this.length))).indexOf(pattern);
          if (across >= 0) return offset + tail + across;
        }
      }
      offset = end;
    }
    return -1;
  }

  /** The last byte `value` at or before `from`; -1 if none. */
  lastIndexOf(value: number, from: number): number {
    let end = this.length;
    for (let k = this.chunks.length - 1; k >= 0; k--) {
      const chunk = this.chunks[k];
      const offset = end - chunk.length;
      if (offset <= from) {
        const local = chunk.lastIndexOf(value, from - offset);
        if (local >= 0) return offset + local;
      }
      end = offset;
    }
    return -1;
  }
}
