// A rule head's key or value that needs evaluation (a ref, a call, a comprehension) becomes the
// last expression of the rule's body, as OPA's RewriteRefsInHead and RewriteRuleHeadRefs stages
// do before the safety check: `by_id[id] := rules[id].rule` -> `by_id[id] := t if t = rules[id].rule`.
// The ref then binds `id` like any body expression (OPA accepts the rule; without the move `id`
// was unsafe), and an undefined value makes the branch undefined, so an `else` takes over.
import type { Body, Term } from "../ast.ts";
import type { CompiledRule } from "./model.ts";
import { requiresEval } from "./comprehension-terms.ts";
import { expandNestedCalls } from "./negated-operands.ts";
import { bodyLocals } from "./resolve-names.ts";
import { eqExpr, operatorName, varTerm } from "./term-build.ts";
import { visitTerm } from "../visit.ts";

/** Arity of a callable (builtin, or function path with `data.` prefix), undefined when not a function. */
export type ArityOf = (name: string) => number | undefined;

export function moveHeadTermsIntoBody(r: CompiledRule, fresh: () => string, arityOf: ArityOf): CompiledRule {
  const rest = r.else ? moveHeadTermsIntoBody(r.else, fresh, arityOf) : undefined;
  let body = r.body;
  const keys = r.keys.map((k) => {
    if (!requiresEval(k)) return k;
    const moved = moveIntoBody(k, body, fresh, arityOf);
    body = moved.body;
    return moved.term;
  });
  let value = r.value;
  if (value && requiresEval(value)) {
    const moved = moveIntoBody(value, body, fresh, arityOf);
    body = moved.body;
    value = moved.term;
  }
  if (body === r.body && rest === r.else) return r;
  return { ...r, keys, value, body, else: rest };
}

/**
 * `term` bound to a fresh var by new last expressions of `body` (OPA's equality factory), its
 * calls first as expressions of their own (OPA's RewriteExprTerms), so that a ref in a call's
 * argument binds its vars (`results contains f(p, scripts[p][_])`). A term calling what is not a
 * function of that arity (a rule typed any, `use := g()`, or an arity error the call check
 * reports) keeps its calls, planned as they are in a body.
 */
function moveIntoBody(term: Term, body: Body, fresh: () => string, arityOf: ArityOf): { term: Term; body: Body } {
  const name = fresh();
  const local = varTerm(name, term.location);
  const assign = eqExpr(local, term, term.location);
  const expanded = callsExpandable(term, arityOf) ? expandNestedCalls(term, fresh, assign) : { term, exprs: [], locals: [] };
  const generated = [...expanded.exprs, eqExpr(local, expanded.term, term.location)];
  const out = [...body, ...generated].map((e, index) => (e.index === index ? e : { ...e, index }));
  bodyLocals.set(out, new Set([...(bodyLocals.get(body) ?? []), ...expanded.locals, name]));
  return { term: local, body: out };
}

function callsExpandable(t: Term, arityOf: ArityOf): boolean {
  let ok = true;
  visitTerm(t, {
    term: (x) => {
      if (x.value.type !== "call") return;
      const [op, ...args] = x.value.value;
      const fn = operatorName(op);
      if (fn === undefined || arityOf(fn) !== args.length) ok = false;
    },
  });
  return ok;
}
