// regex.* builtins with Go regexp semantics on a linear-time RE2 engine (re2.ts): FindAll's
// handling of empty matches, Go's $1/${name} expansion, Go's Split.
import { RE2JS } from "re2js";
import { BuiltinError, int, str } from "./builtin-error.ts";
import { globsMatch } from "./glob-intersection.ts";
import { findAll, re2, type Re2Match } from "./re2.ts";

export function regexMatch(pattern: unknown, value: unknown): boolean {
  return re2("regex.match", str("regex.match", pattern, 1)).test(str("regex.match", value, 2));
}

export function regexIsValid(pattern: unknown): boolean {
  if (typeof pattern !== "string") return false;
  try {
    re2("regex.is_valid", pattern);
    return true;
  } catch {
    return false;
  }
}

/** Go's Regexp.Expand: $1, ${1}, $name, ${name}, $$; unknown or unmatched groups expand to "". */
function expand(template: string, m: Re2Match): string {
  return template.replace(/\$(\$|\{(\w+)\}|(\w+))/g, (_all, whole: string, braced?: string, bare?: string) => {
    if (whole === "$") return "$";
    const name = braced ?? bare!;
    if (/^\d+$/.test(name)) return m.groups[Number(name)] ?? "";
    return m.named[name] ?? "";
  });
}

export function regexReplace(s: unknown, pattern: unknown, value: unknown): string {
  const input = str("regex.replace", s, 1);
  const re = re2("regex.replace", str("regex.replace", pattern, 2));
  const template = str("regex.replace", value, 3);
  let out = "";
  let last = 0;
  for (const m of findAll(re, input, -1)) {
    out += input.slice(last, m.index) + expand(template, m);
    last = m.end;
  }
  return out + input.slice(last);
}

export function findN(pattern: unknown, value: unknown, n: unknown): string[] {
  const re = re2("regex.find_n", str("regex.find_n", pattern, 1));
  return findAll(re, str("regex.find_n", value, 2), int("regex.find_n", n, 3)).map((m) => m.groups[0]);
}

export function findAllStringSubmatchN(pattern: unknown, value: unknown, n: unknown): string[][] {
  const name = "regex.find_all_string_submatch_n";
  const re = re2(name, str(name, pattern, 1));
  return findAll(re, str(name, value, 2), int(name, n, 3)).map((m) => m.groups);
}

/** regex.template_match: literal text with regular expressions between the delimiters, matched whole. */
export function templateMatch(template: unknown, value: unknown, start: unknown, end: unknown): boolean {
  const name = "regex.template_match";
  const t = str(name, template, 1);
  const s = str(name, value, 2);
  const open = str(name, start, 3);
  const close = str(name, end, 4);
  if (Array.from(open).length !== 1 || Array.from(close).length !== 1) throw new BuiltinError(name, "delimiters must be single characters");
  let src = "";
  let depth = 0;
  let part = "";
  for (const c of Array.from(t)) {
    if (c === open) {
      if (depth === 0) {
        src += RE2JS.quote(part);
        part = "";
      } else part += c;
      depth++;
    } else if (c === close && depth > 0) {
      depth--;
      if (depth === 0) {
        src += `(${re2(name, part).pattern()})`;
        part = "";
      } else part += c;
    } else part += c;
  }
  if (depth !== 0) throw new BuiltinError(name, `unbalanced braces in template ${JSON.stringify(t)}`);
  src += RE2JS.quote(part);
  return re2(name, `^${src}$`).test(s);
}

/** Go's Regexp.Split(s, -1): the texts between the matches (OPA's regex.split). */
export function regexSplit(pattern: unknown, value: unknown): string[] {
  const re = re2("regex.split", str("regex.split", pattern, 1));
  const s = str("regex.split", value, 2);
  if (re.pattern().length > 0 && s.length === 0) return [""];
  const parts: string[] = [];
  let begin = 0;
  let end = 0;
  for (const m of findAll(re, s, -1)) {
    end = m.index;
    if (m.end !== 0) parts.push(s.slice(begin, end));
    begin = m.end;
  }
  if (end !== s.length) parts.push(s.slice(begin));
  return parts;
}

export const regexBuiltins = {
  "regex.match": regexMatch,
  re_match: regexMatch, // deprecated name
  "regex.is_valid": regexIsValid,
  "regex.replace": regexReplace,
  "regex.find_n": findN,
  "regex.find_all_string_submatch_n": findAllStringSubmatchN,
  "regex.template_match": templateMatch,
  "regex.globs_match": globsMatch,
  "regex.split": regexSplit,
};
