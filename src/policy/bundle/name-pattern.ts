// `--ignore PATTERN` of `policy test|check|eval`, as OPA's loader applies it: the pattern is
// matched against the base name of every file and folder found below a given path (never the
// path given itself), with Go's filepath.Match syntax: `*` any run of characters, `?` one
// character, `[a-z]` / `[^a-z]` a class, `\` escapes. A matching folder is skipped whole.
import { UserInputError } from "../../errors.ts";

/** A test of base names against the pattern; a malformed pattern is a usage error. */
export function namePattern(pattern: string): (name: string) => boolean {
  const re = new RegExp(`^${translate(pattern)}$`, "su");
  return (name) => re.test(name);
}

function translate(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "*") out += "[^/]*";
    else if (c === "?") out += "[^/]";
    else if (c === "\\") {
      if (i + 1 >= pattern.length) bad(pattern, "it ends with an escape");
      out += escapeChar(pattern[++i]);
    } else if (c === "[") {
      const end = classEnd(pattern, i);
      out += characterClass(pattern, pattern.slice(i + 1, end));
      i = end;
    } else out += escapeChar(c);
  }
  return out;
}

/** The index of the `]` closing the class that opens at `start`. */
function classEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === "^") i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === "\\") i++;
    else if (pattern[i] === "]" && i > start + 1 + (pattern[start + 1] === "^" ? 1 : 0)) return i;
  }
  return bad(pattern, "a [ has no closing ]");
}

function characterClass(pattern: string, body: string): string {
  const negated = body.startsWith("^");
  let out = "";
  for (let i = negated ? 1 : 0; i < body.length; i++) {
    let c = body[i];
    if (c === "\\") c = body[++i];
    if (body[i + 1] === "-" && i + 2 < body.length) {
      let hi = body[i + 2];
      i += 2;
      if (hi === "\\") hi = body[++i];
      if (hi < c) bad(pattern, `the range ${c}-${hi} is empty`);
      out += `${escapeClassChar(c)}-${escapeClassChar(hi)}`;
    } else out += escapeClassChar(c);
  }
  if (out === "") bad(pattern, "a character class is empty");
  return `[${negated ? "^/" : ""}${out}]`;
}

function escapeChar(c: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

function escapeClassChar(c: string): string {
  return /[\\\]^[-]/.test(c) ? `\\${c}` : c;
}

function bad(pattern: string, why: string): never {
  throw new UserInputError(`bad pattern "${pattern}": ${why}`, { field: "--ignore" });
}
