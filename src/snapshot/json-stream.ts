// Streams the objects inside the collection arrays of a large JSON export (a Graph users.json
// of 300k users is hundreds of MB) without building the whole document: the text arrives in
// chunks, a small scanner tracks the structure, and each item's text is parsed on its own.
// Only well-formed input is expected here: on anything unexpected the scanner throws
// JsonStreamError and the caller re-reads the file with the ordinary parser, which reports
// the problem with file:line:col.

/** An open container: its key in the parent object (objects remember their current key). */
export interface Frame {
  kind: "object" | "array";
  /** For objects: the key whose value is being read. */
  key: string | null;
}

/** Decides, when an object starts, whether it is an item; `stack` holds its open ancestors. */
export type ItemMatcher = (stack: readonly Frame[]) => boolean;

export class JsonStreamError extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/**
 * Yields every object whose position `isItem` accepts, parsed. `onKey` sees each object key as
 * it is read, with the open containers, so callers can check the document's shape.
 */
export async function* streamJsonItems(
  chunks: AsyncIterable<string>,
  isItem: ItemMatcher,
  onKey?: (stack: readonly Frame[], key: string) => void,
): AsyncGenerator<unknown> {
  const stack: Frame[] = [];
  let inString = false;
  let escaped = false;
  let stringIsKey = false;
  let keyStart: number;
  let keyPieces: string[] = [];
  let expectKey = false;
  // The item being read: text pieces from earlier chunks, start offset in this chunk, depth.
  let capturing = false;
  let captureDepth = 0;
  let pieces: string[] = [];
  let pieceStart: number;

  for await (const chunk of chunks) {
    pieceStart = 0;
    keyStart = 0;
    const items: unknown[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (stringIsKey) {
            keyPieces.push(chunk.slice(keyStart, i));
            const key = keyPieces.join("");
            keyPieces = [];
            stack[stack.length - 1].key = key;
            onKey?.(stack, key);
          }
        }
        continue;
      }
      switch (c) {
        case QUOTE:
          inString = true;
          stringIsKey = expectKey;
          expectKey = false;
          keyStart = i + 1;
          break;
        case OPEN_BRACE:
          if (!capturing && isItem(stack)) {
            capturing = true;
            captureDepth = stack.length;
            pieces = [];
            pieceStart = i;
          }
          stack.push({ kind: "object", key: null });
          expectKey = true;
          break;
        case OPEN_BRACKET:
          stack.push({ kind: "array", key: null });
          expectKey = false;
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET: {
          const top = stack.pop();
          if (!top || top.kind !== (c === CLOSE_BRACE ? "object" : "array")) throw new JsonStreamError("unbalanced brackets");
          expectKey = false;
          if (capturing && stack.length === captureDepth) {
            pieces.push(chunk.slice(pieceStart, i + 1));
            capturing = false;
            try {
              items.push(JSON.parse(pieces.join("")));
            } catch {
              throw new JsonStreamError("item is not valid JSON");
            }
            pieces = [];
          }
          break;
        }
        case COMMA:
          if (stack.length === 0) throw new JsonStreamError("unexpected comma");
          expectKey = stack[stack.length - 1].kind === "object";
          break;
        default:
          // Whitespace, ':' and the characters of numbers and literals carry no structure.
          break;
      }
    }
    if (capturing) pieces.push(chunk.slice(pieceStart));
    if (inString && stringIsKey) keyPieces.push(chunk.slice(keyStart));
    for (const item of items) yield item;
  }
  if (inString || stack.length > 0) throw new JsonStreamError("unexpected end of input");
}
