// The operands of a negated expression that need evaluation run before the negation, as OPA's
// compiler arranges it: its RewriteExprTerms stage moves nested calls out of every expression
// (`not f(g(x))` -> `g(x, t); not f(t)`, also a call heading a ref: `not f(x).a`), and its
// RewriteDynamicTerms stage binds each ref argument of a call to a fresh var first
// (`not startswith(input.name, "a")` -> `t = input.name; not startswith(t, "a")`; the same for
// the dynamic keys of any ref, `not input.xs[y.k]`). So in OPA an undefined operand makes the
// whole body undefined, not the negation true (OPA issue 1877 documents this); policies written
// against OPA depend on it, e.g. `not accept(rule, value, params.ranges)` with no ranges.
// Only negated expressions are rewritten: elsewhere moving an operand out changes nothing.
// The refs of a unification (`not input.x = 1`, and `not input.x == 1`, which OPA's RewriteEquals
// stage turns into one) and of a plain ref (`not input.x`) stay inside.
import type { Body, Expr, Term, Value } from "../ast.ts";
import { isCallExpr, isEveryExpr, isSomeExpr, isTermExpr } from "../ast.ts";
import { bodyLocals, opName } from "./resolve-names.ts";
import { eqExpr, varTerm } from "./term-build.ts";

type Fresh = () => string;

/** `body` with the operands of its negated expressions (in nested bodies too) evaluated before them. */
export function hoistNegatedOperands(body: Body, fresh: Fresh): Body {
  const generated: string[] = [];
  const out: Body = [];
  for (const e of body) {
    const expr = withNestedBodies(e, fresh);
    if (!expr.negated || isSomeExpr(expr) || isEveryExpr(expr)) {
      out.push(expr);
      continue;
    }
    const hoister = new Hoister(fresh, expr);
    const rewritten = hoister.rewrite(expr);
    for (const h of hoister.hoisted) {
      out.push(h);
      generated.push(((h.terms as Term[])[1].value as { value: string }).value);
    }
    out.push(rewritten);
  }
  const reindexed = out.map((e, index) => (e.index === index ? e : { ...e, index }));
  bodyLocals.set(reindexed, new Set([...(bodyLocals.get(body) ?? []), ...generated]));
  return reindexed;
}

/**
 * OPA's expandExprTerm on one term: each call in it (innermost first) becomes an expression of
 * its own binding a fresh var, returned with the term that reads those vars and the new locals.
 */
export function expandNestedCalls(t: Term, fresh: Fresh, at: Expr): { term: Term; exprs: Expr[]; locals: string[] } {
  const hoister = new Hoister(fresh, at);
  const term = hoister.calls(t);
  const locals = hoister.hoisted.map((h) => {
    const out = (h.terms as Term[])[(h.terms as Term[]).length - 1];
    return (out.value as { value: string }).value;
  });
  return { term, exprs: hoister.hoisted, locals };
}

/** Collects the expressions that bind a negated expression's operands, in OPA's order. */
class Hoister {
  readonly hoisted: Expr[] = [];
  private readonly fresh: Fresh;
  private readonly original: Expr;

  constructor(fresh: Fresh, original: Expr) {
    this.fresh = fresh;
    this.original = original;
  }

  rewrite(e: Expr): Expr {
    if (isCallExpr(e)) {
      const [op, ...args] = e.terms;
      // Nested calls first (RewriteExprTerms runs before RewriteDynamicTerms), then the refs.
      const expanded = args.map((a) => this.calls(a));
      // OPA's RewriteEquals stage (just before RewriteDynamicTerms) makes `a == b` a unification.
      const name = opName(op);
      const unification = name === "eq" || (name === "equal" && args.length === 2);
      return { ...e, terms: [op, ...expanded.map((a) => (unification ? this.refKeys(a) : this.dynamics(a)))] };
    }
    if (isTermExpr(e)) return { ...e, terms: this.refKeys(this.calls(e.terms)) };
    return e;
  }

  /** OPA's expandExprTerm: a call becomes a fresh var bound by the call, innermost first. */
  calls(t: Term): Term {
    const v = t.value;
    switch (v.type) {
      case "call": {
        const [op, ...args] = v.value;
        const out = varTerm(this.fresh(), t.location);
        this.hoisted.push(this.generated([op, ...args.map((a) => this.calls(a)), out]));
        return out;
      }
      case "ref": {
        const [head, ...rest] = v.value;
        const operands = rest.map((x) => this.calls(x));
        // A ref whose subject is a call (`f(x).a`) reads the call's result from a var.
        return this.with(t, { type: "ref", value: [head.value.type === "call" ? this.calls(head) : head, ...operands] });
      }
      case "array":
      case "set":
        return this.with(t, { ...v, value: v.value.map((x) => this.calls(x)) });
      case "object":
        return this.with(t, { ...v, value: v.value.map(([k, x]) => [this.calls(k), this.calls(x)] as [Term, Term]) });
      default:
        return t;
    }
  }

  /** OPA's rewriteDynamicsOne: a ref (after its own dynamic keys) is bound to a fresh var. */
  private dynamics(t: Term): Term {
    const v = t.value;
    switch (v.type) {
      case "ref": {
        const ref = this.refKeys(t);
        return this.bind(ref);
      }
      case "var":
        return v.value === "input" ? this.bind(t) : t;
      case "array":
      case "set":
        return this.with(t, { ...v, value: v.value.map((x) => this.dynamics(x)) });
      case "object":
        return this.with(t, { ...v, value: v.value.map(([k, x]) => [this.dynamics(k), this.dynamics(x)] as [Term, Term]) });
      default:
        return t;
    }
  }

  /** OPA's rewriteDynamicsInTerm: only a ref's keys that need evaluation are bound first. */
  private refKeys(t: Term): Term {
    const v = t.value;
    if (v.type !== "ref") return t;
    const [head, ...rest] = v.value;
    return this.with(t, { type: "ref", value: [head, ...rest.map((x) => this.dynamics(x))] });
  }

  private bind(t: Term): Term {
    const out = varTerm(this.fresh(), t.location);
    this.hoisted.push({ ...eqExpr(out, t, t.location), with: this.original.with });
    return out;
  }

  /** A generated call expression under the negated expression's `with` modifiers. */
  private generated(terms: Term[]): Expr {
    const { location, with: mods } = this.original;
    return { terms, negated: false, with: mods, index: 0, generated: true, location };
  }

  private with(t: Term, value: Value): Term {
    return { ...t, value };
  }
}

/** The expression with the bodies of its comprehensions and `every` rewritten too. */
function withNestedBodies(e: Expr, fresh: Fresh): Expr {
  if (isSomeExpr(e)) return e;
  if (isEveryExpr(e)) {
    const ev = e.terms;
    return { ...e, terms: { ...ev, domain: nestedTerm(ev.domain, fresh), body: hoistNegatedOperands(ev.body, fresh) } };
  }
  if (isCallExpr(e)) return { ...e, terms: e.terms.map((t) => nestedTerm(t, fresh)) };
  return { ...e, terms: nestedTerm(e.terms as Term, fresh) };
}

/** A term with the bodies of the comprehensions in it rewritten. */
export function nestedTerm(t: Term, fresh: Fresh): Term {
  const v = t.value;
  switch (v.type) {
    case "ref":
    case "array":
    case "set":
    case "call": {
      const value = v.value.map((x) => nestedTerm(x, fresh));
      return value.every((x, i) => x === v.value[i]) ? t : { ...t, value: { ...v, value } as Value };
    }
    case "object": {
      const value = v.value.map(([k, x]) => [nestedTerm(k, fresh), nestedTerm(x, fresh)] as [Term, Term]);
      return value.every(([k, x], i) => k === v.value[i][0] && x === v.value[i][1]) ? t : { ...t, value: { ...v, value } };
    }
    case "arraycomprehension":
    case "setcomprehension": {
      return { ...t, value: { ...v, term: nestedTerm(v.term, fresh), body: hoistNegatedOperands(v.body, fresh) } };
    }
    case "objectcomprehension": {
      return { ...t, value: { ...v, key: nestedTerm(v.key, fresh), value: nestedTerm(v.value, fresh), body: hoistNegatedOperands(v.body, fresh) } };
    }
    default:
      return t;
  }
}
