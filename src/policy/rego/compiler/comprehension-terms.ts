// A comprehension's head term that needs evaluation (a ref, a call, a nested comprehension)
// becomes the last expression of its body, as OPA's RewriteComprehensionTerms stage does before
// its safety check: `[xs[k] | k != "b"]` -> `[t | k != "b"; t = xs[k]]`. The head then takes part
// in safety reordering like any body expression, so a var bound only by a ref in the head
// (`xs[k]`, `sprintf("%s", [ys[i]])`) is safe, and an undefined head skips the element.
import type { Body, Expr, Term, Value } from "../ast.ts";
import { isCallExpr, isEveryExpr, isSomeExpr, isTermExpr } from "../ast.ts";
import { bodyLocals } from "./resolve-names.ts";
import { eqExpr, varTerm } from "./term-build.ts";
import { expandNestedCalls } from "./negated-operands.ts";

type Fresh = () => string;

/** `body` with the comprehensions in it (at any depth) rewritten. */
export function rewriteComprehensionTermsInBody(body: Body, fresh: Fresh): Body {
  const out = body.map((e) => rewriteExpr(e, fresh));
  const locals = bodyLocals.get(body);
  if (locals) bodyLocals.set(out, locals);
  return out;
}

/** A term with the comprehensions in it rewritten (rule heads, `with` values). */
export function rewriteComprehensionTerms(t: Term, fresh: Fresh): Term {
  const v = t.value;
  switch (v.type) {
    case "ref":
    case "array":
    case "set":
    case "call":
      return { ...t, value: { ...v, value: v.value.map((x) => rewriteComprehensionTerms(x, fresh)) } as Value };
    case "object":
      return { ...t, value: { ...v, value: v.value.map(([k, x]) => [rewriteComprehensionTerms(k, fresh), rewriteComprehensionTerms(x, fresh)] as [Term, Term]) } };
    case "arraycomprehension":
    case "setcomprehension": {
      const body = rewriteComprehensionTermsInBody(v.body, fresh);
      const term = rewriteComprehensionTerms(v.term, fresh);
      const head = moveIntoBody(term, body, fresh);
      return { ...t, value: { ...v, term: head.term, body: head.body } };
    }
    case "objectcomprehension": {
      const body = rewriteComprehensionTermsInBody(v.body, fresh);
      // OPA moves the key first, then the value.
      const key = moveIntoBody(rewriteComprehensionTerms(v.key, fresh), body, fresh);
      const value = moveIntoBody(rewriteComprehensionTerms(v.value, fresh), key.body, fresh);
      return { ...t, value: { ...v, key: key.term, value: value.term, body: value.body } };
    }
    default:
      return t; // template strings keep their own expressions (planned where the template is)
  }
}

function rewriteExpr(e: Expr, fresh: Fresh): Expr {
  const withs = e.with.map((w) => ({ ...w, value: rewriteComprehensionTerms(w.value, fresh) }));
  if (isSomeExpr(e)) return { ...e, with: withs };
  if (isEveryExpr(e)) {
    const ev = e.terms;
    return { ...e, with: withs, terms: { ...ev, domain: rewriteComprehensionTerms(ev.domain, fresh), body: rewriteComprehensionTermsInBody(ev.body, fresh) } };
  }
  if (isCallExpr(e)) return { ...e, with: withs, terms: e.terms.map((t) => rewriteComprehensionTerms(t, fresh)) };
  if (isTermExpr(e)) return { ...e, with: withs, terms: rewriteComprehensionTerms(e.terms, fresh) };
  return e;
}

/** OPA's requiresEval: the term holds a ref (calls have one as operator) or a comprehension. */
export function requiresEval(t: Term): boolean {
  const v = t.value;
  switch (v.type) {
    case "ref":
    case "call":
    case "arraycomprehension":
    case "setcomprehension":
    case "objectcomprehension":
      return true;
    case "array":
    case "set":
      return v.value.some(requiresEval);
    case "object":
      return v.value.some(([k, x]) => requiresEval(k) || requiresEval(x));
    default:
      return false;
  }
}

/**
 * The head bound to a fresh var at the end of the body; its nested calls become expressions of
 * their own first (OPA's RewriteExprTerms), so reordering can run a call after the ref that binds
 * its argument (`{"p": f(i), "v": ys[i]}`).
 */
function moveIntoBody(term: Term, body: Body, fresh: Fresh): { term: Term; body: Body } {
  if (!requiresEval(term)) return { term, body };
  const local = varTerm(fresh(), term.location);
  const assign = eqExpr(local, term, term.location);
  const expanded = expandNestedCalls(term, fresh, assign);
  const generated = [...expanded.exprs, { ...assign, terms: [(assign.terms as Term[])[0], local, expanded.term] }];
  const out = [...body, ...generated].map((e, index) => (e.index === index ? e : { ...e, index }));
  bodyLocals.set(out, new Set([...(bodyLocals.get(body) ?? []), ...expanded.locals, (local.value as { value: string }).value]));
  return { term: local, body: out };
}
