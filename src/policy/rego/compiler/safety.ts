// Safety check with body reordering: every expression is moved after the expressions that bind
// its inputs (Rego bodies are unordered conjunctions); a var no ordering can bind is reported as
// rego_unsafe_var_error. The binding rules here mirror what the planner emits: ref operands and
// unification patterns bind, everything else must already be bound.
import type { Body, Expr, Term } from "../ast.ts";
import { isCallExpr, isEveryExpr, isTermExpr } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { bodyLocals, opName, patternVars } from "./resolve-names.ts";
import { freeVars } from "./free-vars.ts";
import { operatorName } from "./term-build.ts";
import { transformTerm, visitBody, visitTerm, type AstVisitor } from "../visit.ts";

export interface SafetyContext {
  errors: RegoError[];
  /** Arity of a callable (builtin or function path with `data.` prefix), undefined when unknown. */
  arityOf(name: string): number | undefined;
  /** Generated local -> the name the user wrote, for messages. */
  originalName(local: string): string;
}

type Bound = ReadonlySet<string>;

function isGlobalVar(name: string): boolean {
  return name === "input" || name === "data";
}

export class SafetyChecker {
  private readonly ctx: SafetyContext;
  constructor(ctx: SafetyContext) {
    this.ctx = ctx;
  }

  /** Reorders `body` given the vars bound before it; returns the new body and all vars bound after it. */
  reorder(body: Body, bound: Bound): { body: Body; bound: Set<string> } {
    const current = new Set(bound);
    const remaining = [...body];
    const out: Body = [];
    while (remaining.length > 0) {
      let picked = -1;
      let binds: Set<string> | null = null;
      // Two rounds: first, expressions that bind nothing (negations, `every`) wait while another
      // remaining expression mentions one of their unbound vars, as OPA's safety reordering makes a
      // negated expression wait for the expression that binds its vars (`not xs[p] == "a"; xs[p]`).
      for (const strict of [true, false]) {
        for (let i = 0; i < remaining.length; i++) {
          if (strict && this.waitsForBinding(remaining[i], i, remaining, current)) continue;
          binds = this.expr(remaining[i], current);
          if (binds) {
            picked = i;
            break;
          }
        }
        if (picked >= 0) break;
      }
      if (picked < 0 || !binds) {
        this.reportUnsafe(remaining, current);
        out.push(...remaining);
        break;
      }
      const e = remaining.splice(picked, 1)[0];
      out.push({ ...this.nested(e, current), index: out.length });
      for (const b of binds) current.add(b);
    }
    const locals = bodyLocals.get(body);
    if (locals) bodyLocals.set(out, locals);
    return { body: out, bound: current };
  }

  /** A non-binding expression with an unbound var that another remaining expression mentions. */
  private waitsForBinding(e: Expr, index: number, remaining: Expr[], bound: Bound): boolean {
    if (!e.negated && !isEveryExpr(e)) return false;
    const own = new Set<string>();
    for (const t of exprTerms(e)) freeVars(t, own);
    if (isEveryExpr(e)) for (const inner of e.terms.body) for (const t of exprTerms(inner)) freeVars(t, own);
    const unbound = [...own].filter((v) => !bound.has(v) && !isGlobalVar(v));
    if (unbound.length === 0) return false;
    for (let j = 0; j < remaining.length; j++) {
      if (j === index) continue;
      const other = new Set<string>();
      for (const t of exprTerms(remaining[j])) freeVars(t, other);
      if (isEveryExpr(remaining[j]) || remaining[j].negated) continue;
      if (unbound.some((v) => other.has(v))) return true;
    }
    return false;
  }

  /** Reports head vars (`p[x] := y`) the body does not bind. */
  checkTerms(terms: Term[], bound: Bound): void {
    for (const t of terms) {
      const missing = new Set<string>();
      this.unboundIn(t, bound, missing);
      for (const v of missing) this.unsafe(v, t);
    }
  }

  private reportUnsafe(exprs: Expr[], bound: Bound): void {
    const reported = new Set<string>();
    for (const e of exprs) {
      const missing = new Set<string>();
      let terms = exprTerms(e);
      if (isCallExpr(e) && opName(e.terms[0]) === "eq" && e.with.length === 0) {
        // `x = y` with both unknown: the value side is the culprit (OPA names only it).
        const [a, b] = e.terms.slice(1);
        const bMissing = new Set<string>();
        this.unboundIn(b, bound, bMissing);
        if (a.value.type === "var" && bMissing.size > 0) terms = [b];
      }
      for (const t of terms) this.unboundIn(t, bound, missing);
      for (const v of missing) {
        if (reported.has(v)) continue;
        reported.add(v);
        this.unsafe(v, e);
      }
    }
  }

  private unsafe(local: string, at: { location: Term["location"] }): void {
    this.ctx.errors.push(new RegoError("rego_unsafe_var_error", `var ${this.ctx.originalName(local)} is unsafe`, at.location));
  }

  private unboundIn(t: Term, bound: Bound, out: Set<string>): void {
    const v = t.value;
    if (v.type === "var") {
      if (!bound.has(v.value) && !isGlobalVar(v.value)) out.add(v.value);
      return;
    }
    if (v.type === "ref") {
      this.unboundIn(v.value[0], bound, out);
      // Ref operands bind themselves, except when nothing else could.
      return;
    }
    if (v.type === "array" || v.type === "set") v.value.forEach((x) => this.unboundIn(x, bound, out));
    else if (v.type === "object") v.value.forEach(([k, x]) => (this.unboundIn(k, bound, out), this.unboundIn(x, bound, out)));
    else if (v.type === "call") v.value.slice(1).forEach((x) => this.unboundIn(x, bound, out));
    else if (v.type === "arraycomprehension" || v.type === "setcomprehension" || v.type === "objectcomprehension") {
      for (const c of closureVars(t)) if (!bound.has(c)) out.add(c);
    }
  }

  /** Vars the expression binds when planned with `bound`, or null when it cannot be planned yet. */
  private expr(e: Expr, bound: Bound): Set<string> | null {
    const binds = new Set<string>();
    for (const w of e.with) {
      const name = operatorName(w.value);
      if (name !== undefined && !name.startsWith("data.") && this.ctx.arityOf(name) !== undefined && !bound.has(name)) continue;
      if (!this.ready(w.value, bound, binds)) return null;
    }
    if (isEveryExpr(e)) {
      return this.ready(e.terms.domain, bound, binds) ? binds : null;
    }
    let inner: Set<string> | null;
    if (isCallExpr(e)) inner = this.call(e.terms, bound, binds);
    else if (isTermExpr(e)) inner = this.ready(e.terms, bound, binds) ? binds : null;
    else inner = binds;
    if (!inner) return null;
    return e.negated ? new Set() : inner;
  }

  private call(terms: Term[], bound: Bound, binds: Set<string>): Set<string> | null {
    const [op, ...args] = terms;
    const name = opName(op) ?? operatorName(op);
    if (name === "eq") return this.unify(args[0], args[1], bound, binds) ? binds : null;
    const arity = name !== undefined ? this.ctx.arityOf(name) : undefined;
    const inputs = arity !== undefined && arity >= 0 && args.length === arity + 1 ? args.slice(0, -1) : args;
    // Ref operands anywhere in the call bind first (`x == a[x]`), as the planner plans refs before comparing.
    for (const a of inputs) this.ready(a, bound, binds);
    for (const a of inputs) if (!this.ready(a, bound, binds)) return null;
    if (inputs.length < args.length) {
      if (!this.pattern(args[args.length - 1], bound, binds)) return null;
    }
    return binds;
  }

  private unify(a: Term, b: Term, bound: Bound, binds: Set<string>): boolean {
    const all = (): Set<string> => new Set([...bound, ...binds]);
    const unboundVar = (t: Term): boolean => t.value.type === "var" && !isGlobalVar(t.value.value) && !all().has(t.value.value);
    if (unboundVar(a) && unboundVar(b)) return false;
    if (unboundVar(a)) return this.ready(b, bound, binds) && (binds.add((a.value as { value: string }).value), true);
    if (unboundVar(b)) return this.ready(a, bound, binds) && (binds.add((b.value as { value: string }).value), true);
    if (a.value.type === "array" && b.value.type === "array" && a.value.value.length === b.value.value.length) {
      const bs = b.value.value;
      return a.value.value.every((x, i) => this.unify(x, bs[i], bound, binds));
    }
    if (a.value.type === "object" && b.value.type === "object") {
      const bv = b.value.value;
      return a.value.value.every(([k, x]) => {
        const match = bv.find(([k2]) => JSON.stringify(k2.value) === JSON.stringify(k.value));
        return match ? this.unify(x, match[1], bound, binds) : true;
      });
    }
    if (this.hasUnboundPatternVars(a, all()) && this.ready(b, bound, binds)) return this.pattern(a, bound, binds);
    if (this.hasUnboundPatternVars(b, all()) && this.ready(a, bound, binds)) return this.pattern(b, bound, binds);
    return this.ready(a, bound, binds) && this.ready(b, bound, binds);
  }

  private hasUnboundPatternVars(t: Term, bound: Bound): boolean {
    return patternVars(t).some((v) => !bound.has(v) && !isGlobalVar(v));
  }

  /** Binds a pattern's vars; non-pattern parts (refs, calls inside it) must be ready. */
  private pattern(t: Term, bound: Bound, binds: Set<string>): boolean {
    const v = t.value;
    if (v.type === "var") {
      if (!isGlobalVar(v.value)) binds.add(v.value);
      return true;
    }
    if (v.type === "array") return v.value.every((x) => this.pattern(x, bound, binds));
    if (v.type === "object") return v.value.every(([k, x]) => this.ready(k, bound, binds) && this.pattern(x, bound, binds));
    return this.ready(t, bound, binds);
  }

  /** True when the term can be evaluated; ref operands that are unbound vars get bound (iteration). */
  private ready(t: Term, bound: Bound, binds: Set<string>): boolean {
    const has = (name: string): boolean => isGlobalVar(name) || bound.has(name) || binds.has(name);
    const v = t.value;
    switch (v.type) {
      case "var":
        return has(v.value);
      case "ref": {
        const [head, ...rest] = v.value;
        if (head.value.type === "var") {
          if (!has(head.value.value)) return false;
        } else if (!this.ready(head, bound, binds)) return false;
        for (const r of rest) {
          if (r.value.type === "var" || r.value.type === "array" || r.value.type === "object") {
            if (!this.pattern(r, bound, binds)) return false;
          } else if (!this.ready(r, bound, binds)) return false;
        }
        return true;
      }
      // The refs in a composite term or a call's arguments bind before its other parts are
      // checked, as in a call expression (OPA's RewriteExprTerms and RewriteDynamicTerms evaluate
      // nested calls and ref operands first): `x := f(k, xs[k][_])`, `x := [k, count(xs[k])]`.
      case "array":
      case "set":
        for (const x of v.value) this.ready(x, bound, binds);
        return v.value.every((x) => this.ready(x, bound, binds));
      case "object":
        for (const [k, x] of v.value) {
          this.ready(k, bound, binds);
          this.ready(x, bound, binds);
        }
        return v.value.every(([k, x]) => this.ready(k, bound, binds) && this.ready(x, bound, binds));
      case "call": {
        const args = v.value.slice(1);
        for (const x of args) this.ready(x, bound, binds);
        return args.every((x) => this.ready(x, bound, binds));
      }
      case "arraycomprehension":
      case "setcomprehension":
      case "objectcomprehension":
        return closureVars(t).every((c) => has(c));
      case "templatestring":
        return v.parts.every((p) => ("terms" in p ? exprTerms(p).every((x) => this.ready(x, bound, binds)) : this.ready(p, bound, binds)));
      default:
        return true;
    }
  }

  /** Reorders the bodies nested in an expression (comprehensions, `every`) with the vars bound at its position. */
  private nested(e: Expr, bound: Bound): Expr {
    const withs = e.with.map((w) => ({ ...w, value: this.nestedTerm(w.value, bound) }));
    if (isEveryExpr(e)) {
      const ev = e.terms;
      const inner = new Set(bound);
      if (ev.key) patternVars(ev.key).forEach((v) => inner.add(v));
      patternVars(ev.value).forEach((v) => inner.add(v));
      const r = this.reorder(ev.body, inner);
      return { ...e, with: withs, terms: { ...ev, domain: this.nestedTerm(ev.domain, bound), body: r.body } };
    }
    if (isCallExpr(e)) return { ...e, with: withs, terms: e.terms.map((t) => this.nestedTerm(t, bound)) };
    if (isTermExpr(e)) return { ...e, with: withs, terms: this.nestedTerm(e.terms, bound) };
    return e;
  }

  /**
   * A term with the bodies of the comprehensions in it reordered given `bound`: for rule heads
   * (`p := {k: v | k = f(v); v = xs[_]}`), whose comprehensions OPA moves into the rule body
   * (its RewriteComprehensionTerms stage) and so reorders like any other.
   */
  nestedTerm(t: Term, bound: Bound): Term {
    return transformTerm(t, {
      term: (x) => {
        const v = x.value;
        switch (v.type) {
          case "arraycomprehension":
          case "setcomprehension": {
            const r = this.reorder(v.body, bound);
            this.checkTerms([v.term], r.bound);
            return { ...x, value: { type: v.type, term: this.nestedTerm(v.term, r.bound), body: r.body } };
          }
          case "objectcomprehension": {
            const r = this.reorder(v.body, bound);
            this.checkTerms([v.key, v.value], r.bound);
            return { ...x, value: { type: v.type, key: this.nestedTerm(v.key, r.bound), value: this.nestedTerm(v.value, r.bound), body: r.body } };
          }
          case "templatestring":
            return x; // its expressions are reordered where the template is planned
          default:
            return undefined;
        }
      },
    });
  }
}

/** The terms an expression reads (for messages and analyses). */
export function exprTerms(e: Expr): Term[] {
  const ws = e.with.map((w) => w.value);
  if (isEveryExpr(e)) return [e.terms.domain, ...ws];
  if (isCallExpr(e)) return [...e.terms.slice(1), ...ws];
  if (isTermExpr(e)) return [e.terms, ...ws];
  return ws;
}

/** Vars a comprehension uses from enclosing bodies: every var in it minus the locals of its own bodies. */
export function closureVars(t: Term): string[] {
  const all = new Set<string>();
  const locals = new Set<string>();
  const visitor: AstVisitor = {
    term: (x) => {
      const v = x.value;
      if (v.type === "var") all.add(v.value);
      else if (v.type === "call") {
        v.value.slice(1).forEach((a) => visitTerm(a, visitor));
        return false;
      }
      return v.type !== "templatestring";
    },
    body: (b) => void bodyLocals.get(b)?.forEach((l) => locals.add(l)),
    expr: (e) => {
      if (isEveryExpr(e)) {
        visitTerm(e.terms.domain, visitor);
        if (e.terms.key) visitTerm(e.terms.key, visitor);
        visitTerm(e.terms.value, visitor);
        visitBody(e.terms.body, visitor);
      } else exprTerms(e).forEach((x) => visitTerm(x, visitor));
      return false;
    },
  };
  visitTerm(t, visitor);
  return [...all].filter((n) => !locals.has(n) && !isGlobalVar(n));
}

