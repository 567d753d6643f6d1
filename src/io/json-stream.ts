// Streams selected values out of a large JSON document (a Graph users.json of 300k users, a
// snapshot of 750 MB: more than a JavaScript string can hold) without building it whole: the
// text arrives in chunks, a small scanner tracks the structure, and each selected value's text
// is parsed on its own. The scanner checks the text it does not collect against JSON's grammar
// (JSON.parse checks what it collects): on anything malformed it throws JsonStreamError with the
// offset, and callers report the error with the ordinary parser's file:line:col where the file
// is small enough for it.
import { QUOTE, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, COMMA, COLON } from "./json-chars.ts";

/** An open container: its key in the parent object (objects remember their current key). */
export interface Frame {
  kind: "object" | "array";
  /** For objects: the key whose value is being read. */
  key: string | null;
  /** For objects: the keys read so far and where each starts (a repeated key is an error). */
  seen?: Map<string, number>;
}

export type ValueKind = "object" | "array" | "scalar";

/** Decides, when a value starts, whether to collect it; `stack` holds its open ancestors. */
export type ItemMatcher = (stack: readonly Frame[], kind: ValueKind) => boolean;

/** A collected value and the key of the root object it sits under (null under a root array). */
export interface StreamedValue {
  value: unknown;
  rootKey: string | null;
  depth: number;
  /** Offset (characters from the start of the text) where the value starts, for error positions. */
  offset: number;
}

export class JsonStreamError extends Error {
  /** Offset (in characters from the start of the text) where the scanner gave up. */
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/** A key repeated in one object: JSON.parse would keep the last value silently. */
export class JsonDuplicateKeyError extends JsonStreamError {
  readonly key: string;
  readonly firstOffset: number;
  constructor(key: string, offset: number, firstOffset: number) {
    super(`duplicate key ${JSON.stringify(key)}`, offset);
    this.key = key;
    this.firstOffset = firstOffset;
  }
}

const BOM = 0xfeff;

const indexOrEnd = (text: string, search: string, from: number) => {
  const at = text.indexOf(search, from);
  return at === -1 ? text.length : at;
};

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const endsToken = (c: number) => isSpace(c) || c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET;

/** A JSON number or literal, whole (the text of one token, as the scanner cuts it). */
const SCALAR_TOKEN = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;
// The token is not quoted back: a file's text may hold data that must not reach a log.
const NOT_A_SCALAR = "not a JSON value (a number, true, false, null, or a quoted string)";

// What the grammar allows next, outside strings and tokens. The scanner checks every part of the
// text against it, not only the values it collects: the parts it skips (an annotation, a member
// credgov does not read) must be JSON too, or a broken file would read as a whole one.
const VALUE = 0; // after `:` or `,` in an array, and at the start
const VALUE_OR_CLOSE = 1; // after `[`
const KEY = 2; // after `,` in an object
const KEY_OR_CLOSE = 3; // after `{`
const COLON_NEXT = 4; // after a key
const AFTER_VALUE = 5; // `,` or the container's close
const DONE = 6; // after the root value
const EXPECTED = ["expected a value", "expected a value or ']'", "expected a key in double quotes", "expected a key in double quotes or '}'", "expected ':' after the key", "expected ',' or a closing bracket", "expected nothing after the JSON value"];

/**
 * Yields every value `isItem` accepts, parsed, with where it sits. `onKey` sees each object key
 * as it is read, with the open containers, so callers can check the document's shape.
 */
export async function* streamJsonValues(
  chunks: AsyncIterable<string>,
  isItem: ItemMatcher,
  onKey?: (stack: readonly Frame[], key: string) => void,
): AsyncGenerator<StreamedValue> {
  const stack: Frame[] = [];
  let expect = VALUE;
  let offset = 0; // characters before the current chunk
  let inString = false;
  let escaped = false;
  let stringIsKey = false;
  // A string's text is kept when it is a key (duplicates are looked for) or when no collected
  // value holds it (nothing else would check it); JSON.parse checks the collected ones.
  let keepString = false;
  let stringStart: number;
  let stringStartOffset = 0; // offset of the current string's opening quote in the whole text
  let stringPieces: string[] = [];
  // The value being collected: text pieces from earlier chunks, start in this chunk, depth, kind.
  let capturing = false;
  let captureDepth = 0;
  let captureKind = "object" as ValueKind;
  let captureRootKey: string | null = null;
  let captureOffset = 0;
  let pieces: string[] = [];
  let pieceStart: number;
  // A number or literal being read; its text is kept when no collected value holds it.
  let inToken = false;
  let tokenStart = 0;
  let tokenStartOffset = 0;
  let tokenPieces: string[] = [];

  const afterValue = () => (stack.length === 0 ? DONE : AFTER_VALUE);

  for await (const chunk of chunks) {
    pieceStart = 0;
    stringStart = 0;
    tokenStart = 0;
    const found: StreamedValue[] = [];
    const fail = (message: string, at: number): never => {
      throw new JsonStreamError(message, offset + at);
    };
    /** The character at `at` is not what the grammar allows next. */
    const unexpected = (at: number): never => fail(`unexpected ${JSON.stringify(chunk[at])}: ${EXPECTED[expect]}`, at);
    const begin = (kind: ValueKind, at: number) => {
      if (capturing || !isItem(stack, kind)) return;
      capturing = true;
      captureDepth = stack.length;
      captureKind = kind;
      captureRootKey = stack[0]?.key ?? null;
      captureOffset = offset + at;
      pieces = [];
      pieceStart = at;
    };
    const end = (at: number) => {
      pieces.push(chunk.slice(pieceStart, at));
      capturing = false;
      try {
        found.push({ value: JSON.parse(pieces.join("")), rootKey: captureRootKey, depth: captureDepth, offset: captureOffset });
      } catch {
        fail("value is not valid JSON", at);
      }
      pieces = [];
    };
    /** The token that started at tokenStart (or in an earlier chunk) ends before `at`. */
    const endToken = (at: number) => {
      inToken = false;
      if (capturing) {
        if (stack.length === captureDepth && captureKind === "scalar") end(at);
      } else {
        tokenPieces.push(chunk.slice(tokenStart, at));
        const token = tokenPieces.join("");
        tokenPieces = [];
        if (!SCALAR_TOKEN.test(token)) throw new JsonStreamError(NOT_A_SCALAR, tokenStartOffset);
      }
      expect = afterValue();
    };
    // Next quote and backslash at or after the scan position: strings are most of the text,
    // so they are crossed with indexOf instead of one character at a time.
    let nextQuote = -1;
    let nextBackslash = -1;
    let i = 0;
    if (inToken) {
      // A token cut by the chunk boundary goes on here.
      while (i < chunk.length && !endsToken(chunk.charCodeAt(i))) i++;
      if (i < chunk.length) endToken(i);
    }
    for (; i < chunk.length; i++) {
      if (inString) {
        if (escaped) {
          escaped = false;
          continue;
        }
        if (nextQuote < i) nextQuote = indexOrEnd(chunk, '"', i);
        if (nextBackslash < i) nextBackslash = indexOrEnd(chunk, "\\", i);
        if (nextBackslash < nextQuote) {
          // Skip the escaped character (it may be the first of the next chunk).
          i = nextBackslash + 1;
          if (i >= chunk.length) escaped = true;
          continue;
        }
        if (nextQuote === chunk.length) {
          i = chunk.length;
          continue;
        }
        i = nextQuote;
        inString = false;
        let raw = "";
        if (keepString) {
          // Most strings lie in one chunk: no pieces to join.
          raw = stringPieces.length === 0 ? chunk.slice(stringStart, i) : stringPieces.join("") + chunk.slice(stringStart, i);
          if (stringPieces.length > 0) stringPieces = [];
          if (!capturing) checkString(raw, stringStartOffset);
        }
        if (stringIsKey) {
          // Keys are compared decoded; escapes are rare enough to decode with the parser.
          const key = raw.includes("\\") ? decodeKey(raw, stringStartOffset) : raw;
          const frame = stack[stack.length - 1];
          const first = frame.seen!.get(key);
          if (first !== undefined) throw new JsonDuplicateKeyError(key, stringStartOffset, first);
          frame.seen!.set(key, stringStartOffset);
          frame.key = key;
          onKey?.(stack, key);
          expect = COLON_NEXT;
        } else {
          if (capturing && captureKind === "scalar" && stack.length === captureDepth) end(i + 1);
          expect = afterValue();
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      switch (c) {
        case QUOTE:
          if (expect === KEY || expect === KEY_OR_CLOSE) stringIsKey = true;
          else if (expect === VALUE || expect === VALUE_OR_CLOSE) stringIsKey = false;
          else unexpected(i);
          inString = true;
          stringStart = i + 1;
          stringStartOffset = offset + i;
          if (!stringIsKey) begin("scalar", i);
          keepString = stringIsKey || !capturing;
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          if (expect !== VALUE && expect !== VALUE_OR_CLOSE) unexpected(i);
          if (c === OPEN_BRACE) {
            begin("object", i);
            stack.push({ kind: "object", key: null, seen: new Map() });
            expect = KEY_OR_CLOSE;
          } else {
            begin("array", i);
            stack.push({ kind: "array", key: null });
            expect = VALUE_OR_CLOSE;
          }
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET: {
          const top = stack.pop();
          if (!top || top.kind !== (c === CLOSE_BRACE ? "object" : "array")) fail("unbalanced brackets", i);
          if (expect !== AFTER_VALUE && expect !== (c === CLOSE_BRACE ? KEY_OR_CLOSE : VALUE_OR_CLOSE)) unexpected(i);
          expect = afterValue();
          if (capturing && captureKind !== "scalar" && stack.length === captureDepth) end(i + 1);
          break;
        }
        case COMMA:
          if (expect !== AFTER_VALUE) unexpected(i);
          expect = stack[stack.length - 1].kind === "object" ? KEY : VALUE;
          break;
        case COLON:
          if (expect !== COLON_NEXT) unexpected(i);
          expect = VALUE;
          break;
        default:
          if (isSpace(c)) break;
          // A byte-order mark is read as one only where the text starts.
          if (c === BOM && offset + i === 0) break;
          if (expect !== VALUE && expect !== VALUE_OR_CLOSE) unexpected(i);
          // A number or literal starts.
          if (!capturing && isItem(stack, "scalar")) begin("scalar", i);
          inToken = true;
          tokenStart = i;
          tokenStartOffset = offset + i;
          while (i + 1 < chunk.length && !endsToken(chunk.charCodeAt(i + 1))) i++;
          if (i + 1 === chunk.length) break;
          // Inside a collected value (the common case) JSON.parse checks the token later.
          if (capturing && stack.length > captureDepth) {
            inToken = false;
            expect = AFTER_VALUE;
          } else endToken(i + 1);
      }
    }
    if (capturing) pieces.push(chunk.slice(pieceStart));
    if (inString && keepString) stringPieces.push(chunk.slice(stringStart));
    if (inToken && !capturing) tokenPieces.push(chunk.slice(tokenStart));
    offset += chunk.length;
    for (const value of found) yield value;
  }
  if (inToken) {
    // A token at the very end of the text (a bare top-level number).
    if (capturing) {
      capturing = false;
      const text = pieces.join("");
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        throw new JsonStreamError("value is not valid JSON", offset);
      }
      yield { value, rootKey: captureRootKey, depth: captureDepth, offset: captureOffset };
    } else if (!SCALAR_TOKEN.test(tokenPieces.join(""))) throw new JsonStreamError(NOT_A_SCALAR, tokenStartOffset);
    expect = afterValue();
  }
  if (inString || stack.length > 0 || expect !== DONE) throw new JsonStreamError("unexpected end of input", offset);
}

/** A key's raw text with escapes, decoded (a collected value's keys are checked here first). */
function decodeKey(raw: string, quoteOffset: number): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    checkString(raw, quoteOffset);
    throw new JsonStreamError("invalid string", quoteOffset);
  }
}

/** A string's raw text (between its quotes) as JSON allows it: no control character, known escapes. */
function checkString(raw: string, quoteOffset: number): void {
  let control = 0;
  while (control < raw.length && raw.charCodeAt(control) >= 0x20) control++;
  if (control < raw.length) {
    const code = raw.charCodeAt(control).toString(16).toUpperCase().padStart(4, "0");
    throw new JsonStreamError(`control character U+${code} in string (JSON allows it only escaped, as \\u${code})`, quoteOffset + 1 + control);
  }
  if (!raw.includes("\\")) return;
  try {
    JSON.parse(`"${raw}"`);
  } catch {
    throw new JsonStreamError("invalid escape in a string", quoteOffset);
  }
}

/** The objects `isItem` accepts, parsed (the Graph collection case). */
export async function* streamJsonItems(
  chunks: AsyncIterable<string>,
  isItem: (stack: readonly Frame[]) => boolean,
  onKey?: (stack: readonly Frame[], key: string) => void,
): AsyncGenerator<unknown> {
  for await (const found of streamJsonValues(chunks, (stack, kind) => kind === "object" && isItem(stack), onKey)) yield found.value;
}
