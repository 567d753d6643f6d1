// A rule head's key or value that needs evaluation (a ref, a call, a comprehension) becomes the
// last expression of the rule's body, as OPA's RewriteRefsInHead and RewriteRuleHeadRefs stages
// do before the safety check: `by_id[id] := rules[id].rule` -> `by_id[id] := t if t = rules[id].rule`.
// The ref then binds `id` like any body expression (OPA accepts the rule; without the move `id`
// was unsafe), and an undefined value makes the branch undefined, so an `else` takes over.
import type { Body, Term } from "../ast.ts";
import type { CompiledRule } from "./model.ts";
import { requiresEval } from "./comprehension-terms.ts";
import { bodyLocals } from "./resolve-names.ts";
import { eqExpr, varTerm } from "./term-build.ts";

export function moveHeadTermsIntoBody(r: CompiledRule, fresh: () => string): CompiledRule {
  const rest = r.else ? moveHeadTermsIntoBody(r.else, fresh) : undefined;
  let body = r.body;
  const keys = r.keys.map((k) => {
    if (!requiresEval(k)) return k;
    const moved = moveIntoBody(k, body, fresh);
    body = moved.body;
    return moved.term;
  });
  let value = r.value;
  if (value && requiresEval(value)) {
    const moved = moveIntoBody(value, body, fresh);
    body = moved.body;
    value = moved.term;
  }
  if (body === r.body && rest === r.else) return r;
  return { ...r, keys, value, body, else: rest };
}

/**
 * `term` bound to a fresh var by a new last expression of `body` (OPA's equality factory). Its
 * calls stay in it: a call of a rule typed any (`use := g()`) or with an arity error is reported
 * and planned as it is in a body.
 */
function moveIntoBody(term: Term, body: Body, fresh: () => string): { term: Term; body: Body } {
  const name = fresh();
  const local = varTerm(name, term.location);
  const out = [...body, eqExpr(local, term, term.location, body.length)];
  bodyLocals.set(out, new Set([...(bodyLocals.get(body) ?? []), name]));
  return { term: local, body: out };
}
