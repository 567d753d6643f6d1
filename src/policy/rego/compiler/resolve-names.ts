// Name resolution and local-variable rewriting for one rule body (or query), in one walk:
//   - rule names of the package become `data.<pkg>.<name>` refs, import aliases their refs;
//   - `:=`, `some` and `every` declare locals in the current scope (shadowing outer ones);
//     other free vars are implicit locals of the innermost body that mentions them, unless an
//     enclosing body already has them (comprehension closures);
//   - every local gets a unique generated name, so later passes and the planner need no scopes;
//   - `x := y` becomes `x = y`, `some x in xs` becomes `xs[_] = x`, `some k, v in xs` becomes `xs[k] = v`.
import type { Body, Expr, Location, Term } from "../ast.ts";
import { isCallExpr, isEveryExpr, isSomeExpr, isTermExpr } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { builtinArity } from "../../builtins/table.ts";
import { eqExpr, operatorName, refTerm, stringTerm, varTerm } from "./term-build.ts";
import { transformTerm } from "../visit.ts";
import { freeVars } from "./free-vars.ts";

export interface ResolveContext {
  packagePath: string[];
  /** First ref segment of every rule in the package (all its modules). */
  ruleNames: Set<string>;
  /** Import alias -> imported ref term (`data.x.y`, `input.z`). */
  imports: Map<string, Term>;
  errors: RegoError[];
  fresh(): string;
  /** Query mode: user variables keep their names so the result set can report them. */
  keepNames?: boolean;
  /** Filled with generated local -> user's name, for messages. */
  original?: Map<string, string>;
  /** Keep print() calls (as internal.print); otherwise they are erased as OPA does by default. */
  enablePrint?: boolean;
}

export class Scope {
  readonly parent?: Scope;
  readonly names = new Map<string, string>();
  readonly declared = new Set<string>();
  /** Renamed locals that belong to this scope, in order of appearance (closure analysis, query results). */
  readonly locals: string[] = [];
  constructor(parent?: Scope) {
    this.parent = parent;
  }
  lookup(name: string): string | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }
}

/** Locals declared by each nested body: the safety pass uses it to find a closure's outer vars. */
export const bodyLocals = new WeakMap<Body, Set<string>>();

const GLOBAL_ROOTS = new Set(["input", "data"]);

export class NameResolver {
  private readonly ctx: ResolveContext;
  constructor(ctx: ResolveContext) {
    this.ctx = ctx;
  }

  private isGlobal(name: string): boolean {
    return GLOBAL_ROOTS.has(name) || this.ctx.imports.has(name) || this.ctx.ruleNames.has(name);
  }

  private newLocal(scope: Scope, name: string): string {
    const renamed = this.ctx.keepNames && !name.startsWith("_") ? name : this.ctx.fresh();
    scope.names.set(name, renamed);
    scope.locals.push(renamed);
    this.ctx.original?.set(renamed, name);
    return renamed;
  }

  /** Declare the vars of a pattern (`x`, `[a, b]`, `{"k": v}`) as new locals of `scope`. */
  declarePattern(term: Term, scope: Scope, assign: boolean): void {
    for (const v of patternVars(term)) {
      if (v === "_") continue;
      if (assign && scope.declared.has(v)) {
        this.ctx.errors.push(new RegoError("rego_compile_error", `var ${v} assigned above`, term.location));
        continue;
      }
      if (scope.names.has(v) && !scope.declared.has(v)) {
        // Used earlier in this body as an ordinary variable, declared only now.
        this.ctx.errors.push(new RegoError("rego_compile_error", `var ${v} referenced above`, term.location));
        continue;
      }
      scope.declared.add(v);
      this.newLocal(scope, v);
    }
  }

  /** Resolves a body in a new scope under `parent`; `extra` terms (rule head parts) share that scope. */
  body(input: Body, parent: Scope | undefined, extra: Term[] = [], scope = new Scope(parent)): { body: Body; extra: Term[]; scope: Scope } {
    // print() statements are erased, as OPA's compiler does unless print is enabled; enabled, each
    // becomes internal.print([{x | x = arg}, ...]) as in OPA, so an undefined argument prints
    // `<undefined>` instead of failing the body.
    const body = this.ctx.enablePrint
      ? input.map((e) => (isCallExpr(e) && opName(e.terms[0]) === "print" ? printExpr(e) : e))
      : input.filter((e) => !(isCallExpr(e) && opName(e.terms[0]) === "print"));
    // Declared names never become implicit locals. `some` and `:=` declarations become visible
    // where they occur (OPA's order), so a closure before the declaration keeps its own variable
    // of the same name (`xs := [v | walk(x, [_, v])]; some v in xs`).
    const pending = new Set<string>();
    for (const e of body) {
      if (isSomeExpr(e)) for (const s of someDeclared(e)) for (const v of patternVars(s)) pending.add(v);
      else if (isCallExpr(e) && opName(e.terms[0]) === "assign") {
        for (const v of patternVars(e.terms[1])) if (v !== "_") pending.add(v);
      }
    }
    const free = new Set<string>();
    for (const e of body) collectExprFreeVars(e, free);
    for (const t of extra) collectFreeVars(t, free);
    for (const name of free) {
      if (name === "_" || pending.has(name) || scope.names.has(name) || scope.lookup(name) !== undefined || this.isGlobal(name)) continue;
      this.newLocal(scope, name);
    }
    const out: Body = [];
    for (const e of body) {
      const r = this.expr(e, scope);
      if (r) out.push({ ...r, index: out.length });
    }
    const extraOut = extra.map((t) => this.term(t, scope));
    bodyLocals.set(out, new Set(scope.locals));
    return { body: out, extra: extraOut, scope };
  }

  private expr(e: Expr, scope: Scope): Expr | undefined {
    const withs = e.with.map((w) => ({
      ...w,
      target: this.withTarget(w.target),
      value: isBuiltinName(w.value) && scope.lookup(operatorName(w.value)!.split(".")[0]) === undefined ? w.value : this.term(w.value, scope),
    }));
    if (isSomeExpr(e)) {
      for (const d of someDeclared(e)) this.declarePattern(d, scope, false);
      const decl = e.terms;
      const s = decl.symbols[0];
      if (decl.symbols.length !== 1 || s.value.type !== "call") return undefined; // plain `some x, y`
      const args = s.value.value.slice(1).map((a) => this.term(a, scope));
      const loc = e.location;
      const domain = args[args.length - 1];
      let key: Term;
      let value: Term;
      if (args.length === 2) {
        key = varTerm(this.ctx.fresh(), loc);
        scope.locals.push(key.value.type === "var" ? key.value.value : "");
        value = args[0];
      } else {
        key = args[0];
        value = args[1];
      }
      return { ...eqExpr(indexInto(domain, key, loc), value, loc, e.index), with: withs, negated: e.negated };
    }
    if (isEveryExpr(e)) {
      const ev = e.terms;
      const domain = this.term(ev.domain, scope);
      const inner = new Scope(scope);
      if (ev.key) this.declarePattern(ev.key, inner, false);
      this.declarePattern(ev.value, inner, false);
      const key = ev.key ? this.term(ev.key, inner) : undefined;
      const value = this.term(ev.value, inner);
      const r = this.body(ev.body, scope, [], inner);
      return { ...e, with: withs, terms: { ...ev, key, value, domain, body: r.body } };
    }
    if (isCallExpr(e)) {
      const [op, ...args] = e.terms;
      const name = opName(op);
      if (name === "assign") {
        const rhs = this.term(args[1], scope);
        this.declarePattern(args[0], scope, true);
        return { ...e, with: withs, terms: [refTerm([varTerm("eq", op.location)], op.location), this.term(args[0], scope), rhs] };
      }
      return { ...e, with: withs, terms: [this.operator(op), ...args.map((a) => this.term(a, scope))] };
    }
    if (isTermExpr(e)) return { ...e, with: withs, terms: this.term(e.terms, scope) };
    return e;
  }

  private withTarget(t: Term): Term {
    // `with f as g` / `with data.x as` targets: package-relative rule names and import aliases
    // (`import data.lib.config` ... `with config.x as v`), as OPA's ResolveRefs stage resolves them.
    if (t.value.type === "var" && this.ctx.ruleNames.has(t.value.value)) return this.ruleRef(t.value.value, t.location);
    const alias = t.value.type === "var" ? t : t.value.type === "ref" ? t.value.value[0] : undefined;
    const imported = alias?.value.type === "var" ? this.ctx.imports.get(alias.value.value) : undefined;
    if (imported && imported.value.type === "ref") {
      const rest = t.value.type === "ref" ? t.value.value.slice(1) : [];
      return refTerm([...imported.value.value, ...rest], t.location);
    }
    if (t.value.type === "ref") {
      const [head, ...rest] = t.value.value;
      if (head.value.type === "var" && this.ctx.ruleNames.has(head.value.value) && !GLOBAL_ROOTS.has(head.value.value)) {
        const base = this.ruleRef(head.value.value, head.location);
        return refTerm([...(base.value as { value: Term[] }).value, ...rest], t.location);
      }
    }
    return t;
  }

  private ruleRef(name: string, loc: Location): Term {
    return refTerm([varTerm("data", loc), ...this.ctx.packagePath.map((p) => stringTerm(p, loc)), stringTerm(name, loc)], loc);
  }

  /** Call operators: package functions become data refs, imports expand, builtins stay as named. */
  private operator(op: Term): Term {
    const terms = op.value.type === "ref" ? op.value.value : op.value.type === "var" ? [op] : undefined;
    if (!terms) return op;
    const head = terms[0];
    if (head.value.type !== "var") return op;
    const name = head.value.value;
    if (this.ctx.imports.has(name)) {
      const imp = this.ctx.imports.get(name)!;
      return refTerm([...(imp.value as { value: Term[] }).value, ...terms.slice(1)], op.location);
    }
    if (this.ctx.ruleNames.has(name) && !GLOBAL_ROOTS.has(name)) {
      const base = this.ruleRef(name, op.location);
      return refTerm([...(base.value as { value: Term[] }).value, ...terms.slice(1)], op.location);
    }
    return op;
  }

  term(t: Term, scope: Scope): Term {
    return transformTerm(t, { term: (x) => this.resolveTerm(x, scope) });
  }

  /** The kinds name resolution rewrites itself; undefined for the others (their parts are resolved). */
  private resolveTerm(t: Term, scope: Scope): Term | undefined {
    const v = t.value;
    switch (v.type) {
      case "var":
        return this.varRef(v.value, t.location, scope);
      case "ref": {
        const [head, ...rest] = v.value;
        const h = this.term(head, scope);
        const restOut = rest.map((r) => this.term(r, scope));
        if (h.value.type === "ref") return { ...t, value: { type: "ref", value: [...h.value.value, ...restOut] } };
        return { ...t, value: { type: "ref", value: [h, ...restOut] } };
      }
      case "call":
        return { ...t, value: { type: "call", value: [this.operator(v.value[0]), ...v.value.slice(1).map((x) => this.term(x, scope))] } };
      case "arraycomprehension":
      case "setcomprehension": {
        const r = this.body(v.body, scope, [v.term]);
        return { ...t, value: { type: v.type, term: r.extra[0], body: r.body } };
      }
      case "objectcomprehension": {
        const r = this.body(v.body, scope, [v.key, v.value]);
        return { ...t, value: { type: v.type, key: r.extra[0], value: r.extra[1], body: r.body } };
      }
      case "templatestring":
        return {
          ...t,
          value: {
            ...v,
            parts: v.parts.map((p) => ("value" in p && !("terms" in p) ? this.term(p, scope) : (this.expr(p as Expr, scope) ?? p))),
          },
        };
      default:
        return undefined;
    }
  }

  private varRef(name: string, loc: Location, scope: Scope): Term {
    if (name === "_") {
      const n = this.ctx.fresh();
      scope.locals.push(n);
      return varTerm(n, loc);
    }
    // A local declared `input := ...` (Rego v0 allows it) shadows the root document in its scope.
    const local = scope.lookup(name);
    if (local !== undefined) return varTerm(local, loc);
    if (GLOBAL_ROOTS.has(name)) return varTerm(name, loc);
    const imp = this.ctx.imports.get(name);
    if (imp) return { ...imp, location: loc };
    if (this.ctx.ruleNames.has(name)) return this.ruleRef(name, loc);
    return varTerm(this.newLocal(scope, name), loc);
  }
}

/** The patterns a `some` declares: its vars (`some x, y`) or the key and value of `some k, v in xs`. */
function someDeclared(e: Expr): Term[] {
  if (!isSomeExpr(e)) return [];
  const out: Term[] = [];
  for (const s of e.terms.symbols) {
    if (s.value.type === "var") out.push(s);
    else if (s.value.type === "call") out.push(...s.value.value.slice(1, -1));
  }
  return out;
}

function indexInto(domain: Term, key: Term, loc: Location): Term {
  if (domain.value.type === "ref") return refTerm([...domain.value.value, key], loc);
  return refTerm([domain, key], loc);
}

export function opName(op: Term): string | undefined {
  if (op.value.type === "var") return op.value.value;
  if (op.value.type === "ref" && op.value.value.length === 1 && op.value.value[0].value.type === "var") return op.value.value[0].value.value;
  return undefined;
}

/** Vars a pattern binds: top-level vars and vars inside array/object/set literals (not inside refs or calls). */
export function patternVars(t: Term, out: string[] = []): string[] {
  const v = t.value;
  if (v.type === "var") out.push(v.value);
  else if (v.type === "array") v.value.forEach((x) => patternVars(x, out));
  else if (v.type === "object") v.value.forEach(([, x]) => patternVars(x, out));
  return out;
}

/** Free var names of a term for name resolution: freeVars, template strings' expressions included. */
export function collectFreeVars(t: Term, out: Set<string>): void {
  freeVars(t, out, collectExprFreeVars);
}

/** `with count as sum`: a with value naming a builtin is that builtin, not a variable. */
function isBuiltinName(t: Term): boolean {
  const name = operatorName(t);
  return name !== undefined && !name.startsWith("data.") && !name.startsWith("input.") && builtinArity(name) !== undefined;
}

function collectExprFreeVars(e: Expr, out: Set<string>): void {
  for (const w of e.with) if (!isBuiltinName(w.value)) collectFreeVars(w.value, out);
  if (isSomeExpr(e)) return;
  if (isEveryExpr(e)) {
    collectFreeVars(e.terms.domain, out);
    return;
  }
  if (isCallExpr(e)) e.terms.slice(1).forEach((x) => collectFreeVars(x, out));
  else if (isTermExpr(e)) collectFreeVars(e.terms, out);
}

/** `print(a, b)` -> `internal.print([{__print0 | __print0 = a}, {__print1 | __print1 = b}])`. */
function printExpr(e: Expr & { terms: Term[] }): Expr {
  const loc = e.location;
  const operands: Term[] = e.terms.slice(1).map((arg, i) => {
    const v = varTerm(`__print${i}`, loc);
    return { value: { type: "setcomprehension", term: v, body: [{ ...eqExpr(v, arg, loc), index: 0 }] }, location: arg.location };
  });
  const op = refTerm([varTerm("internal", loc), stringTerm("print", loc)], loc);
  return { ...e, terms: [op, { value: { type: "array", value: operands }, location: loc }] };
}
