// A generic walk over the Rego AST (as OPA's ast.GenericVisitor): every term, expression and body
// of a module, rule, body or term is handed to the visitor in source order, parents before
// children. A visitor callback returning `false` skips that node's children. Passes that only
// read the tree use it instead of a switch over every term kind of their own.
import type { Body, Expr, Module, Rule, Term } from "./ast.ts";
import { isCallExpr, isEveryExpr, isSomeExpr } from "./ast.ts";

export interface AstVisitor {
  term?(t: Term): boolean | void;
  expr?(e: Expr): boolean | void;
  body?(b: Body): boolean | void;
}

export function visitTerm(t: Term, v: AstVisitor): void {
  if (v.term?.(t) === false) return;
  const x = t.value;
  switch (x.type) {
    case "ref":
    case "array":
    case "set":
    case "call":
      for (const y of x.value) visitTerm(y, v);
      return;
    case "object":
      for (const [k, y] of x.value) {
        visitTerm(k, v);
        visitTerm(y, v);
      }
      return;
    case "arraycomprehension":
    case "setcomprehension":
      visitTerm(x.term, v);
      visitBody(x.body, v);
      return;
    case "objectcomprehension":
      visitTerm(x.key, v);
      visitTerm(x.value, v);
      visitBody(x.body, v);
      return;
    case "templatestring":
      for (const p of x.parts) {
        if ("terms" in p) visitExpr(p, v);
        else visitTerm(p, v);
      }
      return;
    default:
      return;
  }
}

export function visitExpr(e: Expr, v: AstVisitor): void {
  if (v.expr?.(e) === false) return;
  if (isCallExpr(e)) e.terms.forEach((t) => visitTerm(t, v));
  else if (isSomeExpr(e)) e.terms.symbols.forEach((t) => visitTerm(t, v));
  else if (isEveryExpr(e)) {
    if (e.terms.key) visitTerm(e.terms.key, v);
    visitTerm(e.terms.value, v);
    visitTerm(e.terms.domain, v);
    visitBody(e.terms.body, v);
  } else visitTerm(e.terms as Term, v);
  for (const w of e.with) {
    visitTerm(w.target, v);
    visitTerm(w.value, v);
  }
}

export function visitBody(b: Body, v: AstVisitor): void {
  if (v.body?.(b) === false) return;
  for (const e of b) visitExpr(e, v);
}

export function visitRule(r: Rule, v: AstVisitor): void {
  for (let cur: Rule | undefined = r; cur; cur = cur.else) {
    cur.head.ref.forEach((t) => visitTerm(t, v));
    cur.head.args?.forEach((t) => visitTerm(t, v));
    if (cur.head.key) visitTerm(cur.head.key, v);
    if (cur.head.value) visitTerm(cur.head.value, v);
    visitBody(cur.body, v);
  }
}

export function visitModule(m: Module, v: AstVisitor): void {
  for (const r of m.rules) visitRule(r, v);
}
