// Compiled rules -> OPA IR. Written in continuation-passing style like OPA's planner: planning
// an expression takes the "rest of the body" as a callback, so iteration (ScanStmt) nests the
// remaining statements inside the loop block, and any undefined statement breaks out of the
// innermost block, which is exactly "this binding does not satisfy the body".
//
// Layout of the output follows the golden plans of OPA's conformance suite: one function per
// rule path named `g0.data.<path>` taking (input, data[, args...]); entrypoint plans call them
// and add `{var: value}` objects to the result set.
import type { Body, Expr, Location, Term } from "../ast.ts";
import { isCallExpr, isEveryExpr, isTermExpr } from "../ast.ts";
import { builtin, builtinArity } from "../../builtins/table.ts";
import type { CompiledPolicy, CompiledRule, RuleSet } from "../compiler/model.ts";
import { collectFreeVars, opName, patternVars } from "../compiler/resolve-names.ts";
import { operatorName } from "../compiler/term-build.ts";
import { DATA_LOCAL, INPUT_LOCAL, type Block, type BuiltinFunc, type Func, type Operand, type Plan, type Policy, type Stmt, type StmtFields, type StmtType, local } from "./ir.ts";

/** A construct the planner cannot express yet; compileRego turns it into a positioned error. */
export class PlanningError extends Error {
  readonly location: Location;
  constructor(message: string, location: Location) {
    super(message);
    this.name = "PlanningError";
    this.location = location;
  }
}

interface PlannerState {
  curr: Stmt[];
  vars: Map<string, number>;
  loc: Location;
  mocks: Map<string, Term>;
  gen: number;
  captures: string[];
}

interface QueuedFunc {
  set: RuleSet;
  name: string;
  mocks: Map<string, Term>;
  gen: number;
  captures: string[];
}

interface TreeNode {
  children: Map<string, TreeNode>;
  set?: RuleSet;
  isPackage?: boolean;
}

export interface PlanRequest {
  /** A query plan (conformance style): its result set holds the query's variable bindings. */
  query?: { name: string };
  /** Entrypoint plans: `a/b/c` -> result set `[{"result": data.a.b.c}]`. */
  entrypoints?: Array<{ name: string; path: string[] }>;
}

type Cont = () => void;
type TermCont = (op: Operand) => void;

const COMPARE_STMTS: Record<string, "EqualStmt" | "NotEqualStmt"> = { equal: "EqualStmt", neq: "NotEqualStmt" };
/** Builtins whose output form enumerates solutions instead of returning one value. */
const RELATIONS = new Set(["walk"]);

export class Planner {
  private readonly policy: CompiledPolicy;
  private readonly strings: string[] = [];
  private readonly stringIndex = new Map<string, number>();
  private readonly files: string[] = [];
  private readonly builtins = new Set<string>();
  private readonly funcs: Func[] = [];
  private readonly planned = new Set<string>();
  private readonly queue: QueuedFunc[] = [];
  /** Function name -> the captured `with` values it takes as extra parameters. */
  private readonly funcCaptures = new Map<string, string[]>();
  private readonly tree: TreeNode = { children: new Map() };

  // Per function/plan state.
  private curr: Stmt[] = [];
  private nextLocal = 2;
  private vars = new Map<string, number>();
  private loc: Location = { file: "<query>", row: 1, col: 1 };
  /** Active `with` replacements: `data.a.b` (rules), `data.a.f` / builtin name (functions) -> value. */
  private mocks = new Map<string, Term>();
  /** Generation of the functions planned under the current mocks (0 = none). */
  private gen = 0;
  private genCounter = 0;
  /** Pseudo-variables holding `with` values computed from locals, passed down to the mocked generation. */
  private captures: string[] = [];
  private captureCounter = 0;
  /** In an object rule with ref heads, the tree of levels created on the way down (childObject). */
  private pathNodes: number | undefined;

  constructor(policy: CompiledPolicy) {
    this.policy = policy;
    for (const set of policy.ruleSets.values()) {
      let node = this.tree;
      for (const p of set.path) {
        let next = node.children.get(p);
        if (!next) {
          next = { children: new Map() };
          node.children.set(p, next);
        }
        node = next;
      }
      node.set = set;
    }
    // Packages without rules still exist as (empty) virtual documents.
    for (const pkg of policy.packages ?? []) {
      let node = this.tree;
      for (const p of pkg) {
        let next = node.children.get(p);
        if (!next) {
          next = { children: new Map() };
          node.children.set(p, next);
        }
        node = next;
      }
      node.isPackage = true;
    }
  }

  plan(request: PlanRequest): Policy {
    const plans: Plan[] = [];
    if (request.query) {
      const q = this.policy.query;
      if (!q) throw new Error("no query was compiled");
      plans.push(
        this.planEntry(request.query.name, () =>
          this.body(q.body, 0, () => {
            const obj = this.newLocal();
            this.emit("MakeObjectStmt", { target: obj });
            for (const v of q.resultVars) {
              const l = this.vars.get(v.local);
              if (l === undefined) continue;
              this.emit("ObjectInsertStmt", { key: this.str(v.name), value: local(l), object: obj });
            }
            this.emit("ResultSetAddStmt", { value: obj });
          }),
        ),
      );
    }
    for (const ep of request.entrypoints ?? []) {
      plans.push(
        this.planEntry(ep.name, () =>
          this.dataRef(ep.path.map((p) => ({ value: { type: "string", value: p }, location: this.loc }) as Term), (op) => {
            const obj = this.newLocal();
            this.emit("MakeObjectStmt", { target: obj });
            this.emit("ObjectInsertStmt", { key: this.str("result"), value: op, object: obj });
            this.emit("ResultSetAddStmt", { value: obj });
          }),
        ),
      );
    }
    while (this.queue.length > 0) this.planFunc(this.queue.shift()!);
    // Declarations as OPA writes them into plans (from the builtin table).
    const builtinFuncs: BuiltinFunc[] = [...this.builtins].sort().map((name) => {
      const entry = builtin(name);
      if (!entry) throw new PlanningError(`unknown builtin ${name}`, this.loc);
      return { name, decl: entry.decl };
    });
    return {
      static: { strings: this.strings.map((value) => ({ value })), builtin_funcs: builtinFuncs, files: this.files.map((value) => ({ value })) },
      plans: { plans },
      funcs: { funcs: this.funcs },
    };
  }

  // ------------------------------------------------------------------ state helpers

  private reset(firstFree: number): void {
    this.curr = [];
    this.nextLocal = firstFree;
    this.vars = new Map();
  }

  private planEntry(name: string, fn: Cont): Plan {
    this.reset(2);
    this.mocks = new Map();
    this.gen = 0;
    this.captures = [];
    this.loc = { file: "<query>", row: 1, col: 1 };
    fn();
    return { name, blocks: [{ stmts: this.curr }] };
  }

  private newLocal(): number {
    return this.nextLocal++;
  }

  str(s: string): Extract<Operand, { type: "string_index" }> {
    let i = this.stringIndex.get(s);
    if (i === undefined) {
      i = this.strings.length;
      this.strings.push(s);
      this.stringIndex.set(s, i);
    }
    return { type: "string_index", value: i };
  }

  private fileIndex(file: string): number {
    let i = this.files.indexOf(file);
    if (i < 0) {
      i = this.files.length;
      this.files.push(file);
    }
    return i;
  }

  private emit<T extends StmtType>(type: T, fields: StmtFields[T]): void {
    // The cast pairs `type` with its fields, which the signature already ties together.
    this.curr.push({ type, stmt: { ...fields, file: this.fileIndex(this.loc.file), row: this.loc.row, col: this.loc.col } } as Stmt);
  }

  private block(fn: Cont): Block {
    const saved = this.curr;
    this.curr = [];
    fn();
    const b = { stmts: this.curr };
    this.curr = saved;
    return b;
  }

  /** Runs `fn` and restores the variable bindings afterwards (bindings are scoped to nested blocks). */
  private scoped(fn: Cont): void {
    const saved = new Map(this.vars);
    fn();
    this.vars = saved;
  }

  private toLocal(op: Operand): number {
    if (op.type === "local") return op.value;
    const l = this.newLocal();
    this.emit("AssignVarStmt", { source: op, target: l });
    return l;
  }

  private fail(): void {
    // An always-undefined statement: the current binding does not satisfy the body.
    this.emit("EqualStmt", { a: { type: "bool", value: true }, b: { type: "bool", value: false } });
  }

  // ------------------------------------------------------------------ rules

  private funcName(set: RuleSet): string {
    const name = `g${this.gen}.data.${set.path.join(".")}`;
    if (!this.planned.has(name)) {
      this.planned.add(name);
      this.queue.push({ set, name, mocks: this.mocks, gen: this.gen, captures: this.captures });
      this.funcCaptures.set(name, this.captures);
    }
    return name;
  }

  /** Extra call arguments for a function of a mocked generation: the captured values. */
  private captureArgs(func: string): Operand[] {
    return (this.funcCaptures.get(func) ?? []).map((n) => local(this.vars.get(n)!));
  }

  private planFunc(entry: QueuedFunc): void {
    const set = entry.set;
    const arity = set.kind === "function" ? set.arity : 0;
    this.reset(2 + arity + entry.captures.length);
    this.mocks = entry.mocks;
    this.gen = entry.gen;
    this.captures = entry.captures;
    entry.captures.forEach((n, i) => this.vars.set(n, 2 + arity + i));
    const params = [INPUT_LOCAL, DATA_LOCAL, ...Array.from({ length: arity + entry.captures.length }, (_, i) => 2 + i)];
    const first = set.rules[0] ?? set.defaultRule!;
    this.loc = first.location;
    const ret = this.newLocal();
    const blocks: Block[] = [];
    if (set.kind === "set" || set.kind === "object") {
      const deep = set.kind === "object" && set.rules.some((r) => r.keys.length > 1);
      this.pathNodes = deep ? this.newLocal() : undefined;
      blocks.push(
        this.block(() => {
          this.emit(set.kind === "set" ? "MakeSetStmt" : "MakeObjectStmt", { target: ret });
          if (this.pathNodes !== undefined) this.emit("MakeObjectStmt", { target: this.pathNodes });
        }),
      );
      for (const r of set.rules) {
        blocks.push(
          this.block(() => {
            this.loc = r.location;
            this.scoped(() => this.body(r.body, 0, () => this.insertPartial(r, ret)));
          }),
        );
      }
    } else {
      const result = this.newLocal();
      blocks.push(
        this.block(() => {
          this.emit("ResetLocalStmt", { target: result });
          for (const r of set.rules) {
            this.loc = r.location;
            this.chain(r, params.slice(2), result);
          }
          if (set.defaultRule) {
            const d = set.defaultRule;
            this.loc = d.location;
            this.emit("BlockStmt", {
              blocks: [
                this.block(() => {
                  this.emit("IsUndefinedStmt", { source: result });
                  this.scoped(() => this.ruleValue(d, params.slice(2), result));
                }),
              ],
            });
          }
        }),
      );
      blocks.push(
        this.block(() => {
          this.emit("IsDefinedStmt", { source: result });
          this.emit("AssignVarOnceStmt", { source: local(result), target: ret });
        }),
      );
    }
    blocks.push(this.block(() => this.emit("ReturnLocalStmt", { source: ret })));
    this.funcs.push({ name: entry.name, params, return: ret, blocks, path: [`g${entry.gen}`, ...set.path] });
  }

  /** One definition with its `else` chain: the first branch whose body holds assigns the value. */
  private chain(r: CompiledRule, args: number[], result: number): void {
    if (!r.else) {
      this.emit("BlockStmt", { blocks: [this.block(() => this.scoped(() => this.ruleValue(r, args, result)))] });
      return;
    }
    const c = this.newLocal();
    this.emit("ResetLocalStmt", { target: c });
    const blocks: Block[] = [];
    let first = true;
    for (let cur: CompiledRule | undefined = r; cur; cur = cur.else) {
      const branch = cur;
      const isFirst = first;
      first = false;
      blocks.push(
        this.block(() => {
          this.loc = branch.location;
          if (!isFirst) this.emit("IsUndefinedStmt", { source: c });
          this.scoped(() => this.ruleValue(branch, args, c));
        }),
      );
    }
    this.emit("BlockStmt", { blocks });
    this.emit("BlockStmt", {
      blocks: [
        this.block(() => {
          this.emit("IsDefinedStmt", { source: c });
          this.emit("AssignVarOnceStmt", { source: local(c), target: result });
        }),
      ],
    });
  }

  /** Binds function parameters, plans the body and assigns the head value once. */
  private ruleValue(r: CompiledRule, args: number[], target: number): void {
    const bindArgs = (i: number, cont: Cont): void => {
      if (!r.args || i >= r.args.length) return cont();
      this.unifyLocal(r.args[i], local(args[i]), () => bindArgs(i + 1, cont));
    };
    bindArgs(0, () =>
      this.body(r.body, 0, () => {
        const value = r.value;
        if (!value) {
          this.emit("AssignVarOnceStmt", { source: { type: "bool", value: true }, target });
          return;
        }
        this.term(value, (op) => this.emit("AssignVarOnceStmt", { source: op, target }));
      }),
    );
  }

  private insertPartial(r: CompiledRule, target: number): void {
    if (r.kind === "set") {
      this.term(r.keys[0], (k) => this.emit("SetAddStmt", { value: k, set: target }));
      return;
    }
    // Ref-head rules insert along their key path: `p[x].r contains y` walks p -> x -> "r" and adds
    // y to the set there; `p[x][y] := v` inserts v at p -> x -> y. Intermediate levels are fetched or
    // created; a level holding a different kind of value makes the insert conflict (eval_conflict_error).
    this.terms(r.keys, (ops) => {
      let cur = target;
      let nodes = this.pathNodes;
      const levels = r.leafSet ? ops.length - 1 : ops.length;
      for (let i = 0; i < levels - 1; i++) [cur, nodes] = this.childObject(cur, nodes, ops[i]);
      const last = ops[levels - 1];
      if (r.leafSet) {
        const set = this.childCollection(cur, last, "set");
        this.emit("SetAddStmt", { value: ops[ops.length - 1], set });
        return;
      }
      if (!r.value) {
        this.emit("ObjectInsertOnceStmt", { key: last, value: { type: "bool", value: true }, object: cur });
        return;
      }
      this.term(r.value, (v) => this.emit("ObjectInsertOnceStmt", { key: last, value: v, object: cur }));
    });
  }

  /**
   * An intermediate object level of a ref-head insert, with its twin in the path-node tree: a
   * level another rule created on its way down may be shared, but an object that is a rule's
   * value may not be extended (`p[q].r := {"s": 1}` and `p.q.r.t := 2` conflict, as in OPA).
   * An existing value that is no path node is left unset here, so the insert-once below
   * conflicts with it.
   */
  private childObject(parent: number, nodes: number | undefined, key: Operand): [number, number | undefined] {
    if (nodes === undefined) return [this.childCollection(parent, key, "object"), undefined];
    const child = this.newLocal();
    const childNodes = this.newLocal();
    const tmp = this.newLocal();
    const tmpNodes = this.newLocal();
    this.emit("ResetLocalStmt", { target: child });
    this.emit("BlockStmt", {
      blocks: [
        this.block(() => {
          this.emit("DotStmt", { source: local(parent), key, target: tmp });
          this.emit("IsObjectStmt", { source: local(tmp) });
          this.emit("DotStmt", { source: local(nodes), key, target: tmpNodes });
          this.emit("AssignVarStmt", { source: local(tmp), target: child });
          this.emit("AssignVarStmt", { source: local(tmpNodes), target: childNodes });
        }),
      ],
    });
    this.emit("BlockStmt", {
      blocks: [
        this.block(() => {
          this.emit("IsUndefinedStmt", { source: child });
          this.emit("MakeObjectStmt", { target: child });
          this.emit("ObjectInsertOnceStmt", { key, value: local(child), object: parent });
          this.emit("MakeObjectStmt", { target: childNodes });
          this.emit("ObjectInsertStmt", { key, value: local(childNodes), object: nodes });
        }),
      ],
    });
    return [child, childNodes];
  }

  private childCollection(parent: number, key: Operand, kind: "object" | "set"): number {
    const child = this.newLocal();
    const tmp = this.newLocal();
    this.emit("ResetLocalStmt", { target: child });
    this.emit("BlockStmt", {
      blocks: [
        this.block(() => {
          this.emit("DotStmt", { source: local(parent), key, target: tmp });
          this.emit(kind === "object" ? "IsObjectStmt" : "IsSetStmt", { source: local(tmp) });
          this.emit("AssignVarStmt", { source: local(tmp), target: child });
        }),
      ],
    });
    this.emit("BlockStmt", {
      blocks: [
        this.block(() => {
          this.emit("IsUndefinedStmt", { source: child });
          this.emit(kind === "object" ? "MakeObjectStmt" : "MakeSetStmt", { target: child });
          this.emit("ObjectInsertOnceStmt", { key, value: local(child), object: parent });
        }),
      ],
    });
    return child;
  }

  // ------------------------------------------------------------------ bodies and expressions

  private body(body: Body, start: number, cont: Cont): void {
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
  }

  private snapshot(): PlannerState {
    return { curr: this.curr, vars: new Map(this.vars), loc: this.loc, mocks: this.mocks, gen: this.gen, captures: this.captures };
  }

  private restore(s: PlannerState): void {
    this.curr = s.curr;
    this.vars = new Map(s.vars);
    this.loc = s.loc;
    this.mocks = s.mocks;
    this.gen = s.gen;
    this.captures = s.captures;
  }

  private expr(e: Expr, cont: Cont): void {
    this.loc = e.location;
    if (e.with.length > 0) return this.withExpr(e, cont);
    this.exprNoWith(e, cont);
  }

  private exprNoWith(e: Expr, cont: Cont): void {
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
  }

  private positive(e: Expr, cont: Cont): void {
    if (isEveryExpr(e)) return this.every(e, cont);
    if (isCallExpr(e)) return this.callExpr(e.terms, cont);
    if (isTermExpr(e)) {
      return this.term(e.terms, (op) => {
        this.emit("NotEqualStmt", { a: op, b: { type: "bool", value: false } });
        cont();
      });
    }
    cont();
  }

  /** `inner` plans the expression itself (default: as a body expression). */
  private withExpr(e: Expr, cont: Cont, inner: (e: Expr, cont: Cont) => void = (x, c) => this.exprNoWith(x, c)): void {
    // Targets on input and base data become WithStmts; targets on rules, functions and builtins
    // become plan-time mocks: calls and refs planned for this expression (and the functions it
    // reaches, planned as a new generation) use the replacement instead.
    const docs: Array<{ local: number; path: string[]; value: Term }> = [];
    const mocks = new Map(this.mocks);
    for (const w of e.with) {
      const t = w.target;
      const terms = t.value.type === "ref" ? t.value.value : t.value.type === "var" ? [t] : [];
      const head = terms[0];
      const root = head?.value.type === "var" ? head.value.value : undefined;
      if (root === "input" || root === "data") {
        if (terms.slice(1).some((x) => x.value.type !== "string")) throw new PlanningError("`with` target paths must be constant", w.location);
        const path = terms.slice(1).map((x) => (x.value as { value: string }).value);
        if (root === "data" && this.touchesRules(path)) {
          mocks.set(`data.${path.join(".")}`, w.value);
          continue;
        }
        docs.push({ local: root === "input" ? INPUT_LOCAL : DATA_LOCAL, path, value: w.value });
        continue;
      }
      const name = operatorName(t);
      if (name === undefined || builtinArity(name) === undefined) throw new PlanningError("`with` target must be input, data or a function", w.location);
      mocks.set(name, w.value);
    }
    const outerMocks = this.mocks;
    const outerGen = this.gen;
    const outerCaptures = this.captures;
    // Replacement values built from locals are computed here and handed to the mocked functions
    // as extra parameters (pseudo-variables `$capN`).
    const captured: Array<{ key: string; term: Term; name: string }> = [];
    for (const [k, v] of mocks) {
      if (outerMocks.get(k) === v || this.mockFunction(v) !== undefined) continue;
      const free = new Set<string>();
      collectFreeVars(v, free);
      if ([...free].some((n) => this.vars.has(n))) captured.push({ key: k, term: v, name: `$cap${this.captureCounter++}` });
    }
    for (const c of captured) mocks.set(c.key, { value: { type: "var", value: c.name }, location: c.term.location });
    const restoreMocks = (): void => {
      this.mocks = outerMocks;
      this.gen = outerGen;
      this.captures = outerCaptures;
    };
    this.terms(
      [...docs.map((d) => d.value), ...captured.map((c) => c.term)],
      (allValues) => {
        const values = allValues.slice(0, docs.length);
        captured.forEach((c, i) => this.bind({ value: { type: "var", value: c.name }, location: c.term.location }, allValues[docs.length + i]));
        if (mocks.size !== outerMocks.size || [...mocks].some(([k, v]) => outerMocks.get(k) !== v)) {
          this.mocks = mocks;
          this.gen = ++this.genCounter;
          this.captures = [...outerCaptures, ...captured.map((c) => c.name)];
        }
        const saved = new Map<number, number>();
        for (const t of docs) {
          if (saved.has(t.local)) continue;
          const s = this.newLocal();
          this.emit("AssignVarStmt", { source: local(t.local), target: s });
          saved.set(t.local, s);
        }
        const nest = (i: number): void => {
          if (i < docs.length) {
            const block = this.block(() => nest(i + 1));
            this.emit("WithStmt", { local: docs[i].local, path: docs[i].path.map((p) => this.str(p).value), value: values[i], block });
            return;
          }
          const innerMocks = this.mocks;
          const innerGen = this.gen;
          const innerCaptures = this.captures;
          inner({ ...e, with: [] }, () => {
            // Restore the originals before the rest of the body (with applies to one expression).
            const afterMocks = this.mocks;
            const afterGen = this.gen;
            const afterCaptures = this.captures;
            restoreMocks();
            const restore = (j: number): void => {
              const entries = [...saved.entries()];
              if (j >= entries.length) return cont();
              const [l, s] = entries[j];
              const block = this.block(() => restore(j + 1));
              this.emit("WithStmt", { local: l, path: [], value: local(s), block });
            };
            restore(0);
            this.mocks = afterMocks;
            this.gen = afterGen;
            this.captures = afterCaptures;
          });
          this.mocks = innerMocks;
          this.gen = innerGen;
          this.captures = innerCaptures;
        };
        nest(0);
      },
    );
    restoreMocks();
  }

  private touchesRules(path: string[]): boolean {
    let node: TreeNode | undefined = this.tree;
    for (const p of path) {
      if (node.set) return true;
      node = node.children.get(p);
      if (!node) return false;
    }
    return true;
  }

  private every(e: Expr & { terms: { type: "every" } }, cont: Cont): void {
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
  }

  private callExpr(terms: Term[], cont: Cont): void {
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
  }

  private arityOf(name: string | undefined, op: Term): number {
    if (name === undefined) throw new PlanningError("dynamic function calls are not supported yet", op.location);
    if (name.startsWith("data.")) return this.funcSet(name, op).arity;
    return builtinArity(name) ?? -1;
  }

  private funcSet(name: string, op: Term): RuleSet {
    const set = this.policy.ruleSets.get(name.slice(5).split(".").join("/"));
    if (!set || set.kind !== "function") throw new PlanningError(`undefined function ${name}`, op.location);
    return set;
  }

  /** The function a `with` replacement names (`with f as g`, `with count as mock`), if it is one. */
  private mockFunction(value: Term): string | undefined {
    if (value.value.type === "var" && this.vars.has(value.value.value)) return undefined;
    const name = operatorName(value);
    if (name === undefined) return undefined;
    if (name.startsWith("data.")) {
      const set = this.policy.ruleSets.get(name.slice(5).split(".").join("/"));
      return set?.kind === "function" ? name : undefined;
    }
    return builtinArity(name) !== undefined ? name : undefined;
  }

  /** Runs `fn` without mocks: a replacement function calls the originals, never other mocks (as in OPA). */
  private withoutMocks(fn: Cont): void {
    const saved = { mocks: this.mocks, gen: this.gen, captures: this.captures };
    this.mocks = new Map();
    this.gen = 0;
    this.captures = [];
    fn();
    this.mocks = saved.mocks;
    this.gen = saved.gen;
    this.captures = saved.captures;
  }

  private call(op: Term, args: Term[], cont: TermCont): void {
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
  }

  private callNamed(name: string, op: Term, args: Term[], cont: TermCont, planned?: string): void {
    const loc = this.loc;
    this.terms(args, (ops) => {
      this.loc = loc;
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
  }

  // ------------------------------------------------------------------ unification

  private isUnboundVar(t: Term): boolean {
    return t.value.type === "var" && t.value.value !== "input" && t.value.value !== "data" && !this.vars.has(t.value.value);
  }

  private hasUnboundPattern(t: Term): boolean {
    return patternVars(t).some((v) => v !== "input" && v !== "data" && !this.vars.has(v));
  }

  private bind(t: Term, op: Operand): void {
    const l = this.newLocal();
    this.emit("AssignVarStmt", { source: op, target: l });
    this.vars.set((t.value as { value: string }).value, l);
  }

  private unify(a: Term, b: Term, cont: Cont): void {
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
  }

  /** Unifies a pattern with an already computed value. */
  private unifyLocal(pattern: Term, value: Operand, cont: Cont): void {
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
  }

  // ------------------------------------------------------------------ terms

  private terms(ts: Term[], cont: (ops: Operand[]) => void): void {
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
  }

  /** Scalars, bound vars and literals made of them: planned without iteration or undefinedness. */
  private isSimple(t: Term): boolean {
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
  }

  private simple(t: Term): Operand {
    let out: Operand | undefined;
    this.term(t, (op) => (out = op));
    return out!;
  }

  private term(t: Term, cont: TermCont): void {
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
  }

  /**
   * `$"a {x} b"`: each interpolated expression becomes the set of its values (empty when
   * undefined), and `internal.template_string` renders the array of parts, as OPA plans it.
   */
  private templateString(parts: Array<Term | Expr>, cont: TermCont): void {
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
  }

  private comprehension(t: Term, cont: TermCont): void {
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
  }

  private ref(terms: Term[], cont: TermCont): void {
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
  }

  /** Walks ref operands from a value: constants are dots, unbound vars and patterns iterate. */
  private path(src: number, path: Term[], i: number, cont: TermCont): void {
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
  }

  /** `data...` refs: rule paths call their function, package prefixes build the virtual document. */
  private dataRef(path: Term[], cont: TermCont): void {
    let node: TreeNode = this.tree;
    const prefix: string[] = [];
    for (let i = 0; ; i++) {
      const mock = prefix.length > 0 ? this.mocks.get(`data.${prefix.join(".")}`) : undefined;
      if (mock) return this.term(mock, (op) => (op.type === "local" ? this.path(op.value, path, i, cont) : i >= path.length ? cont(op) : this.fail()));
      if (node.set && node.set.kind !== "function") {
        const result = this.newLocal();
        const func = this.funcName(node.set);
        this.emit("CallStmt", { func, args: [local(INPUT_LOCAL), local(DATA_LOCAL), ...this.captureArgs(func)], result });
        return this.path(result, path, i, cont);
      }
      if (i >= path.length) {
        return cont(local(this.virtualDoc(node, prefix)));
      }
      const el = path[i];
      if (el.value.type === "string") {
        const child = node.children.get(el.value.value);
        if (!child) return this.path(DATA_LOCAL, path, 0, cont);
        prefix.push(el.value.value);
        node = child;
        continue;
      }
      // A number, boolean or null never names a package or rule: only base data can hold it
      // (OPA's storage reads data[2] as the key "2").
      if (el.value.type === "number" || el.value.type === "boolean" || el.value.type === "null") return this.path(DATA_LOCAL, path, 0, cont);
      if (node.children.size === 0) return this.path(DATA_LOCAL, path, 0, cont);
      // A computed key: build only the part of the document the rest of the ref can reach.
      return this.path(this.virtualDoc(node, prefix, path.slice(i)), path, i, cont);
    }
  }

  /** The value of a package-like node: its rules' values merged over the base document there. */
  private virtualDoc(node: TreeNode, prefix: string[], pattern: Term[] = []): number {
    const obj = this.newLocal();
    this.emit("MakeObjectStmt", { target: obj });
    for (const [name, child] of node.children) {
      if (child.set?.kind === "function") continue;
      const want = pattern[0];
      if (want && want.value.type === "string" && want.value.value !== name) continue;
      if (want && (want.value.type === "number" || want.value.type === "boolean" || want.value.type === "null")) continue; // never a rule name
      const childMock = this.mocks.get(`data.${[...prefix, name].join(".")}`);
      const block = this.block(() => {
        let value: number;
        if (childMock) {
          value = this.newLocal();
          this.term(childMock, (op) => this.emit("AssignVarStmt", { source: op, target: value }));
        } else if (child.set) {
          value = this.newLocal();
          const func = this.funcName(child.set);
          this.emit("CallStmt", { func, args: [local(INPUT_LOCAL), local(DATA_LOCAL), ...this.captureArgs(func)], result: value });
        } else value = this.virtualDoc(child, [...prefix, name], pattern.slice(1));
        this.emit("ObjectInsertStmt", { key: this.str(name), value: local(value), object: obj });
      });
      this.emit("BlockStmt", { blocks: [block] });
    }
    const res = this.newLocal();
    const inner = this.block(() => {
      let src = DATA_LOCAL;
      for (const p of prefix) {
        const t = this.newLocal();
        this.emit("DotStmt", { source: local(src), key: this.str(p), target: t });
        src = t;
      }
      this.emit("ObjectMergeStmt", { a: src, b: obj, target: res });
      this.emit("BreakStmt", { index: 1 });
    });
    this.emit("BlockStmt", {
      blocks: [
        this.block(() => {
          this.emit("BlockStmt", { blocks: [inner] });
          this.emit("AssignVarStmt", { source: local(obj), target: res });
        }),
      ],
    });
    return res;
  }
}
