// The path operand of json.remove / json.filter, as OPA's parsePath and pathsToObject read it: a
// set or array of "a/b/c" strings (leading slashes dropped, ~1 and ~0 unescaped, "" selects
// nothing) or of segment arrays such as ["a", 1], whose segments keep their values. An array
// element is named by its index as a string ("1", never the number 1), a set element by the
// element itself. Segments are keyed by their canonical Rego text, so "1" and 1 stay apart.
import { BuiltinError, typeOf } from "./builtin-error.ts";
import { canonicalKey } from "./rego-equal.ts";

export interface PathTrie {
  end: boolean; // a path ends here: the whole subtree is selected
  children: Map<string, PathTrie>;
}

/** The trie child a value's key, index or set element selects. */
export function childFor(trie: PathTrie, segment: unknown): PathTrie | undefined {
  return trie.children.get(canonicalKey(segment));
}

const unescape = (part: string): string => part.replace(/~1/g, "/").replace(/~0/g, "~");

export function pathTrie(name: string, paths: unknown): PathTrie {
  if (!Array.isArray(paths)) throw new BuiltinError(name, `operand 2 must be one of {set, array} but got ${typeOf(paths)}`);
  const root: PathTrie = { end: false, children: new Map() };
  for (const p of paths) {
    let segments: unknown[];
    if (typeof p === "string") segments = p === "" ? [] : p.replace(/^\/+/, "").split("/").map(unescape);
    else if (Array.isArray(p)) segments = p;
    else throw new BuiltinError(name, `operand 2 must be one of {set, array} containing string paths or array of path segments but got ${typeOf(p)}`);
    if (segments.length === 0) continue; // an empty path selects nothing (pathsToObject skips it)
    let node = root;
    for (const s of segments) {
      if (node.end) break; // a shorter path already selects the whole subtree
      const key = canonicalKey(s);
      let next = node.children.get(key);
      if (!next) node.children.set(key, (next = { end: false, children: new Map() }));
      node = next;
    }
    node.end = true;
    node.children.clear();
  }
  return root;
}
