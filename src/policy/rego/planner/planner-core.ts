// The planner's state and entry plans (OPA's internal/planner/planner.go splits the same way).
// Compiled rules -> OPA IR. Written in continuation-passing style like OPA's planner: planning
// an expression takes the "rest of the body" as a callback, so iteration (ScanStmt) nests the
// remaining statements inside the loop block, and any undefined statement breaks out of the
// innermost block, which is exactly "this binding does not satisfy the body".
//
// Layout of the output follows the golden plans of OPA's conformance suite: one function per
// rule path named `g0.data.<path>` taking (input, data[, args...]); entrypoint plans call them
// and add `{var: value}` objects to the result set.
//
// The methods call each other across concerns (a body plans a rule's function, a rule's
// function plans bodies), so they stay methods of this one class, each defined in the file of
// its concern: rule-tree.ts (rule tree and virtual documents), with-mocks.ts (`with` and mocks),
// bodies-terms.ts (bodies, expressions, unification and terms). planner.ts puts them together.
// Members are therefore not `private`; nothing outside planner/ uses them.
import type { Location, Term } from "../ast.ts";
import { builtin } from "../../builtins/table.ts";
import type { CompiledPolicy, RuleSet } from "../compiler/model.ts";
import { type Block, type BuiltinFunc, type Func, type Operand, type Plan, type Policy, type Stmt, type StmtFields, type StmtType, local } from "./ir.ts";

/** A construct the planner cannot express yet; compileRego turns it into a positioned error. */
export class PlanningError extends Error {
  readonly location: Location;
  constructor(message: string, location: Location) {
    super(message);
    this.name = "PlanningError";
    this.location = location;
  }
}

export interface PlannerState {
  curr: Stmt[];
  vars: Map<string, number>;
  loc: Location;
  mocks: Map<string, Term>;
  gen: number;
  captures: string[];
}

export interface QueuedFunc {
  set: RuleSet;
  name: string;
  mocks: Map<string, Term>;
  gen: number;
  captures: string[];
}

export interface TreeNode {
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

export type Cont = () => void;
export type TermCont = (op: Operand) => void;

export const COMPARE_STMTS: Record<string, "EqualStmt" | "NotEqualStmt"> = { equal: "EqualStmt", neq: "NotEqualStmt" };
/** Builtins whose output form enumerates solutions instead of returning one value. */
export const RELATIONS = new Set(["walk"]);

export class Planner {
  readonly policy: CompiledPolicy;
  readonly strings: string[] = [];
  readonly stringIndex = new Map<string, number>();
  readonly files: string[] = [];
  readonly builtins = new Set<string>();
  readonly funcs: Func[] = [];
  readonly planned = new Set<string>();
  readonly queue: QueuedFunc[] = [];
  /** Function name -> the captured `with` values it takes as extra parameters. */
  readonly funcCaptures = new Map<string, string[]>();
  readonly tree: TreeNode = { children: new Map() };

  // Per function/plan state.
  curr: Stmt[] = [];
  nextLocal = 2;
  vars = new Map<string, number>();
  loc: Location = { file: "<query>", row: 1, col: 1 };
  /** Active `with` replacements: `data.a.b` (rules), `data.a.f` / builtin name (functions) -> value. */
  mocks = new Map<string, Term>();
  /** Generation of the functions planned under the current mocks (0 = none). */
  gen = 0;
  genCounter = 0;
  /** Pseudo-variables holding `with` values computed from locals, passed down to the mocked generation. */
  captures: string[] = [];
  captureCounter = 0;
  /** In an object rule with ref heads, the tree of levels created on the way down (childObject). */
  pathNodes: number | undefined;

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

  reset(firstFree: number): void {
    this.curr = [];
    this.nextLocal = firstFree;
    this.vars = new Map();
  }

  planEntry(name: string, fn: Cont): Plan {
    this.reset(2);
    this.mocks = new Map();
    this.gen = 0;
    this.captures = [];
    this.loc = { file: "<query>", row: 1, col: 1 };
    fn();
    return { name, blocks: [{ stmts: this.curr }] };
  }

  newLocal(): number {
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

  fileIndex(file: string): number {
    let i = this.files.indexOf(file);
    if (i < 0) {
      i = this.files.length;
      this.files.push(file);
    }
    return i;
  }

  emit<T extends StmtType>(type: T, fields: StmtFields[T]): void {
    // The cast pairs `type` with its fields, which the signature already ties together.
    this.curr.push({ type, stmt: { ...fields, file: this.fileIndex(this.loc.file), row: this.loc.row, col: this.loc.col } } as Stmt);
  }

  block(fn: Cont): Block {
    const saved = this.curr;
    this.curr = [];
    fn();
    const b = { stmts: this.curr };
    this.curr = saved;
    return b;
  }

  /** Runs `fn` and restores the variable bindings afterwards (bindings are scoped to nested blocks). */
  scoped(fn: Cont): void {
    const saved = new Map(this.vars);
    fn();
    this.vars = saved;
  }

  toLocal(op: Operand): number {
    if (op.type === "local") return op.value;
    const l = this.newLocal();
    this.emit("AssignVarStmt", { source: op, target: l });
    return l;
  }

  fail(): void {
    // An always-undefined statement: the current binding does not satisfy the body.
    this.emit("EqualStmt", { a: { type: "bool", value: true }, b: { type: "bool", value: false } });
  }

  snapshot(): PlannerState {
    return { curr: this.curr, vars: new Map(this.vars), loc: this.loc, mocks: this.mocks, gen: this.gen, captures: this.captures };
  }

  restore(s: PlannerState): void {
    this.curr = s.curr;
    this.vars = new Map(s.vars);
    this.loc = s.loc;
    this.mocks = s.mocks;
    this.gen = s.gen;
    this.captures = s.captures;
  }

}
