// RE2 (Go regexp) patterns on re2js, a port of Go's regexp: the same syntax, the same error
// texts, and matching in time linear in the text whatever the pattern (no backtracking, so
// `(a+)+$` cannot stall an evaluation). Match positions are JavaScript string indices.
import { RE2JS, RE2JSException } from "re2js";
import { BuiltinError } from "./builtin-error.ts";

const cache = new Map<string, RE2JS>();

/** Compile an RE2 pattern; throws BuiltinError (Go's message) when invalid. */
export function re2(builtin: string, pattern: string): RE2JS {
  const hit = cache.get(pattern);
  if (hit) return hit;
  let re: RE2JS;
  try {
    re = RE2JS.compile(pattern);
  } catch (err) {
    if (err instanceof RE2JSException) throw new BuiltinError(builtin, err.message);
    throw err;
  }
  if (cache.size > 500) cache.clear();
  cache.set(pattern, re);
  return re;
}

/** One match: the whole text and each group ("" when a group took no part), with named groups. */
export interface Re2Match {
  index: number;
  end: number;
  groups: string[];
  named: Record<string, string>;
}

/**
 * Go's FindAllStringSubmatch(s, n): successive non-overlapping matches, an empty match right
 * after a match skipped; n < 0 means all.
 */
export function findAll(re: RE2JS, s: string, n: number): Re2Match[] {
  if (n === 0) return [];
  const names = Object.entries(re.namedGroups());
  const found = re.re2().findAllSubmatchIndex(s, n) as number[][] | null;
  return (found ?? []).map((idx) => {
    const groups: string[] = [];
    for (let g = 0; g < idx.length; g += 2) groups.push(idx[g] < 0 ? "" : s.slice(idx[g], idx[g + 1]));
    const named: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, g] of names) named[name] = groups[g] ?? "";
    return { index: idx[0], end: idx[1], groups, named };
  });
}
