// Finds a key that appears twice in one JSON object. JSON.parse keeps the last value silently,
// so a snapshot, export or findings file with `"enabled": false, ..., "enabled": true` would be
// judged on whichever came last; credgov refuses it instead. Runs over text JSON.parse has
// already accepted, so it only tracks structure: strings are crossed with indexOf. The same walk
// can bound the nesting depth: JSON.parse takes thousands of levels, but what later walks the
// value recursively (JSON.stringify of a finding's evidence, a schema check) runs out of stack.
import { QUOTE, BACKSLASH, OPEN_BRACE, CLOSE_BRACE, OPEN_BRACKET, CLOSE_BRACKET, COMMA } from "./json-chars.ts";

export interface DuplicateKey {
  key: string;
  /** Offset (UTF-16 units) of the first occurrence's opening quote. */
  firstOffset: number;
  /** Offset of the repeated key's opening quote. */
  offset: number;
}

/** A container opened deeper than the limit allows. */
export interface NestedTooDeep {
  depth: number;
  /** Offset of the bracket or brace that goes past the limit. */
  offset: number;
}

/** The first repeated key in well-formed JSON text, if any. */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const problem = findStructureProblem(text, Infinity);
  return problem && "key" in problem ? problem : undefined;
}

/** The first repeated key, or the first container nested deeper than `maxDepth`, in well-formed JSON text. */
export function findStructureProblem(text: string, maxDepth: number): DuplicateKey | NestedTooDeep | undefined {
  // One entry per open container: the keys seen so far for an object, null for an array.
  const stack: Array<Map<string, number> | null> = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      let end = text.indexOf('"', i + 1);
      // A quote preceded by an odd number of backslashes is escaped.
      for (;;) {
        let slashes = 0;
        for (let j = end - 1; text.charCodeAt(j) === BACKSLASH; j--) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      i = end;
      if (expectKey) {
        expectKey = false;
        const raw = text.slice(start + 1, end);
        // Keys are compared decoded ("a" and "\u0061" are one key); escapes in keys are rare.
        const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
        const keys = stack[stack.length - 1]!;
        const first = keys.get(key);
        if (first !== undefined) return { key, firstOffset: first, offset: start };
        keys.set(key, start);
      }
    } else if (c === OPEN_BRACE) {
      if (stack.length >= maxDepth) return { depth: stack.length + 1, offset: i };
      stack.push(new Map());
      expectKey = true;
    } else if (c === OPEN_BRACKET) {
      if (stack.length >= maxDepth) return { depth: stack.length + 1, offset: i };
      stack.push(null);
      expectKey = false;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      stack.pop();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
    }
  }
  return undefined;
}
