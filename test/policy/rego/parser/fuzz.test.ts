/**
 * Parser robustness: 10,000 random and mutated inputs with a fixed seed. Whatever the
 * input, parseModule/parseQuery must return (never throw), and every problem must be a
 * RegoError with a position inside the source.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RegoError } from "../../../../src/policy/rego/errors.ts";
import { parseModule, parseQuery } from "../../../../src/policy/rego/parser.ts";
import { loadCases, suiteAvailable } from "./conformance-suite.ts";

const SEED = 20251126;

const OWN_SAMPLES = [
  `package credgov.reset

import rego.v1
import data.lib.owners as owners

# METADATA
# title: Resets completed by users
# custom:
#   control: CG-RESET-001
deny contains finding if {
  some path in input.resetPaths
  path.requiresUserCompletion
  not path.mechanism in {"central-rotation", "gmsa"}
  finding := {"id": path.id, "msg": sprintf("%s needs a user", [path.credential])}
}

default allow := false

allow if count(deny) == 0

stale[acct.id] := days if {
  some acct in input.accounts
  days := (time.now_ns() - time.parse_rfc3339_ns(acct.lastRotated)) / 86400e9
  days > 365
} else := 0

f(x, y) := z if { z := x * 2 + y % 3 - -1 }

every_owner if {
  every k, v in input.owners { v != null; k != "" }
  xs := [x | some x in input.xs; x > 1]
  s := {x | x := input.ys[_]} | {1} & {2}
  o := {k: v | some k, v in input.m}
  q with input.user as "bob" with data.x as {}
  t := $"owner {input.owner} has {count(xs)} items"
  r := \`raw \\string\`
}
`,
  `package a.b["c"]
p := [1, 2.5, -3e2, null, true, false, set(), {}, {"k": [1]}]
q.r.s[t] contains u if { t := "x"; u := 1 }
`,
];

// Fragments that steer random input towards Rego's interesting corners.
const TOKENS = [
  "package", "import", "default", "if", "else", "contains", "some", "every", "in", "not", "with", "as", "true", "false", "null",
  "p", "x", "input", "data", "future.keywords", "rego.v1", "set()", ":=", "=", "==", "!=", "<", "<=", ">", ">=", "+", "-", "*",
  "/", "%", "&", "|", "{", "}", "[", "]", "(", ")", ".", ",", ";", ":", "\n", " ", "\t", "#", "# METADATA\n# title: t\n",
  '"s"', '"\\u00e9"', '"\\', "`raw`", "`", '$"a{x}b"', '$"', "{", "1", "-1", "1.5e3", ".5", "00", "_", "$", "@", "é", "\r\n",
];

function corpus(): string[] {
  const modules = suiteAvailable()
    ? loadCases()
        .flatMap((c) => c.modules)
        .filter((m) => m.length < 1500)
    : [];
  // A deterministic spread over the suite keeps the run fast and stable.
  const step = Math.max(1, Math.floor(modules.length / 200));
  return [...OWN_SAMPLES, ...modules.filter((_, i) => i % step === 0)];
}

/** Byte-level and token-level edits of a real module. */
type Mutation =
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; len: number }
  | { kind: "swap"; a: number; b: number; len: number }
  | { kind: "duplicate"; at: number; len: number };

function mutate(src: string, edits: Mutation[]): string {
  let s = src;
  for (const m of edits) {
    const at = (n: number): number => (s.length === 0 ? 0 : n % (s.length + 1));
    switch (m.kind) {
      case "insert":
        s = s.slice(0, at(m.at)) + m.text + s.slice(at(m.at));
        break;
      case "delete":
        s = s.slice(0, at(m.at)) + s.slice(at(m.at) + m.len);
        break;
      case "swap": {
        const [i, j] = [at(m.a), at(m.b)].sort((x, y) => x - y);
        const len = Math.min(m.len, j - i);
        s = s.slice(0, i) + s.slice(j, j + len) + s.slice(i + len, j) + s.slice(i, i + len) + s.slice(j + len);
        break;
      }
      case "duplicate":
        s = s.slice(0, at(m.at) + m.len) + s.slice(at(m.at), at(m.at) + m.len) + s.slice(at(m.at) + m.len);
        break;
    }
  }
  return s;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 4 })) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant("swap" as const), a: fc.nat(), b: fc.nat(), len: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), len: fc.integer({ min: 1, max: 30 }) }),
);

function checkParse(src: string): void {
  const file = "fuzz.rego";
  const r = parseModule(src, file);
  const lines = src.split("\n").length;
  if (r.errors.length === 0) {
    expect(r.module).toBeDefined();
  } else {
    expect(r.module).toBeUndefined();
    expect(r.errors.length).toBeLessThanOrEqual(10);
  }
  for (const e of r.errors) {
    expect(e).toBeInstanceOf(RegoError);
    expect(e.file).toBe(file);
    expect(e.code).toBe("rego_parse_error");
    expect(e.row).toBeGreaterThanOrEqual(1);
    expect(e.row).toBeLessThanOrEqual(lines + 1);
    expect(e.col).toBeGreaterThanOrEqual(1);
  }
  const q = parseQuery(src);
  for (const e of q.errors) expect(e).toBeInstanceOf(RegoError);
}

describe("parser fuzzing (fixed seed)", () => {
  const samples = corpus();

  it("never throws on 6,000 mutated real modules", () => {
    fc.assert(
      fc.property(fc.nat({ max: samples.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (i, edits) => {
        checkParse(mutate(samples[i], edits));
      }),
      { seed: SEED, numRuns: 6000 },
    );
  });

  it("never throws on 3,000 random token sequences", () => {
    const tokens = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((ts) => ts.join(" "));
    const glued = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((ts) => ts.join(""));
    fc.assert(
      fc.property(fc.oneof(tokens, glued), (body) => {
        checkParse(body);
        checkParse(`package fuzz\n${body}`);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it("never throws on 1,000 arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (s) => {
        checkParse(`package fuzz\n${s}`);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
