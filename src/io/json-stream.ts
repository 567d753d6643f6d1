// Streams selected values out of a large JSON document (a Graph users.json of 300k users, a
// snapshot of 750 MB: more than a JavaScript string can hold) without building it whole: the
// text arrives in chunks, a small scanner tracks the structure, and each selected value's text
// is parsed on its own. Only well-formed input is expected here: on anything unexpected the
// scanner throws JsonStreamError with the offset, and callers report the error with the
// ordinary parser's file:line:col where the file is small enough for it.
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
  let offset = 0; // characters before the current chunk
  let inString = false;
  let escaped = false;
  let stringIsKey = false;
  let keyStart: number;
  let keyStartOffset = 0; // offset of the current key's opening quote in the whole text
  let keyPieces: string[] = [];
  let expectKey = false;
  // The value being collected: text pieces from earlier chunks, start in this chunk, depth, kind.
  let capturing = false;
  let captureDepth = 0;
  let captureKind = "object" as ValueKind;
  let captureRootKey: string | null = null;
  let captureOffset = 0;
  let inToken = false; // inside a collected number or literal
  let pieces: string[] = [];
  let pieceStart: number;

  for await (const chunk of chunks) {
    pieceStart = 0;
    keyStart = 0;
    const found: StreamedValue[] = [];
    const fail = (message: string, at: number): never => {
      throw new JsonStreamError(message, offset + at);
    };
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
      inToken = false;
      try {
        found.push({ value: JSON.parse(pieces.join("")), rootKey: captureRootKey, depth: captureDepth, offset: captureOffset });
      } catch {
        fail("value is not valid JSON", at);
      }
      pieces = [];
    };
    // Next quote and backslash at or after the scan position: strings are most of the text,
    // so they are crossed with indexOf instead of one character at a time.
    let nextQuote = -1;
    let nextBackslash = -1;
    for (let i = 0; i < chunk.length; i++) {
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
        if (stringIsKey) {
          keyPieces.push(chunk.slice(keyStart, i));
          const raw = keyPieces.join("");
          // Keys are compared decoded; escapes are rare enough to decode with the parser.
          const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
          keyPieces = [];
          const frame = stack[stack.length - 1];
          const keyOffset = keyStartOffset;
          const first = frame.seen!.get(key);
          if (first !== undefined) throw new JsonDuplicateKeyError(key, keyOffset, first);
          frame.seen!.set(key, keyOffset);
          frame.key = key;
          onKey?.(stack, key);
        } else if (capturing && captureKind === "scalar" && stack.length === captureDepth) {
          end(i + 1);
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (inToken) {
        if (!isSpace(c) && c !== COMMA && c !== CLOSE_BRACE && c !== CLOSE_BRACKET) continue;
        end(i);
      }
      switch (c) {
        case QUOTE:
          inString = true;
          stringIsKey = expectKey;
          expectKey = false;
          keyStart = i + 1;
          keyStartOffset = offset + i;
          if (!stringIsKey) begin("scalar", i);
          break;
        case OPEN_BRACE:
          begin("object", i);
          stack.push({ kind: "object", key: null, seen: new Map() });
          expectKey = true;
          break;
        case OPEN_BRACKET:
          begin("array", i);
          stack.push({ kind: "array", key: null });
          expectKey = false;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET: {
          const top = stack.pop();
          if (!top || top.kind !== (c === CLOSE_BRACE ? "object" : "array")) fail("unbalanced brackets", i);
          expectKey = false;
          if (capturing && captureKind !== "scalar" && stack.length === captureDepth) end(i + 1);
          break;
        }
        case COMMA:
          if (stack.length === 0) fail("unexpected comma", i);
          expectKey = stack[stack.length - 1].kind === "object";
          break;
        case COLON:
        case BOM:
          break;
        default:
          if (isSpace(c)) break;
          // A number or literal starts; only a collected one needs its end found.
          if (!capturing && isItem(stack, "scalar")) {
            begin("scalar", i);
            inToken = true;
          } else {
            while (i + 1 < chunk.length && !isSpace(chunk.charCodeAt(i + 1)) && !",]}".includes(chunk[i + 1])) i++;
          }
      }
    }
    if (capturing) pieces.push(chunk.slice(pieceStart));
    if (inString && stringIsKey) keyPieces.push(chunk.slice(keyStart));
    offset += chunk.length;
    for (const value of found) yield value;
  }
  if (inToken) {
    // A collected scalar at the very end of the text (a bare top-level number).
    capturing = false;
    const text = pieces.join("");
    try {
      yield { value: JSON.parse(text), rootKey: captureRootKey, depth: captureDepth, offset: captureOffset };
    } catch {
      throw new JsonStreamError("value is not valid JSON", offset);
    }
    return;
  }
  if (inString || stack.length > 0) throw new JsonStreamError("unexpected end of input", offset);
}

/** The objects `isItem` accepts, parsed (the Graph collection case). */
export async function* streamJsonItems(
  chunks: AsyncIterable<string>,
  isItem: (stack: readonly Frame[]) => boolean,
  onKey?: (stack: readonly Frame[], key: string) => void,
): AsyncGenerator<unknown> {
  for await (const found of streamJsonValues(chunks, (stack, kind) => kind === "object" && isItem(stack), onKey)) yield found.value;
}
