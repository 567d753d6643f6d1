// A generic walk over the Rego AST (as OPA's ast.GenericVisitor): every term, expression and body
// of a module, rule, body or term is handed to the visitor in source order, parents before
// children. A visitor callback returning `false` skips that node's children (a pass that wants
// its own order for some node kind descends itself and returns false). The transformer below
// (as OPA's ast.GenericTransformer) rebuilds a tree with some terms replaced. The compile passes
// and the planner use these instead of a switch over every term kind of their own, so a new
// node kind changes this file only.
import type { Body, Expr, Module, Rule, Term, Value } from "./ast.ts";
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

/** Comprehensions are closures: passes that look at one body's own vars do not descend into them. */
export function isComprehension(t: Term): boolean {
  const k = t.value.type;
  return k === "arraycomprehension" || k === "setcomprehension" || k === "objectcomprehension";
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

/**
 * Replaces terms: `term` is called on every term, parents first; a returned term takes the
 * place of the original (its children are not visited), `undefined` means "keep it and look
 * inside". Nodes without a replacement below them are rebuilt as copies.
 */
export interface AstTransformer {
  term(t: Term): Term | undefined;
}

export function transformTerm(t: Term, tr: AstTransformer): Term {
  const replaced = tr.term(t);
  if (replaced !== undefined) return replaced;
  const x = t.value;
  const sub = (y: Term): Term => transformTerm(y, tr);
  let value: Value;
  switch (x.type) {
    case "ref":
    case "array":
    case "set":
    case "call":
      value = { ...x, value: x.value.map(sub) } as Value;
      break;
    case "object":
      value = { ...x, value: x.value.map(([k, y]) => [sub(k), sub(y)] as [Term, Term]) };
      break;
    case "arraycomprehension":
    case "setcomprehension":
      value = { ...x, term: sub(x.term), body: transformBody(x.body, tr) };
      break;
    case "objectcomprehension":
      value = { ...x, key: sub(x.key), value: sub(x.value), body: transformBody(x.body, tr) };
      break;
    case "templatestring":
      value = { ...x, parts: x.parts.map((p) => ("terms" in p ? transformExpr(p, tr) : sub(p))) };
      break;
    default:
      return t; // scalars and vars have no children
  }
  return { ...t, value };
}

export function transformExpr(e: Expr, tr: AstTransformer): Expr {
  const sub = (y: Term): Term => transformTerm(y, tr);
  let terms: Expr["terms"];
  if (isCallExpr(e)) terms = e.terms.map(sub);
  else if (isSomeExpr(e)) terms = { ...e.terms, symbols: e.terms.symbols.map(sub) };
  else if (isEveryExpr(e)) {
    const ev = e.terms;
    terms = { ...ev, ...(ev.key ? { key: sub(ev.key) } : {}), value: sub(ev.value), domain: sub(ev.domain), body: transformBody(ev.body, tr) };
  } else terms = sub(e.terms as Term);
  return { ...e, terms, with: e.with.map((w) => ({ ...w, target: sub(w.target), value: sub(w.value) })) };
}

export function transformBody(b: Body, tr: AstTransformer): Body {
  return b.map((e) => transformExpr(e, tr));
}

export function transformRule(r: Rule, tr: AstTransformer): Rule {
  const sub = (y: Term): Term => transformTerm(y, tr);
  const h = r.head;
  const head = {
    ...h,
    ref: h.ref.map(sub),
    ...(h.args ? { args: h.args.map(sub) } : {}),
    ...(h.key ? { key: sub(h.key) } : {}),
    ...(h.value ? { value: sub(h.value) } : {}),
  };
  return { ...r, head, body: transformBody(r.body, tr), ...(r.else ? { else: transformRule(r.else, tr) } : {}) };
}
