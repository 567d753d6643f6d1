// Maps a path inside the parsed YAML document (from an ajv instancePath or a key walk) back to
// the line and column of the node, so every config error points at the text the user wrote.
import { isPair, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Pair, type YAMLMap } from "yaml";
import type { PathSegment } from "../json-schema/json-pointer.ts";

export interface Position {
  line: number;
  column: number;
}

/** `sources[1].kind` */
export function formatField(segments: readonly PathSegment[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number" || /^\d+$/.test(s)) out += `[${s}]`;
    else out += out ? `.${s}` : s;
  }
  return out;
}

/**
 * Position of the node at `segments`. For a mapping value the position is its key
 * (`kind:`), which is where editors put the cursor; when the path does not exist (a missing
 * required key) the deepest existing node is used.
 */
export function locate(doc: Document, lineCounter: LineCounter, segments: readonly PathSegment[]): Position {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = pairsByKey(node).get(String(segment));
      if (!pair) break;
      offset = rangeStart(pair.key) ?? rangeStart(pair.value) ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)];
      if (item === undefined) break;
      offset = rangeStart(item) ?? offset;
      node = item;
    } else {
      break;
    }
  }
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

/** Each mapping's pairs by key, built on its first lookup: a file with thousands of problems in
 *  one mapping of thousands of keys locates each in constant time, not by a scan of the keys. */
const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) {
      // The first of a repeated key, as the scan it replaces found.
      if (isPair(p) && isScalar(p.key) && !index.has(String(p.key.value))) index.set(String(p.key.value), p);
    }
    pairIndexes.set(map, index);
  }
  return index;
}
