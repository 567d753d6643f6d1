// regex.globs_match: do two "glob-like" regular expressions (literals, '.', [classes], and the
// quantifiers * + ?) accept a common string? Decided by a breadth-first walk over pairs of
// positions in both patterns, which is the product automaton of the two.
import { BuiltinError } from "./builtin-error.ts";

interface CharSet {
  negated: boolean;
  ranges: [number, number][]; // inclusive code point ranges; [] with negated = any
}
interface Token {
  set: CharSet;
  quant: "1" | "?" | "*";
}

function parse(pattern: string): Token[] {
  const cps = Array.from(pattern);
  const tokens: Token[] = [];
  const bad = (i: number, what: string): never => {
    throw new BuiltinError("regex.globs_match", `input:${pattern}, pos:${i}, ${what}: the input provided is invalid`);
  };
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    let set: CharSet;
    if (c === ".") set = { negated: true, ranges: [] };
    else if (c === "\\") {
      if (i + 1 >= cps.length) bad(i, "trailing escape");
      const e = cps[++i].codePointAt(0)!;
      set = { negated: false, ranges: [[e, e]] };
    } else if (c === "[") {
      const start = i;
      let negated = false;
      const ranges: [number, number][] = [];
      i++;
      if (cps[i] === "^") {
        negated = true;
        i++;
      }
      while (i < cps.length && cps[i] !== "]") {
        let lo = cps[i];
        if (lo === "\\") lo = cps[++i] ?? bad(i, "trailing escape");
        let hi = lo;
        if (cps[i + 1] === "-" && cps[i + 2] !== undefined && cps[i + 2] !== "]") {
          hi = cps[i + 2] === "\\" ? (cps[i + 3] ?? bad(i, "trailing escape")) : cps[i + 2];
          i += cps[i + 2] === "\\" ? 3 : 2;
        }
        ranges.push([lo.codePointAt(0)!, hi.codePointAt(0)!]);
        i++;
      }
      if (i >= cps.length) bad(start, "set-open '[' with no closing ']'");
      set = { negated, ranges };
    } else if (c === "]") return bad(i, "set-close ']' with no preceding '['");
    else if (c === "*" || c === "+" || c === "?") return bad(i, `quantifier '${c}' with no preceding character`);
    else {
      const cp = c.codePointAt(0)!;
      set = { negated: false, ranges: [[cp, cp]] };
    }
    const q = cps[i + 1];
    if (q === "*" || q === "?") {
      tokens.push({ set, quant: q });
      i++;
    } else if (q === "+") {
      tokens.push({ set, quant: "1" }, { set, quant: "*" });
      i++;
    } else tokens.push({ set, quant: "1" });
  }
  return tokens;
}

const contains = (s: CharSet, cp: number) => s.ranges.some(([lo, hi]) => cp >= lo && cp <= hi) !== s.negated;

/** Two sets intersect iff some candidate (a range end, one past it, or an arbitrary char) is in both. */
function intersects(a: CharSet, b: CharSet): boolean {
  const candidates = new Set<number>([0x61, 0x30, 0x1, 0x10ffff]);
  for (const [lo, hi] of [...a.ranges, ...b.ranges]) [lo, hi, lo - 1, hi + 1].forEach((x) => x >= 0 && candidates.add(x));
  for (const cp of candidates) if (contains(a, cp) && contains(b, cp)) return true;
  return false;
}

export function globsMatch(p1: unknown, p2: unknown): boolean {
  if (typeof p1 !== "string" || typeof p2 !== "string") throw new BuiltinError("regex.globs_match", "operands must be strings");
  const a = parse(p1);
  const b = parse(p2);
  const seen = new Set<string>();
  const queue: [number, number][] = [[0, 0]];
  while (queue.length > 0) {
    const [i, j] = queue.pop()!;
    const key = `${i},${j}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === a.length && j === b.length) return true;
    // Optional tokens can be skipped without consuming input.
    if (i < a.length && a[i].quant !== "1") queue.push([i + 1, j]);
    if (j < b.length && b[j].quant !== "1") queue.push([i, j + 1]);
    if (i < a.length && j < b.length && intersects(a[i].set, b[j].set)) {
      const nextI = a[i].quant === "*" ? [i, i + 1] : [i + 1];
      const nextJ = b[j].quant === "*" ? [j, j + 1] : [j + 1];
      for (const x of nextI) for (const y of nextJ) queue.push([x, y]);
    }
  }
  return false;
}
