// Glob patterns of exceptions.yaml: `*` any run of characters, `?` one character, all else
// literal (subject ids contain `:`, `/`, `.`, `=` and `,`, so no other syntax is special).
// Matched without regular expressions, in time linear in the subject for a given pattern: the
// pattern is split at `*` into segments, the first anchored at the start, the last at the end,
// and each one between found at its leftmost place after the previous one (the classic
// greedy argument: a leftmost match never rules out a later one). A pattern such as
// `*?*?*?*?*?*?*?*?*?#` cannot make matching backtrack.

/** Characters of a segment; `null` stands for `?` (any one character). */
type Segment = (string | null)[];

export interface SubjectPattern {
  readonly source: string;
  test(subject: string): boolean;
}

export function compileGlob(pattern: string): SubjectPattern {
  const parts = pattern.split("*").map((part): Segment => Array.from(part, (ch) => (ch === "?" ? null : ch)));
  const starred = parts.length > 1;
  return {
    source: pattern,
    test(subject: string): boolean {
      const text = Array.from(subject);
      if (!starred) return text.length === parts[0].length && matchesAt(parts[0], text, 0);
      const first = parts[0];
      const last = parts[parts.length - 1];
      if (text.length < first.length + last.length) return false;
      if (!matchesAt(first, text, 0) || !matchesAt(last, text, text.length - last.length)) return false;
      let from = first.length;
      const end = text.length - last.length;
      for (let i = 1; i < parts.length - 1; i++) {
        const at = indexOf(parts[i], text, from, end);
        if (at < 0) return false;
        from = at + parts[i].length;
      }
      return true;
    },
  };
}

function matchesAt(segment: Segment, text: string[], at: number): boolean {
  for (let i = 0; i < segment.length; i++) {
    const ch = segment[i];
    if (ch !== null && text[at + i] !== ch) return false;
  }
  return true;
}

/** Leftmost position in [from, end - segment.length] where the segment matches, or -1. */
function indexOf(segment: Segment, text: string[], from: number, end: number): number {
  for (let at = from; at + segment.length <= end; at++) if (matchesAt(segment, text, at)) return at;
  return -1;
}

/** Literal (non-wildcard) characters of a pattern: how specific it is. */
export function literalLength(pattern: string): number {
  return Array.from(pattern).filter((ch) => ch !== "*" && ch !== "?").length;
}

/** The name the callers used when this was a RegExp; the result has the same `test`. */
export const globToRegExp = compileGlob;
