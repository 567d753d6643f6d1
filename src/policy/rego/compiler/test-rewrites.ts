// Compile passes that only `policy test` runs, as OPA's test runner does:
//   - duplicateTestNames: several definitions of one test rule are separate tests; the second
//     and later ones are renamed `test_x#01`, `test_x#02`, ... (on the parsed modules);
//   - markTestCases: a parametrised test (`test_x[tc.note] if { some tc in cases; ... }`)
//     reports each case it enters: `internal.test_case([key...])` goes right after the
//     expressions that bind the key, so a case whose assertions fail is still known;
//   - coverage: `internal.coverage(file, row)` before every expression of a rule body and at its
//     end (the head), so the host can tell which lines evaluation reached.
import type { Body, Expr, Module, Term } from "../ast.ts";
import { isEveryExpr } from "../ast.ts";
import type { CompiledRule } from "./model.ts";
import { exprTerms } from "./safety.ts";
import { freeVars } from "./free-vars.ts";
import { operatorName, refTerm, stringTerm, varTerm } from "./term-build.ts";
import { visitTerm } from "../visit.ts";

const TEST_PREFIX = "test_";

function packageKey(m: Module): string {
  return m.package.path.map((t) => (t.value.type === "string" ? t.value.value : "")).join(".");
}

/** Renames the second and later definitions of each test rule (in module order). */
export function duplicateTestNames(modules: Module[]): void {
  const seen = new Map<string, number>();
  for (const m of modules) {
    for (const rule of m.rules) {
      const h = rule.head;
      if (h.args || h.ref.length !== 1 || !h.name.startsWith(TEST_PREFIX) || rule.default) continue;
      const key = `${packageKey(m)}.${h.name}`;
      const n = seen.get(key) ?? 0;
      seen.set(key, n + 1);
      if (n === 0) continue;
      const name = `${h.name}#${String(n).padStart(2, "0")}`;
      const first = h.ref[0];
      rule.head = { ...h, name, ref: [{ ...first, value: { type: "var", value: name } }] };
    }
  }
}

export function isTestPath(path: string[]): boolean {
  return path.at(-1)?.startsWith(TEST_PREFIX) === true;
}

function callExpr(name: string, args: Term[], at: Expr | { location: Expr["location"] }): Expr {
  const [head, ...rest] = name.split(".");
  const loc = at.location;
  const op = refTerm([varTerm(head, loc), ...rest.map((r) => stringTerm(r, loc))], loc);
  return { terms: [op, ...args], negated: false, with: [], index: 0, generated: true, location: loc };
}

function reindex(body: Body): Body {
  return body.map((e, i) => (e.index === i ? e : { ...e, index: i }));
}

/**
 * A key the headTerms pass moved into the body (`test_x[tc.note]` -> `__local0__ = tc.note` at
 * the body's end) is marked by its own term again, so that the mark can go before the test's
 * assertions; a key with calls stays the local.
 */
function keyTerm(key: Term, body: Body): Term {
  if (key.value.type !== "var") return key;
  const name = key.value.value;
  for (const e of body) {
    if (!e.generated || !Array.isArray(e.terms) || e.terms.length !== 3 || operatorName(e.terms[0]) !== "eq") continue;
    const [lhs, rhs] = [e.terms[1], e.terms[2]];
    if (lhs.value.type === "var" && lhs.value.value === name) return hasCall(rhs) ? key : rhs;
  }
  return key;
}

function hasCall(t: Term): boolean {
  let found = false;
  visitTerm(t, { term: (x) => void (found ||= x.value.type === "call") });
  return found;
}

/** Inserts internal.test_case([keys]) after the first expressions that bind every key var. */
export function markTestCases(rule: CompiledRule): CompiledRule {
  if (rule.keys.length === 0 || rule.kind !== "object") return rule;
  const keys = rule.keys.map((k) => keyTerm(k, rule.body));
  const keyVars = new Set<string>();
  keys.forEach((k) => freeVars(k, keyVars));
  const seen = new Set<string>();
  let at = 0;
  if (keyVars.size > 0) {
    at = -1;
    for (let i = 0; i < rule.body.length && at < 0; i++) {
      const e = rule.body[i];
      if (!e.negated && !isEveryExpr(e)) exprTerms(e).forEach((t) => freeVars(t, seen));
      if ([...keyVars].every((v) => seen.has(v))) at = i + 1;
    }
    if (at < 0) return rule;
  }
  const mark = callExpr("internal.test_case", [{ value: { type: "array", value: keys }, location: rule.location }], rule);
  const body = reindex([...rule.body.slice(0, at), mark, ...rule.body.slice(at)]);
  return { ...rule, body };
}

/** Coverage probes: one before each expression (its line) and one at the end (the head's line). */
export function coverageProbes(rule: CompiledRule, probes: Map<string, Set<number>>): CompiledRule {
  const probe = (file: string, row: number, at: { location: Expr["location"] }): Expr => {
    const rows = probes.get(file) ?? new Set<number>();
    rows.add(row);
    probes.set(file, rows);
    return callExpr("internal.coverage", [stringTerm(file, at.location), { value: { type: "number", value: String(row) }, location: at.location }], at);
  };
  const body: Body = [];
  for (const e of rule.body) {
    if (!e.generated) body.push(probe(e.location.file, e.location.row, e));
    body.push(e);
  }
  body.push(probe(rule.location.file, rule.location.row, rule));
  return { ...rule, body: reindex(body), else: rule.else ? coverageProbes(rule.else, probes) : undefined };
}
