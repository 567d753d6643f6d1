// glob.match and glob.quote_meta with the semantics of the gobwas/glob library OPA uses:
// `*` any run of non-delimiter characters, `**` any run, `?` one non-delimiter character,
// `[abc]` `[a-z]` `[!...]` classes, `{a,b}` alternatives, `\` escapes.
// Compiled to an RE2 pattern and matched by the linear-time engine, never a backtracking RegExp.
import { RE2JS } from "re2js";
import { BuiltinError, str, typeOf } from "./builtin-error.ts";

const cache = new Map<string, RE2JS>();
const escapeRe = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");

/** Compile a glob to an anchored RE2 pattern; throws BuiltinError on a malformed pattern. */
export function globToRegExp(pattern: string, delimiters: string[]): RE2JS {
  const key = `${pattern}\u0000${delimiters.join("")}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const notDelim = delimiters.length > 0 ? `[^${delimiters.map(escapeRe).join("")}]` : "[\\s\\S]";
  const cps = Array.from(pattern);
  let i = 0;
  const fail = (msg: string): never => {
    throw new BuiltinError("glob.match", `unexpected error: ${msg}`);
  };
  // Parse a sequence until one of `stops` (used inside {...}).
  const seq = (stops: string): string => {
    let out = "";
    while (i < cps.length && !stops.includes(cps[i])) {
      const c = cps[i++];
      if (c === "\\") {
        if (i >= cps.length) fail("unexpected end of pattern after escape");
        out += escapeRe(cps[i++]);
      } else if (c === "*") {
        if (cps[i] === "*") {
          while (cps[i] === "*") i++;
          out += "[\\s\\S]*";
        } else out += `${notDelim}*`;
      } else if (c === "?") out += notDelim;
      else if (c === "[") {
        let negate = false;
        if (cps[i] === "!") {
          negate = true;
          i++;
        }
        let cls = "";
        let closed = false;
        while (i < cps.length) {
          const d = cps[i++];
          if (d === "]") {
            closed = true;
            break;
          }
          if (cps[i] === "-" && cps[i + 1] !== undefined && cps[i + 1] !== "]") {
            const hi = cps[i + 1];
            if (hi < d) fail("invalid range");
            cls += `${escapeRe(d)}-${escapeRe(hi)}`;
            i += 2;
          } else cls += escapeRe(d);
        }
        if (!closed || cls === "") fail("unclosed character class");
        out += `[${negate ? "^" : ""}${cls}]`;
      } else if (c === "{") {
        const alternatives: string[] = [];
        for (;;) {
          alternatives.push(seq(",}"));
          if (i >= cps.length) fail("unclosed alternatives");
          if (cps[i++] === "}") break;
        }
        out += `(?:${alternatives.join("|")})`;
      } else if (c === "}" || c === "]") {
        fail(`unexpected ${c}`);
      } else out += escapeRe(c);
    }
    return out;
  };
  const body = seq("");
  const re = RE2JS.compile(`^(?:${body})$`);
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

export function globMatch(pattern: unknown, delimiters: unknown, match: unknown): boolean {
  const name = "glob.match";
  const p = str(name, pattern, 1);
  let delims: string[];
  if (delimiters === null) delims = []; // null: no delimiters at all
  else if (Array.isArray(delimiters)) {
    delims = delimiters.map((d) => {
      if (typeof d !== "string") throw new BuiltinError(name, `operand 2 must be array of strings but got array containing ${typeOf(d)}`);
      return d;
    });
    if (delims.length === 0) delims = ["."]; // an empty list means the default delimiter
  } else throw new BuiltinError(name, `operand 2 must be one of {array, null} but got ${typeOf(delimiters)}`);
  const s = str(name, match, 3);
  return globToRegExp(p, delims.flatMap((d) => Array.from(d))).test(s);
}

export function quoteMeta(pattern: unknown): string {
  return str("glob.quote_meta", pattern, 1).replace(/[*?\\[\]{}]/g, "\\$&");
}

export const globBuiltins = {
  "glob.match": globMatch,
  "glob.quote_meta": quoteMeta,
};
