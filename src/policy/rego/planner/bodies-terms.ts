// Bodies and terms (OPA's planner: planQuery, planExpr, planUnify, planTerm): expressions in
// continuation-passing style, negation, `every`, calls of functions and builtins, unification
// and every kind of term.
import type { Body, Expr, Location, Term } from "../ast.ts";
import { isCallExpr, isEveryExpr, isTermExpr } from "../ast.ts";
import { builtinArity } from "../../builtins/table.ts";
import type { RuleSet } from "../compiler/model.ts";
import { opName, patternVars } from "../compiler/resolve-names.ts";
import { operatorName, refTerm, stringTerm, varTerm } from "../compiler/term-build.ts";
import { DATA_LOCAL, INPUT_LOCAL, type Operand, local } from "./ir.ts";
import { COMPARE_STMTS, Planner, PlanningError, RELATIONS, type Cont, type PlannerState, type TermCont } from "./planner-core.ts";

declare module "./planner-core.ts" {
  interface Planner {
    body(body: Body, start: number, cont: Cont): void;
    expr(e: Expr, cont: Cont): void;
    exprNoWith(e: Expr, cont: Cont): void;
    positive(e: Expr, cont: Cont): void;
    every(e: Expr & { terms: { type: "every" } }, cont: Cont): void;
    callExpr(terms: Term[], cont: Cont): void;
    arityOf(name: string | undefined, op: Term): number;
    funcSet(name: string, op: Term): RuleSet;
    ruleCalled(name: string): boolean;
    call(op: Term, args: Term[], cont: TermCont): void;
    callNamed(name: string, op: Term, args: Term[], cont: TermCont, planned?: string): void;
    isUnboundVar(t: Term): boolean;
    hasUnboundPattern(t: Term): boolean;
    bind(t: Term, op: Operand): void;
    unify(a: Term, b: Term, cont: Cont): void;
    unifyLocal(pattern: Term, value: Operand, cont: Cont): void;
    terms(ts: Term[], cont: (ops: Operand[]) => void): void;
    isSimple(t: Term): boolean;
    simple(t: Term): Operand;
    term(t: Term, cont: TermCont): void;
    templateString(parts: Array<Term | Expr>, cont: TermCont): void;
    comprehension(t: Term, cont: TermCont): void;
    ref(terms: Term[], cont: TermCont): void;
    path(src: number, path: Term[], i: number, cont: TermCont): void;
  }
}

Planner.prototype.body = function (this: Planner, body: Body, start: number, cont: Cont): void {
  // Continuation passing nests one JS call chain per expression; long bodies would exhaust the
  // stack. So the first continuation of each expression is deferred: the planner remembers
  // where it was called (block, bindings, with-state) and plans the rest from there in this loop.
  // Blocks are arrays held by reference, so appending to them later lands in the right place.
  const entry = this.snapshot();
  let i = start;
  for (;;) {
    if (i >= body.length) {
      cont();
      break;
    }
    let resume: PlannerState | undefined;
    const next = i + 1;
    this.expr(body[i], () => {
      if (!resume) resume = this.snapshot();
      else this.body(body, next, cont); // a second continuation is planned in place
    });
    if (!resume) break; // the expression can never hold: the rest is unreachable
    this.restore(resume);
    i = next;
  }
  this.restore(entry);
};

Planner.prototype.expr = function (this: Planner, e: Expr, cont: Cont): void {
  this.loc = e.location;
  if (e.with.length > 0) return this.withExpr(e, cont);
  this.exprNoWith(e, cont);
};

Planner.prototype.exprNoWith = function (this: Planner, e: Expr, cont: Cont): void {
  if (e.negated) {
    // A flag, not NotStmt: a Scan inside the negated expression completes its block whether or
    // not an iteration succeeded, so "defined" must be recorded by the innermost statement.
    const found = this.newLocal();
    this.emit("ResetLocalStmt", { target: found });
    const block = this.block(() => this.scoped(() => this.positive(e, () => this.emit("AssignVarStmt", { source: { type: "bool", value: true }, target: found }))));
    this.loc = e.location;
    this.emit("BlockStmt", { blocks: [block] });
    this.emit("IsUndefinedStmt", { source: found });
    return cont();
  }
  this.positive(e, cont);
};

Planner.prototype.positive = function (this: Planner, e: Expr, cont: Cont): void {
  if (isEveryExpr(e)) return this.every(e, cont);
  if (isCallExpr(e)) return this.callExpr(e.terms, cont);
  if (isTermExpr(e)) {
    return this.term(e.terms, (op) => {
      this.emit("NotEqualStmt", { a: op, b: { type: "bool", value: false } });
      cont();
    });
  }
  cont();
};

Planner.prototype.every = function (this: Planner, e: Expr & { terms: { type: "every" } }, cont: Cont): void {
  const ev = e.terms as unknown as { key?: Term; value: Term; domain: Term; body: Body };
  this.term(ev.domain, (d) => {
    const src = this.toLocal(d);
    // The domain must be a collection; `every` over anything else is undefined.
    this.emit("BlockStmt", {
      blocks: [
        this.block(() => {
          this.emit("BlockStmt", {
            blocks: (["IsArrayStmt", "IsObjectStmt", "IsSetStmt"] as const).map((t) =>
              this.block(() => {
                this.emit(t, { source: local(src) });
                this.emit("BreakStmt", { index: 1 });
              }),
            ),
          });
          this.emit("BreakStmt", { index: 1 });
        }),
      ],
    });
    const found = this.newLocal();
    this.emit("ResetLocalStmt", { target: found });
    const k = this.newLocal();
    const v = this.newLocal();
    const block = this.block(() =>
      this.scoped(() => {
        const afterKey = (): void =>
          this.unifyLocal(ev.value, local(v), () => {
            const holds = this.newLocal();
            this.emit("ResetLocalStmt", { target: holds });
            const inner = this.block(() =>
              this.scoped(() => this.body(ev.body, 0, () => this.emit("AssignVarStmt", { source: { type: "bool", value: true }, target: holds }))),
            );
            this.emit("BlockStmt", { blocks: [inner] });
            this.emit("IsUndefinedStmt", { source: holds });
            this.emit("AssignVarStmt", { source: { type: "bool", value: true }, target: found });
          });
        if (ev.key) this.unifyLocal(ev.key, local(k), afterKey);
        else afterKey();
      }),
    );
    this.emit("ScanStmt", { source: src, key: k, value: v, block });
    this.emit("IsUndefinedStmt", { source: found });
    cont();
  });
};

Planner.prototype.callExpr = function (this: Planner, terms: Term[], cont: Cont): void {
  const [op, ...args] = terms;
  const name = opName(op) ?? operatorName(op);
  if (name === "eq") return this.unify(args[0], args[1], cont);
  if (name !== undefined && COMPARE_STMTS[name] && args.length === 2) {
    return this.terms(args, ([a, b]) => {
      this.emit(COMPARE_STMTS[name], { a, b });
      cont();
    });
  }
  const arity = this.arityOf(name, op);
  if (arity >= 0 && args.length === arity + 1) {
    if (name !== undefined && RELATIONS.has(name)) {
      // Relations (`walk(x, [path, value])`) return every solution; the output iterates them.
      return this.call(op, args.slice(0, -1), (res) => {
        const k = this.newLocal();
        const v = this.newLocal();
        const block = this.block(() => this.scoped(() => this.unifyLocal(args[args.length - 1], local(v), cont)));
        this.emit("ScanStmt", { source: this.toLocal(res), key: k, value: v, block });
      });
    }
    return this.call(op, args.slice(0, -1), (res) => this.unifyLocal(args[args.length - 1], res, cont));
  }
  this.call(op, args, (res) => {
    this.emit("NotEqualStmt", { a: res, b: { type: "bool", value: false } });
    cont();
  });
};

Planner.prototype.arityOf = function (this: Planner, name: string | undefined, op: Term): number {
  if (name === undefined) throw new PlanningError("dynamic function calls are not supported yet", op.location);
  if (name.startsWith("data.")) return this.ruleCalled(name) ? 0 : this.funcSet(name, op).arity;
  return builtinArity(name) ?? -1;
};

/** Whether `name` is a rule (not a function) that the body calls as `f()`, which OPA evaluates as the rule's value. */
Planner.prototype.ruleCalled = function (this: Planner, name: string): boolean {
  const set = this.policy.ruleSets.get(name.slice(5).split(".").join("/"));
  return set !== undefined && set.kind !== "function";
};

Planner.prototype.funcSet = function (this: Planner, name: string, op: Term): RuleSet {
  const set = this.policy.ruleSets.get(name.slice(5).split(".").join("/"));
  if (!set || set.kind !== "function") throw new PlanningError(`undefined function ${name}`, op.location);
  return set;
};

Planner.prototype.call = function (this: Planner, op: Term, args: Term[], cont: TermCont): void {
  const name = opName(op) ?? operatorName(op);
  if (name === undefined) throw new PlanningError("dynamic function calls are not supported yet", op.location);
  const mock = this.mocks.get(name);
  if (mock) {
    const replacement = this.mockFunction(mock);
    // A value replacement still needs its arguments defined (`count(input) with count as 1`).
    if (replacement === undefined) return this.terms(args, () => this.term(mock, cont));
    let func: string | undefined;
    if (replacement.startsWith("data.")) this.withoutMocks(() => (func = this.funcName(this.funcSet(replacement, mock))));
    return this.callNamed(replacement, mock, args, cont, func);
  }
  this.callNamed(name, op, args, cont);
};

Planner.prototype.callNamed = function (this: Planner, name: string, op: Term, args: Term[], cont: TermCont, planned?: string): void {
  const loc = this.loc;
  this.terms(args, (ops) => {
    this.loc = loc;
    if (ops.length === 0 && name.startsWith("data.") && this.ruleCalled(name)) return this.term(dataRefTerm(name, op.location), cont);
    const result = this.newLocal();
    if (name.startsWith("data.")) {
      const func = planned ?? this.funcName(this.funcSet(name, op));
      this.emit("CallStmt", { func, args: [local(INPUT_LOCAL), local(DATA_LOCAL), ...ops, ...this.captureArgs(func)], result });
    } else {
      this.builtins.add(name);
      this.emit("CallStmt", { func: name, args: ops, result });
    }
    cont(local(result));
  });
};

/** The ref `data.a.b` of a rule named "data.a.b". */
function dataRefTerm(name: string, location: Location): Term {
  const [, ...path] = name.split(".");
  return refTerm([varTerm("data", location), ...path.map((p) => stringTerm(p, location))], location);
}

Planner.prototype.isUnboundVar = function (this: Planner, t: Term): boolean {
  return t.value.type === "var" && t.value.value !== "input" && t.value.value !== "data" && !this.vars.has(t.value.value);
};

Planner.prototype.hasUnboundPattern = function (this: Planner, t: Term): boolean {
  return patternVars(t).some((v) => v !== "input" && v !== "data" && !this.vars.has(v));
};

Planner.prototype.bind = function (this: Planner, t: Term, op: Operand): void {
  const l = this.newLocal();
  this.emit("AssignVarStmt", { source: op, target: l });
  this.vars.set((t.value as { value: string }).value, l);
};

Planner.prototype.unify = function (this: Planner, a: Term, b: Term, cont: Cont): void {
  // `[path, value] := walk(x)`: a relation in a unification enumerates, like `walk(x, [path, value])`.
  for (const [call, other] of [[b, a], [a, b]] as const) {
    if (call.value.type !== "call") continue;
    const name = opName(call.value.value[0]) ?? operatorName(call.value.value[0]);
    if (name !== undefined && RELATIONS.has(name)) return this.callExpr([...call.value.value, other], cont);
  }
  if (this.isUnboundVar(a) && this.isUnboundVar(b)) throw new PlanningError("cannot unify two unbound variables", a.location);
  if (this.isUnboundVar(a)) return this.term(b, (op) => (this.bind(a, op), cont()));
  if (this.isUnboundVar(b)) return this.term(a, (op) => (this.bind(b, op), cont()));
  const av = a.value;
  const bv = b.value;
  if (av.type === "array" && bv.type === "array") {
    if (av.value.length !== bv.value.length) return this.fail();
    const pairs = av.value.map((x, i) => [x, bv.value[i]] as [Term, Term]);
    const step = (i: number): void => (i >= pairs.length ? cont() : this.unify(pairs[i][0], pairs[i][1], () => step(i + 1)));
    return step(0);
  }
  if (av.type === "object" && bv.type === "object" && this.hasUnboundPattern(a) && this.hasUnboundPattern(b)) {
    const keyOf = (t: Term): string => JSON.stringify(t.value);
    const other = new Map(bv.value.map(([k, x]) => [keyOf(k), x] as [string, Term]));
    if (av.value.length !== bv.value.length || av.value.some(([k]) => !other.has(keyOf(k)))) return this.fail();
    const step = (i: number): void => (i >= av.value.length ? cont() : this.unify(av.value[i][1], other.get(keyOf(av.value[i][0]))!, () => step(i + 1)));
    return step(0);
  }
  if (this.hasUnboundPattern(a)) return this.term(b, (op) => this.unifyLocal(a, op, cont));
  if (this.hasUnboundPattern(b)) return this.term(a, (op) => this.unifyLocal(b, op, cont));
  this.term(a, (x) =>
    this.term(b, (y) => {
      this.emit("EqualStmt", { a: x, b: y });
      cont();
    }),
  );
};

/** Unifies a pattern with an already computed value. */
Planner.prototype.unifyLocal = function (this: Planner, pattern: Term, value: Operand, cont: Cont): void {
  if (this.isUnboundVar(pattern)) {
    this.bind(pattern, value);
    return cont();
  }
  const p = pattern.value;
  if ((p.type === "array" || p.type === "object") && this.hasUnboundPattern(pattern)) {
    if (value.type !== "local") return this.fail();
    const src = value.value;
    this.emit(p.type === "array" ? "IsArrayStmt" : "IsObjectStmt", { source: value });
    const n = this.newLocal();
    this.emit("LenStmt", { source: value, target: n });
    const want = this.newLocal();
    this.emit("MakeNumberIntStmt", { value: p.value.length, target: want });
    this.emit("EqualStmt", { a: local(n), b: local(want) });
    if (p.type === "array") {
      const step = (i: number): void => {
        if (i >= p.value.length) return cont();
        const idx = this.newLocal();
        this.emit("MakeNumberIntStmt", { value: i, target: idx });
        const el = this.newLocal();
        this.emit("DotStmt", { source: local(src), key: local(idx), target: el });
        this.unifyLocal(p.value[i], local(el), () => step(i + 1));
      };
      return step(0);
    }
    const entries = p.value;
    const step = (i: number): void => {
      if (i >= entries.length) return cont();
      this.term(entries[i][0], (k) => {
        const el = this.newLocal();
        this.emit("DotStmt", { source: local(src), key: k, target: el });
        this.unifyLocal(entries[i][1], local(el), () => step(i + 1));
      });
    };
    return step(0);
  }
  this.term(pattern, (x) => {
    this.emit("EqualStmt", { a: x, b: value });
    cont();
  });
};

Planner.prototype.terms = function (this: Planner, ts: Term[], cont: (ops: Operand[]) => void): void {
  const out: Operand[] = [];
  // Plain vars go last: a sibling ref may bind them (`x == a[x]`).
  const order = ts.map((_, i) => i).sort((a, b) => Number(ts[a].value.type === "var") - Number(ts[b].value.type === "var"));
  const step = (start: number): void => {
    // Simple terms are planned in a loop, so long literals do not deepen the continuation chain.
    let j = start;
    while (j < order.length && this.isSimple(ts[order[j]])) {
      out[order[j]] = this.simple(ts[order[j]]);
      j++;
    }
    if (j >= order.length) return cont(out);
    const i = order[j];
    this.term(ts[i], (op) => {
      out[i] = op;
      step(j + 1);
    });
  };
  step(0);
};

/** Scalars, bound vars and literals made of them: planned without iteration or undefinedness. */
Planner.prototype.isSimple = function (this: Planner, t: Term): boolean {
  const v = t.value;
  switch (v.type) {
    case "null":
    case "boolean":
    case "string":
    case "number":
      return true;
    case "var":
      return v.value !== "data" && v.value !== "input" && this.vars.has(v.value);
    case "array":
    case "set":
      return v.value.every((x) => this.isSimple(x));
    case "object":
      return v.value.every(([k, x]) => this.isSimple(k) && this.isSimple(x));
    default:
      return false;
  }
};

Planner.prototype.simple = function (this: Planner, t: Term): Operand {
  let out: Operand | undefined;
  this.term(t, (op) => (out = op));
  return out!;
};

Planner.prototype.term = function (this: Planner, t: Term, cont: TermCont): void {
  const v = t.value;
  switch (v.type) {
    case "null": {
      const l = this.newLocal();
      this.emit("MakeNullStmt", { target: l });
      return cont(local(l));
    }
    case "boolean":
      return cont({ type: "bool", value: v.value });
    case "string":
      return cont(this.str(v.value));
    case "number": {
      const l = this.newLocal();
      this.emit("MakeNumberRefStmt", { Index: this.str(v.value).value, target: l });
      return cont(local(l));
    }
    case "var":
      if (v.value === "input") {
        this.emit("IsDefinedStmt", { source: INPUT_LOCAL });
        return cont(local(INPUT_LOCAL));
      }
      if (v.value === "data") return this.dataRef([], cont);
      if (!this.vars.has(v.value)) throw new PlanningError(`var ${this.policy.originalNames?.get(v.value) ?? v.value} is unbound here`, t.location);
      return cont(local(this.vars.get(v.value)!));
    case "ref":
      return this.ref(v.value, cont);
    case "array":
      return this.terms(v.value, (ops) => {
        const l = this.newLocal();
        this.emit("MakeArrayStmt", { capacity: ops.length, target: l });
        for (const op of ops) this.emit("ArrayAppendStmt", { value: op, array: l });
        cont(local(l));
      });
    case "set":
      return this.terms(v.value, (ops) => {
        const l = this.newLocal();
        this.emit("MakeSetStmt", { target: l });
        for (const op of ops) this.emit("SetAddStmt", { value: op, set: l });
        cont(local(l));
      });
    case "object":
      return this.terms(
        v.value.flatMap(([k, x]) => [k, x]),
        (ops) => {
          const l = this.newLocal();
          this.emit("MakeObjectStmt", { target: l });
          for (let i = 0; i < ops.length; i += 2) this.emit("ObjectInsertStmt", { key: ops[i], value: ops[i + 1], object: l });
          cont(local(l));
        },
      );
    case "call": {
      const [op, ...args] = v.value;
      const name = opName(op) ?? operatorName(op);
      if (name === "eq" || name === "assign") throw new PlanningError("unification is not a value", t.location);
      if (name !== undefined && RELATIONS.has(name)) {
        // A relation as a value (`some _, v in walk(x)`) is each of its solutions, as OPA's
        // RewriteExprTerms makes it `walk(x, t)` first: the term iterates the [path, value] pairs.
        return this.call(op, args, (res) => {
          const k = this.newLocal();
          const each = this.newLocal();
          const block = this.block(() => this.scoped(() => cont(local(each))));
          this.emit("ScanStmt", { source: this.toLocal(res), key: k, value: each, block });
        });
      }
      return this.call(op, args, cont);
    }
    case "arraycomprehension":
    case "setcomprehension":
    case "objectcomprehension":
      return this.comprehension(t, cont);
    case "templatestring":
      return this.templateString(v.parts, cont);
    default:
      throw new PlanningError(`${(v as { type: string }).type} terms are not supported yet`, t.location);
  }
};

/**
 * `$"a {x} b"`: each interpolated expression becomes the set of its values (empty when
 * undefined), and `internal.template_string` renders the array of parts, as OPA plans it.
 */
Planner.prototype.templateString = function (this: Planner, parts: Array<Term | Expr>, cont: TermCont): void {
  const ops: Operand[] = [];
  for (const part of parts) {
    if (!("terms" in part)) {
      if (part.value.type !== "string") throw new PlanningError("unexpected template string part", part.location);
      ops.push(this.str(part.value.value));
      continue;
    }
    const e = part;
    if (e.negated) throw new PlanningError("`not` inside template strings is not supported", e.location);
    const set = this.newLocal();
    this.emit("MakeSetStmt", { target: set });
    const add: TermCont = (op) => this.emit("SetAddStmt", { value: op, set });
    const value = (x: Expr, cont: Cont): void => {
      const addThen: TermCont = (op) => {
        add(op);
        cont();
      };
      if (isCallExpr(x)) {
        const name = opName(x.terms[0]) ?? operatorName(x.terms[0]);
        if (name === "eq") throw new PlanningError("unification inside template strings is not supported", x.location);
        this.call(x.terms[0], x.terms.slice(1), addThen);
      } else if (isTermExpr(x)) this.term(x.terms, addThen);
      else throw new PlanningError("unexpected template string expression", x.location);
    };
    const block = this.block(() => this.scoped(() => (e.with.length > 0 ? this.withExpr(e, () => {}, value) : value(e, () => {}))));
    this.emit("BlockStmt", { blocks: [block] });
    ops.push(local(set));
  }
  const arr = this.newLocal();
  this.emit("MakeArrayStmt", { capacity: ops.length, target: arr });
  for (const op of ops) this.emit("ArrayAppendStmt", { value: op, array: arr });
  const result = this.newLocal();
  this.builtins.add("internal.template_string");
  this.emit("CallStmt", { func: "internal.template_string", args: [local(arr)], result });
  cont(local(result));
};

Planner.prototype.comprehension = function (this: Planner, t: Term, cont: TermCont): void {
  const v = t.value;
  const target = this.newLocal();
  const kind = v.type === "arraycomprehension" ? "MakeArrayStmt" : v.type === "setcomprehension" ? "MakeSetStmt" : "MakeObjectStmt";
  this.emit(kind, kind === "MakeArrayStmt" ? { capacity: 0, target } : { target });
  const block = this.block(() =>
    this.scoped(() => {
      if (v.type === "arraycomprehension") {
        this.body(v.body, 0, () => this.term(v.term, (op) => this.emit("ArrayAppendStmt", { value: op, array: target })));
      } else if (v.type === "setcomprehension") {
        this.body(v.body, 0, () => this.term(v.term, (op) => this.emit("SetAddStmt", { value: op, set: target })));
      } else if (v.type === "objectcomprehension") {
        this.body(v.body, 0, () =>
          this.term(v.key, (k) => this.term(v.value, (x) => this.emit("ObjectInsertOnceStmt", { key: k, value: x, object: target }))),
        );
      }
    }),
  );
  this.loc = t.location;
  this.emit("BlockStmt", { blocks: [block] });
  cont(local(target));
};

Planner.prototype.ref = function (this: Planner, terms: Term[], cont: TermCont): void {
  const [head, ...rest] = terms;
  if (head.value.type === "var") {
    if (head.value.value === "data") return this.dataRef(rest, cont);
    if (head.value.value === "input") return this.path(INPUT_LOCAL, rest, 0, cont);
  }
  this.term(head, (op) => {
    if (rest.length === 0) return cont(op);
    if (op.type !== "local") return this.fail();
    this.path(op.value, rest, 0, cont);
  });
};

/** Walks ref operands from a value: constants are dots, unbound vars and patterns iterate. */
Planner.prototype.path = function (this: Planner, src: number, path: Term[], i: number, cont: TermCont): void {
  if (i >= path.length) return cont(local(src));
  const el = path[i];
  if (this.isUnboundVar(el) || ((el.value.type === "array" || el.value.type === "object") && this.hasUnboundPattern(el))) {
    const k = this.newLocal();
    const v = this.newLocal();
    const block = this.block(() =>
      this.scoped(() => {
        if (this.isUnboundVar(el)) {
          this.vars.set((el.value as { value: string }).value, k);
          this.path(v, path, i + 1, cont);
        } else this.unifyLocal(el, local(k), () => this.path(v, path, i + 1, cont));
      }),
    );
    this.emit("ScanStmt", { source: src, key: k, value: v, block });
    return;
  }
  this.term(el, (key) => {
    const target = this.newLocal();
    this.emit("DotStmt", { source: local(src), key, target });
    this.path(target, path, i + 1, cont);
  });
};
