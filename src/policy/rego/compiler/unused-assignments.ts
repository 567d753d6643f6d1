// OPA's strict-mode "assigned var x unused": a var assigned with `:=` in a rule body, a
// comprehension body or an `every` body must be mentioned again after its assignment, in that
// body, a nested one, or (for a rule body) the rule's head, as OPA's RewriteLocalVars counts it.
// Each body is checked once it is walked, inner bodies first; as in OPA, once a body of a rule
// has reported, the rest of that rule's bodies are not checked.
import type { Body, Expr, Location, Module, Rule, Term } from "../ast.ts";
import { isCallExpr, isEveryExpr, isSomeExpr, isTermExpr } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { isComprehension, visitTerm } from "../visit.ts";
import { opName, patternVars } from "./resolve-names.ts";

interface Binding {
  /** "assigned" by `:=`; "other" for args, `some`/`every` declarations and implicit locals. */
  kind: "assigned" | "other";
  /** Mentions, the assignment included. */
  count: number;
  location: Location;
}

type Frame = Map<string, Binding>;

/** One rule's (or one head comprehension's) walk: its scopes and the errors it reported. */
class Walk {
  private readonly frames: Frame[] = [new Map()];
  readonly errors: RegoError[] = [];

  declare(name: string, kind: Binding["kind"], location: Location): void {
    if (name !== "_") this.frames[this.frames.length - 1].set(name, { kind, count: 1, location });
  }

  private mention(name: string, location: Location): void {
    for (let i = this.frames.length - 1; i >= 0; i--) {
      const b = this.frames[i].get(name);
      if (b) {
        b.count++;
        return;
      }
    }
    this.declare(name, "other", location); // an implicit local of the innermost body
  }

  /** A body in a new scope; `used` are the vars its enclosing head or comprehension term uses. */
  scopedBody(body: Body, used: Set<string>, declare: (walk: Walk) => void = () => {}): void {
    this.frames.push(new Map());
    declare(this);
    this.body(body, used);
    this.frames.pop();
  }

  body(body: Body, used: Set<string>): void {
    for (const e of body) this.expr(e);
    if (this.errors.length > 0) return;
    const frame = this.frames[this.frames.length - 1];
    for (const [name, b] of frame) {
      if (b.kind === "assigned" && b.count <= 1 && !used.has(name)) {
        this.errors.push(new RegoError("rego_compile_error", `assigned var ${name} unused`, b.location));
      }
    }
  }

  private expr(e: Expr): void {
    if (isCallExpr(e) && opName(e.terms[0]) === "assign" && e.terms.length === 3) {
      this.term(e.terms[2]); // the right-hand side first, as OPA rewrites it
      for (const w of e.with) this.term(w.value);
      for (const v of patternVars(e.terms[1])) this.declare(v, "assigned", e.location);
      return;
    }
    for (const w of e.with) {
      this.term(w.target);
      this.term(w.value);
    }
    if (isSomeExpr(e)) {
      for (const s of e.terms.symbols) {
        if (s.value.type === "var") this.declare(s.value.value, "other", s.location);
        else if (s.value.type === "call") {
          const parts = s.value.value.slice(1);
          for (const p of parts.slice(0, -1)) for (const v of patternVars(p)) this.declare(v, "other", p.location);
          this.term(parts[parts.length - 1]);
        }
      }
    } else if (isEveryExpr(e)) {
      const ev = e.terms;
      this.term(ev.domain);
      this.scopedBody(ev.body, new Set(), (walk) => {
        if (ev.key) for (const v of patternVars(ev.key)) walk.declare(v, "other", ev.key.location);
        for (const v of patternVars(ev.value)) walk.declare(v, "other", ev.value.location);
      });
    } else if (isCallExpr(e)) {
      for (const t of e.terms) this.term(t);
    } else if (isTermExpr(e)) {
      this.term(e.terms);
    }
  }

  term(t: Term): void {
    visitTerm(t, {
      term: (x) => {
        const v = x.value;
        if (v.type === "var") this.mention(v.value, x.location);
        else if (v.type === "arraycomprehension" || v.type === "setcomprehension") this.comprehension(v.body, [v.term]);
        else if (v.type === "objectcomprehension") this.comprehension(v.body, [v.key, v.value]);
        else return true;
        return false;
      },
      // A template string's expressions, each in a scope of its own.
      expr: (e) => {
        this.scopedBody([e], new Set());
        return false;
      },
    });
  }

  private comprehension(body: Body, head: Term[]): void {
    this.frames.push(new Map());
    this.body(body, varsOf(head));
    for (const t of head) this.term(t);
    this.frames.pop();
  }
}

/** Every var the terms mention, closures included (OPA's Term.Vars()). */
function varsOf(terms: Term[]): Set<string> {
  const out = new Set<string>();
  for (const t of terms) {
    visitTerm(t, {
      term: (x) => {
        if (x.value.type === "var") out.add(x.value.value);
      },
    });
  }
  return out;
}

/** Comprehensions in a head term: OPA checks each with a scope of its own. */
function headComprehensions(t: Term, walk: Walk): void {
  visitTerm(t, {
    term: (x) => {
      if (!isComprehension(x)) return true;
      walk.term(x);
      return false;
    },
  });
}

function checkRule(rule: Rule, args: Term[] | undefined, errors: RegoError[]): void {
  const headTerms = [...rule.head.ref.slice(1), ...(rule.head.key ? [rule.head.key] : []), ...(rule.head.value ? [rule.head.value] : [])];
  const head = new Walk();
  for (const t of headTerms) headComprehensions(t, head);
  errors.push(...head.errors);

  const walk = new Walk();
  for (const a of args ?? []) for (const v of varsOf([a])) walk.declare(v, "other", a.location);
  walk.body(rule.body, varsOf(headTerms));
  errors.push(...walk.errors);
  if (rule.else) checkRule(rule.else, rule.else.head.args ?? args, errors);
}

export function unusedAssignments(m: Module): RegoError[] {
  const errors: RegoError[] = [];
  for (const rule of m.rules) checkRule(rule, rule.head.args, errors);
  return errors;
}
