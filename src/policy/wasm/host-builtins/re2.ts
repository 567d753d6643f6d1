// RE2 (Go regexp) patterns as JavaScript RegExps. Translated: (?P<name>...), \A, \z, \Q...\E,
// POSIX classes [[:alpha:]], leading flag groups (?i) (?s) (?m). Not translatable and therefore
// rejected or different: RE2 guarantees linear time (JS backtracks), (?U) ungreedy mode, and
// JS accepts some constructs RE2 rejects (lookaround, backreferences) - those are refused here.
import { BuiltinError } from "./builtin-error.ts";

const POSIX: Record<string, string> = {
  alnum: "0-9A-Za-z", alpha: "A-Za-z", ascii: "\\x00-\\x7F", blank: "\\t ", cntrl: "\\x00-\\x1F\\x7F", digit: "0-9",
  graph: "!-~", lower: "a-z", print: " -~", punct: "!-\\/:-@\\[-`{-~", space: "\\t\\n\\v\\f\\r ", upper: "A-Z",
  word: "0-9A-Za-z_", xdigit: "0-9A-Fa-f",
};

const cache = new Map<string, RegExp>();

/** Compile an RE2 pattern; `global` adds the g flag for iteration. Throws BuiltinError when invalid. */
export function re2(builtin: string, pattern: string, global = false): RegExp {
  const key = `${global ? "g" : ""}\u0000${pattern}`;
  const hit = cache.get(key);
  if (hit) {
    hit.lastIndex = 0;
    return hit;
  }
  if (/\(\?[=!]|\(\?<[=!]|\\[1-9]/.test(pattern)) throw new BuiltinError(builtin, `error parsing regexp: invalid or unsupported Perl syntax in ${JSON.stringify(pattern)}`);
  let src = pattern;
  let flags = "";
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1].includes("U")) throw new BuiltinError(builtin, "ungreedy mode (?U) is not supported");
    flags += lead[1];
    src = src.slice(lead[0].length);
  }
  src = src
    .replace(/\\Q([\s\S]*?)(\\E|$)/g, (_m, lit: string) => lit.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&"))
    .replace(/\(\?P</g, "(?<")
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, cls: string) => (POSIX[cls] && !neg ? POSIX[cls] : m))
    .replace(/\\A/g, "^")
    .replace(/\\z/g, "(?![\\s\\S])");
  let re: RegExp;
  try {
    re = new RegExp(src, `${flags}${global ? "g" : ""}u`);
  } catch {
    try {
      re = new RegExp(src, `${flags}${global ? "g" : ""}`);
    } catch (err) {
      throw new BuiltinError(builtin, `error parsing regexp: ${(err as Error).message}`);
    }
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, re);
  return re;
}

/** Go's FindAll semantics: successive non-overlapping matches; an empty match right after a match is skipped. */
export function findAll(re: RegExp, s: string, n: number): RegExpExecArray[] {
  const g = new RegExp(re.source, re.flags.includes("g") ? re.flags : `${re.flags}g`);
  const out: RegExpExecArray[] = [];
  let prevEnd = -1;
  let pos = 0;
  while (pos <= s.length && (n < 0 || out.length < n)) {
    g.lastIndex = pos;
    const m = g.exec(s);
    if (!m) break;
    const end = m.index + m[0].length;
    if (m[0].length === 0) {
      if (m.index !== prevEnd) out.push(m);
      // step over one code point
      pos = m.index + (s.codePointAt(m.index)! > 0xffff ? 2 : 1);
    } else {
      out.push(m);
      pos = end;
    }
    prevEnd = end;
  }
  return out;
}
