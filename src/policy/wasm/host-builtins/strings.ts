// String builtins with Go's strings-package semantics (code points, not UTF-16 units).
import { BuiltinError, int, obj, str, typeOf } from "./builtin-error.ts";
import { renderGoTemplate } from "./go-template.ts";

/** A string, set or array operand as a list of strings, with OPA's error wording. */
function stringOrCollection(name: string, v: unknown, pos: number): string[] {
  if (typeof v === "string") return [v];
  if (!Array.isArray(v)) throw new BuiltinError(name, `operand ${pos} must be one of {string, set, array} but got ${typeOf(v)}`);
  for (const item of v) {
    if (typeof item !== "string") throw new BuiltinError(name, `operand ${pos} must be array of strings but got array containing ${typeOf(item)}`);
  }
  return v as string[];
}

export function anyPrefixMatch(search: unknown, base: unknown): boolean {
  const name = "strings.any_prefix_match";
  const candidates = stringOrCollection(name, search, 1);
  const prefixes = stringOrCollection(name, base, 2);
  return candidates.some((s) => prefixes.some((p) => s.startsWith(p)));
}

export function anySuffixMatch(search: unknown, base: unknown): boolean {
  const name = "strings.any_suffix_match";
  const candidates = stringOrCollection(name, search, 1);
  const suffixes = stringOrCollection(name, base, 2);
  return candidates.some((s) => suffixes.some((p) => s.endsWith(p)));
}

/** Go's strings.NewReplacer: at each position the first pattern (in argument order) that matches wins. */
export function replaceN(patterns: unknown, value: unknown): string {
  const name = "strings.replace_n";
  const table = obj(name, patterns, 1);
  const s = str(name, value, 2);
  const pairs = Object.keys(table).sort().map((k) => {
    const v = table[k];
    if (typeof v !== "string") throw new BuiltinError(name, `operand 1 must be object[string: string] but got object containing ${typeOf(v)}`);
    return [k, v] as const;
  });
  let out = "";
  let i = 0;
  while (i <= s.length) {
    const hit = pairs.find(([old]) => s.startsWith(old, i));
    if (hit && hit[0] !== "") {
      out += hit[1];
      i += hit[0].length;
      continue;
    }
    if (hit) out += hit[1]; // an empty pattern matches between every character
    if (i < s.length) {
      const cp = s.codePointAt(i)!;
      out += String.fromCodePoint(cp);
      i += cp > 0xffff ? 2 : 1;
    } else break;
  }
  return out;
}

export function replace(x: unknown, old: unknown, nu: unknown): string {
  const s = str("replace", x, 1);
  const o = str("replace", old, 2);
  const n = str("replace", nu, 3);
  if (o === "") return [...s].reduce((acc, ch) => acc + n + ch, "") + n;
  return s.split(o).join(n);
}

export function split(x: unknown, delimiter: unknown): string[] {
  const s = str("split", x, 1);
  const d = str("split", delimiter, 2);
  return d === "" ? Array.from(s) : s.split(d);
}

const isGoSpace = (cp: number) =>
  cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0x85 || cp === 0xa0 || cp === 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
  cp === 0x2028 || cp === 0x2029 || cp === 0x202f || cp === 0x205f || cp === 0x3000;

function trimWith(s: string, drop: (cp: string) => boolean, left: boolean, right: boolean): string {
  const cps = Array.from(s);
  let start = 0;
  let end = cps.length;
  if (left) while (start < end && drop(cps[start])) start++;
  if (right) while (end > start && drop(cps[end - 1])) end--;
  return cps.slice(start, end).join("");
}

function cutset(name: string, s: unknown, c: unknown, left: boolean, right: boolean): string {
  const set = new Set(Array.from(str(name, c, 2)));
  return trimWith(str(name, s, 1), (cp) => set.has(cp), left, right);
}

export function reverse(x: unknown): string {
  return Array.from(str("strings.reverse", x, 1)).reverse().join("");
}

export function stringsCount(search: unknown, substring: unknown): number {
  const s = str("strings.count", search, 1);
  const sub = str("strings.count", substring, 2);
  if (sub === "") return Array.from(s).length + 1;
  return s.split(sub).length - 1;
}

export function renderTemplate(template: unknown, vars: unknown): string {
  const name = "strings.render_template";
  return renderGoTemplate(str(name, template, 1), obj(name, vars, 2));
}

export function indexOfN(haystack: unknown, needle: unknown): number[] {
  const s = Array.from(str("indexof_n", haystack, 1));
  const n = Array.from(str("indexof_n", needle, 2));
  if (n.length === 0) throw new BuiltinError("indexof_n", "empty search character"); // as OPA's builtinIndexOfN
  const out: number[] = [];
  for (let i = 0; i + n.length <= s.length; i++) {
    if (n.every((ch, j) => s[i + j] === ch)) out.push(i);
  }
  return out;
}

export function substring(x: unknown, start: unknown, length: unknown): string {
  const cps = Array.from(str("substring", x, 1));
  const from = int("substring", start, 2);
  const len = int("substring", length, 3);
  if (from < 0) throw new BuiltinError("substring", "negative offset");
  if (from >= cps.length) return "";
  return (len < 0 ? cps.slice(from) : cps.slice(from, from + len)).join("");
}

/**
 * OPA's strings.split_n: the first n parts (n < 0: the last -n; 0: none), the rest of the string
 * dropped, unlike Go's strings.SplitN; "" splits into code points.
 */
export function splitN(value: unknown, separator: unknown, count: unknown): string[] {
  const name = "strings.split_n";
  const s = str(name, value, 1);
  const sep = str(name, separator, 2);
  const n = int(name, count, 3);
  const all = sep === "" ? Array.from(s) : s.split(sep);
  return n >= 0 ? all.slice(0, n) : all.slice(Math.max(all.length + n, 0));
}

export const stringBuiltins = {
  "strings.split_n": splitN,
  "strings.any_prefix_match": anyPrefixMatch,
  "strings.any_suffix_match": anySuffixMatch,
  "strings.replace_n": replaceN,
  "strings.reverse": reverse,
  "strings.count": stringsCount,
  "strings.render_template": renderTemplate,
  replace,
  split,
  substring,
  indexof_n: indexOfN,
  trim: (s: unknown, c: unknown) => cutset("trim", s, c, true, true),
  trim_left: (s: unknown, c: unknown) => cutset("trim_left", s, c, true, false),
  trim_right: (s: unknown, c: unknown) => cutset("trim_right", s, c, false, true),
  trim_prefix: (s: unknown, p: unknown) => {
    const x = str("trim_prefix", s, 1);
    const pre = str("trim_prefix", p, 2);
    return x.startsWith(pre) ? x.slice(pre.length) : x;
  },
  trim_suffix: (s: unknown, p: unknown) => {
    const x = str("trim_suffix", s, 1);
    const suf = str("trim_suffix", p, 2);
    return suf !== "" && x.endsWith(suf) ? x.slice(0, x.length - suf.length) : x;
  },
  trim_space: (s: unknown) => trimWith(str("trim_space", s, 1), (cp) => isGoSpace(cp.codePointAt(0)!), true, true),
};
