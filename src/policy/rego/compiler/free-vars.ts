// The vars a term mentions outside closures, for the passes that ask which vars an expression
// needs or binds (name resolution declares them, safety orders by them, test rewrites read the
// keys' vars). Built on the generic AST visitor.
import type { Expr, Term } from "../ast.ts";
import { isComprehension, visitTerm } from "../visit.ts";

/**
 * Adds to `out` every var `t` mentions outside closures (comprehension bodies): ref operands
 * included, a call's operator not. A template string's expressions are looked into only when
 * `templateExpr` is given, which then collects each expression's vars itself (name resolution
 * declares the vars written there; safety treats a template string as a value computed later).
 */
export function freeVars(t: Term, out: Set<string>, templateExpr?: (e: Expr, out: Set<string>) => void): void {
  visitTerm(t, {
    term: (x) => {
      const v = x.value;
      if (v.type === "var") out.add(v.value);
      else if (v.type === "call") {
        v.value.slice(1).forEach((a) => freeVars(a, out, templateExpr));
        return false;
      }
      if (v.type === "templatestring") return templateExpr !== undefined;
      return !isComprehension(x);
    },
    expr: (e) => {
      templateExpr?.(e, out);
      return false;
    },
  });
}
