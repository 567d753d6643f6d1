// Finds where things are in the bytes of a large JSON object document without parsing it:
// each top-level member's value range and, for the arrays asked for, each element's range.
// A 1M-account snapshot (2.5 GB) is longer than any JavaScript string, so its parts are
// located here and cut out as byte ranges; only the small parts are ever parsed.
// Expects a well-formed document (a snapshot already written by credgov or validated);
// anything else raises JsonLayoutError with the byte offset.
import { QUOTE, BACKSLASH, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, COMMA, COLON } from "./json-chars.ts";

export class JsonLayoutError extends Error {
  readonly offset: number;
  readonly reason: string;
  constructor(reason: string, offset: number) {
    super(`${reason} at byte ${offset}`);
    this.reason = reason;
    this.offset = offset;
  }
}

// V8 keeps integers below 2^30 as small integers; a byte array indexed past that (a 1M-account
// snapshot is 2.5 GB) takes a slow path on every access (measured: locating the elements of
// 2.5 GB took 31 s of CPU, of 250 MB 0.5 s). Large documents are therefore read through views
// of at most this many bytes, whose offsets stay small.
export const windowBytes = 2 ** 29;

/** Views of a large byte array with small offsets, for reading ranges of it in ascending order. */
export class ByteWindow<T extends Uint8Array = Uint8Array> {
  readonly #bytes: T;
  readonly #size: number;
  /** Offset in the whole array of view[0]. */
  base = 0;
  view: T;
  constructor(bytes: T, size = windowBytes) {
    this.#bytes = bytes;
    this.#size = size;
    this.view = bytes.length <= size ? bytes : (bytes.subarray(0, size) as T);
  }
  /** Moves the view, if need be, so that it holds [start, end); returns start's offset in it. */
  holding(start: number, end: number): number {
    if (start < this.base || end > this.base + this.view.length) {
      this.base = start;
      this.view = this.#bytes.subarray(start, Math.min(this.#bytes.length, start + Math.max(this.#size, end - start))) as T;
    }
    return start - this.base;
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
  /** What an ElementRecorder recorded of these elements, when the layout had one. */
  records?: unknown;
}

/**
 * Records something of each element while the layout locates it (member-digests.ts), when its
 * bytes are in cache: reading the elements again afterwards costs a pass over the document.
 */
export interface ElementRecorder<R = unknown> {
  /** valueEnd(view, i), recording the element as element `index` of its array (again if asked twice for one index). */
  element(view: Uint8Array, i: number, index: number): number;
  /** What it recorded of elements [0, count) of the array; it starts afresh for the next one. */
  take(count: number): R;
  /** The records of consecutive stretches of one array, as one. */
  join(parts: readonly R[]): R;
}

export interface JsonObjectLayout {
  /** Every top-level member, in document order. */
  members: MemberRange[];
  /** Element ranges of the top-level arrays named in `arrays` (absent when the member is absent or not an array). */
  elements: Map<string, ElementRanges>;
}


/** The first index from `i` on that is not JSON whitespace. */
export function skipSpace(buf: Uint8Array, i: number): number {
  while (i < buf.length) {
    const c = buf[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
    i++;
  }
  return i;
}

/** End (exclusive) of the string whose opening quote is at `i`. */
export function stringEnd(buf: Uint8Array, i: number): number {
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

// What a byte means to valueEnd: 0 nothing, 1 a string's quote, 2 an opening and 3 a closing bracket.
const byteClass = new Uint8Array(256);
byteClass[QUOTE] = 1;
byteClass[OPEN_BRACE] = byteClass[OPEN_BRACKET] = 2;
byteClass[CLOSE_BRACE] = byteClass[CLOSE_BRACKET] = 3;

/** End (exclusive) of the JSON value starting at `i` (no leading whitespace). */
export function valueEnd(buf: Uint8Array, i: number): number {
  const first = buf[i];
  if (first === QUOTE) return stringEnd(buf, i);
  const n = buf.length;
  if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
    let k = i;
    while (k < n) {
      const c = buf[k];
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
      k++;
    }
    if (k === i) throw new JsonLayoutError("expected a value", i);
    return k;
  }
  return closingEnd(buf, i, 0);
}

/**
 * End (exclusive) of the object or array that `depth` brackets opened before buf[i] close
 * (depth 0: the one opening at buf[i]), buf[i] being outside any string.
 */
export function closingEnd(buf: Uint8Array, i: number, depth: number): number {
  // One table lookup per byte, strings skipped in place: this loop reads every byte of a
  // snapshot (2.5 GB at 1M accounts), more than twice as fast as comparing each byte to the
  // five characters that matter.
  const n = buf.length;
  let k = i;
  while (k < n) {
    const c = byteClass[buf[k]];
    if (c === 0) {
      k++;
      continue;
    }
    if (c === 1) {
      const open = k;
      for (k++; k < n; k++) {
        const d = buf[k];
        if (d === QUOTE) break;
        if (d === BACKSLASH) k++;
      }
      if (k >= n) throw new JsonLayoutError("unterminated string", open);
    } else if (c === 2) depth++;
    else if (--depth === 0) return k + 1;
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

/**
 * Layout of a JSON object document; `arrays` are the top-level arrays whose elements are
 * located. `window`: the most bytes one view of the document spans (tests make it small).
 */
export function jsonObjectLayout(buf: Uint8Array, arrays: ReadonlySet<string>, window = windowBytes, recorder?: ElementRecorder): JsonObjectLayout {
  return assembleLayout([layoutPart(buf, { kind: "document" }, arrays, Infinity, window, recorder)], recorder);
}

// A document's layout in parts, so that threads can each locate the elements of a stretch of a
// large document (policy/engine/parallel-layout.ts). A part starts at the document's start or at
// an element of one of the located arrays, and stops at the first element at or past a given
// offset (where the next part takes over), or at the document's end.

/** Where a part of the layout starts: the document's start, or an element of a located array (the one a part before opened). */
export type LayoutStart = { kind: "document" } | { kind: "element"; at: number };

/** What a part found, in document order. `elements` belong to the array opened last (the part's start array before any). */
export type LayoutEvent =
  | { type: "member"; key: string; start: number; end: number }
  | { type: "open"; key: string; start: number }
  | { type: "elements"; ranges: ElementRanges }
  | { type: "close"; end: number };

export interface LayoutPart {
  start: LayoutStart;
  events: LayoutEvent[];
  /** Where the next part starts: an element at or past the stopping offset, or the document's end. */
  next: { kind: "element"; at: number } | { kind: "end" };
}

/**
 * Locates members and elements from `start` on, stopping at the first element of a located
 * array that starts at or past `stopAt`. From an element, the part assumes that element is
 * one of a located top-level array (parallel-layout.ts checks that it is).
 */
export function layoutPart(buf: Uint8Array, start: LayoutStart, arrays: ReadonlySet<string>, stopAt: number, window = windowBytes, recorder?: ElementRecorder): LayoutPart {
  const events: LayoutEvent[] = [];
  let i: number;
  if (start.kind === "element") {
    const part = arrayElements(buf, start.at, window, stopAt, recorder);
    events.push({ type: "elements", ranges: part.ranges });
    if (part.next !== undefined) return { start, events, next: { kind: "element", at: part.next } };
    events.push({ type: "close", end: part.end });
    i = skipSpace(buf, part.end);
    if (buf[i] === CLOSE_BRACE) return { start, events, next: { kind: "end" } };
    if (buf[i] !== COMMA) throw new JsonLayoutError("expected ',' or '}'", i);
    i = skipSpace(buf, i + 1);
  } else {
    i = skipSpace(buf, buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0);
    if (buf[i] !== OPEN_BRACE) throw new JsonLayoutError("expected a JSON object", i);
    i = skipSpace(buf, i + 1);
    if (buf[i] === CLOSE_BRACE) return { start, events, next: { kind: "end" } };
  }
  for (;;) {
    const { key, next } = readKey(buf, i);
    let end: number;
    if (arrays.has(key) && buf[next] === OPEN_BRACKET) {
      events.push({ type: "open", key, start: next });
      const part = arrayElements(buf, skipSpace(buf, next + 1), window, stopAt, recorder);
      events.push({ type: "elements", ranges: part.ranges });
      if (part.next !== undefined) return { start, events, next: { kind: "element", at: part.next } };
      events.push({ type: "close", end: part.end });
      end = part.end;
    } else {
      end = valueEnd(buf, next);
      events.push({ type: "member", key, start: next, end });
    }
    i = skipSpace(buf, end);
    if (buf[i] === COMMA) {
      i = skipSpace(buf, i + 1);
      continue;
    }
    if (buf[i] === CLOSE_BRACE) return { start, events, next: { kind: "end" } };
    throw new JsonLayoutError("expected ',' or '}'", i);
  }
}

/** The layout of a document from its parts, in order, each starting where the one before stopped. */
export function assembleLayout(parts: readonly LayoutPart[], recorder?: ElementRecorder): JsonObjectLayout {
  const members: MemberRange[] = [];
  const pieces = new Map<string, ElementRanges[]>();
  let open: { key: string; start: number } | undefined;
  for (const part of parts) {
    if (part.start.kind === "element" && !open) throw new Error("a layout part starts inside an array that no part opened");
    for (const event of part.events) {
      if (event.type === "member") members.push({ key: event.key, start: event.start, end: event.end });
      else if (event.type === "open") {
        open = { key: event.key, start: event.start };
        pieces.set(event.key, []);
      } else if (event.type === "elements") pieces.get(open!.key)!.push(event.ranges);
      else {
        members.push({ key: open!.key, start: open!.start, end: event.end });
        open = undefined;
      }
    }
  }
  const elements = new Map<string, ElementRanges>();
  for (const [key, list] of pieces) elements.set(key, concatRanges(list, recorder));
  return { members, elements };
}

function concatRanges(list: readonly ElementRanges[], recorder: ElementRecorder | undefined): ElementRanges {
  if (list.length === 1) return list[0];
  const records = recorder && list.every((r) => r.records !== undefined) ? { records: recorder.join(list.map((r) => r.records)) } : {};
  let count = 0;
  for (const r of list) count += r.count;
  const starts = new Float64Array(count);
  const ends = new Float64Array(count);
  let at = 0;
  for (const r of list) {
    starts.set(r.starts.subarray(0, r.count), at);
    ends.set(r.ends.subarray(0, r.count), at);
    at += r.count;
  }
  return { starts, ends, count, ...records };
}

/**
 * Elements of an array from `first` (an element's first byte, or the closing bracket) on:
 * `end` is the offset after the closing bracket, unless an element starts at or past `stopAt`
 * first (then `next` is its offset).
 */
function arrayElements(whole: Uint8Array, first: number, window: number, stopAt: number, recorder: ElementRecorder | undefined): { ranges: ElementRanges; end: number; next?: undefined } | { ranges: ElementRanges; next: number } {
  let starts = new Float64Array(1024);
  let ends = new Float64Array(1024);
  let count = 0;
  const ranges = (): ElementRanges => (recorder ? { starts, ends, count, records: recorder.take(count) } : { starts, ends, count });
  // Offsets are relative to `view`, which starts at `base` of the whole document.
  let base = 0;
  let view = whole;
  const rebase = (at: number, span = window) => {
    base = at;
    view = whole.subarray(at, Math.min(whole.length, at + span));
  };
  const atEnd = () => base + view.length >= whole.length;
  const relocated = (error: unknown) => (error instanceof JsonLayoutError && base > 0 ? new JsonLayoutError(error.reason, error.offset + base) : error);
  // Whitespace from `rel` on, across views.
  const skip = (rel: number): number => {
    rel = skipSpace(view, rel);
    while (rel >= view.length && !atEnd()) {
      rebase(base + rel);
      rel = skipSpace(view, 0);
    }
    return rel;
  };
  rebase(first);
  let i = skip(0);
  if (view[i] === CLOSE_BRACKET) return { ranges: ranges(), end: base + i + 1 };
  for (;;) {
    if (base + i >= stopAt) return { ranges: ranges(), next: base + i };
    // Past half the view, the view moves to this element (and one stretched for a long
    // element shrinks back).
    if (i > window / 2 || view.length > window) {
      rebase(base + i);
      i = 0;
    }
    let end: number;
    for (let span = window; ; ) {
      let found = -1;
      try {
        found = recorder ? recorder.element(view, i, count) : valueEnd(view, i);
      } catch (error) {
        if (!(error instanceof JsonLayoutError) || atEnd()) throw relocated(error);
      }
      // A value that reaches the view's end (a number, or one not closed in it) may go on past it.
      if (found >= 0 && (found < view.length || atEnd())) {
        end = found;
        break;
      }
      if (i > 0) {
        rebase(base + i);
        i = 0;
      } else rebase(base, (span *= 2));
    }
    if (count === starts.length) {
      const grownStarts = new Float64Array(count * 2);
      grownStarts.set(starts);
      starts = grownStarts;
      const grownEnds = new Float64Array(count * 2);
      grownEnds.set(ends);
      ends = grownEnds;
    }
    starts[count] = base + i;
    ends[count] = base + end;
    count++;
    i = skip(end);
    if (view[i] === COMMA) {
      i = skip(i + 1);
      continue;
    }
    if (view[i] === CLOSE_BRACKET) return { ranges: ranges(), end: base + i + 1 };
    throw new JsonLayoutError("expected ',' or ']'", base + i);
  }
}

/**
 * The string value of member `key` of the object in buf[start, end), read without parsing
 * the rest of the object; undefined when absent or not a string. Member names are compared
 * as bytes (no string made of each): this runs once per element of a 1M-account snapshot.
 */
export function memberString(buf: Uint8Array, start: number, end: number, key: string): string | undefined {
  const at = memberValue(buf, start, end, key);
  return at >= 0 && buf[at] === QUOTE ? stringAt(buf, at, stringEnd(buf, at)) : undefined;
}

/** Where the value of member `key` of the object in buf[start, end) starts; -1 when absent (or not an object). */
export function memberValue(buf: Uint8Array, start: number, end: number, key: string): number {
  const wanted = encodedKey(key);
  let i = skipSpace(buf, start);
  if (buf[i] !== OPEN_BRACE) return -1;
  i = skipSpace(buf, i + 1);
  while (i < end && buf[i] !== CLOSE_BRACE) {
    if (buf[i] !== QUOTE) throw new JsonLayoutError("expected a member name", i);
    const nameEnd = stringEnd(buf, i);
    const colon = skipSpace(buf, nameEnd);
    if (buf[colon] !== COLON) throw new JsonLayoutError("expected ':'", colon);
    const next = skipSpace(buf, colon + 1);
    if (nameIs(buf, i, nameEnd, wanted, key)) return next;
    i = skipSpace(buf, valueEnd(buf, next));
    if (buf[i] === COMMA) i = skipSpace(buf, i + 1);
  }
  return -1;
}

const encodedKeys = new Map<string, Uint8Array>();

function encodedKey(key: string): Uint8Array {
  let bytes = encodedKeys.get(key);
  if (!bytes) encodedKeys.set(key, (bytes = Buffer.from(key, "utf8")));
  return bytes;
}

/** Whether the quoted name buf[start, end) is `key` (its UTF-8 bytes `wanted`). */
function nameIs(buf: Uint8Array, start: number, end: number, wanted: Uint8Array, key: string): boolean {
  for (let k = start + 1; k < end - 1; k++) if (buf[k] === BACKSLASH) return stringAt(buf, start, end) === key;
  if (end - start - 2 !== wanted.length) return false;
  for (let k = 0; k < wanted.length; k++) if (buf[start + 1 + k] !== wanted[k]) return false;
  return true;
}

/** The JSON string buf[start, end) (quotes included) decoded. */
export function stringAt(buf: Uint8Array, start: number, end: number): string {
  const bytes = buf instanceof Buffer ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let k = start + 1; k < end - 1; k++) if (buf[k] === BACKSLASH) return JSON.parse(bytes.toString("utf8", start, end)) as string;
  return bytes.toString("utf8", start + 1, end - 1);
}
