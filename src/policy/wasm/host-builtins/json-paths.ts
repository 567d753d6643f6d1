// The path operand of json.remove / json.filter: a set or array of "a/b/c" strings or
// ["a", "b", "c"] segment arrays, as one trie.
import { BuiltinError, typeOf } from "./builtin-error.ts";

export interface PathTrie {
  end: boolean; // a path ends here: the whole subtree is selected
  children: Map<string, PathTrie>;
}

export function pathTrie(name: string, paths: unknown): PathTrie {
  if (!Array.isArray(paths)) throw new BuiltinError(name, `operand 2 must be one of {set, array} but got ${typeOf(paths)}`);
  const root: PathTrie = { end: false, children: new Map() };
  for (const p of paths) {
    let segments: string[];
    if (typeof p === "string") segments = p.replace(/^\//, "").split("/").filter((s, i, all) => !(s === "" && all.length === 1));
    else if (Array.isArray(p)) segments = p.map((s) => (typeof s === "string" ? s : JSON.stringify(s)));
    else throw new BuiltinError(name, `operand 2 must be one of {set, array} containing string paths or array of path segments but got ${typeOf(p)}`);
    let node = root;
    for (const s of segments) {
      let next = node.children.get(s);
      if (!next) node.children.set(s, (next = { end: false, children: new Map() }));
      node = next;
    }
    node.end = true;
  }
  return root;
}
