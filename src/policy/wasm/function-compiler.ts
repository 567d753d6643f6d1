// Translates the statements of one IR plan or function into Wasm expressions.
// IR locals become i32 Wasm locals holding value addresses (0 = undefined); every IR
// block becomes a labelled Wasm block, and "undefined" means a branch out of the
// innermost one, exactly the IR's semantics.
import { I32, NONE, type Expr } from "./emit/expression.ts";
import type { WasmModule } from "./emit/wasm-module.ts";
import { IrCompileError, type IrLocation } from "./compile-error.ts";
import type { ModuleContext } from "./module-context.ts";
import type { Block, Local, Operand, Stmt, StmtOf } from "../rego/planner/ir.ts";

type X = Expr;
const i32 = I32;
const none = NONE;

const T_ARR = 5;
const T_OBJ = 6;
const T_SET = 7;

export type ScopeKind = { kind: "plan" } | { kind: "func"; name: string; arity: number };

export class FunctionCompiler {
  private readonly m: WasmModule;
  private readonly locals = new Map<number, number>();
  private readonly varTypes: number[] = [];
  private readonly labels: string[] = [];
  private labelCounter = 0;
  private readonly paramCount: number;
  private readonly path: number[] = [];
  private readonly enclosing: string[] = [];
  private stmtIndex: number | undefined;
  private stmtType: string | undefined;
  private stmtNow: Stmt | undefined;
  /** IR locals known to hold (part of) the base data document: local 1 and Dot results on it. */
  private readonly dataLocals = new Set<number>([1]);

  private readonly ctx: ModuleContext;
  private readonly scope: string;
  private readonly kindInfo: ScopeKind;

  /**
   * The IR locals this scope reads (readLocals of its blocks). A ScanStmt whose key is not
   * among them skips building the key (for an array, a number per element). Unset: every
   * key is built.
   */
  readLocals: ReadonlySet<number> | undefined;

  constructor(ctx: ModuleContext, scope: string, kindInfo: ScopeKind, params: number[]) {
    this.ctx = ctx;
    this.scope = scope;
    this.kindInfo = kindInfo;
    this.m = ctx.mod;
    params.forEach((p, i) => this.locals.set(p, i));
    this.paramCount = params.length + (kindInfo.kind === "plan" ? 1 : 0);
  }

  /** The plan's result set is an extra Wasm parameter after input and data. */
  get resultSetLocal(): number {
    return 2;
  }

  get vars(): number[] {
    return this.varTypes;
  }

  // ---- errors -------------------------------------------------------------

  fail(message: string): never {
    throw new IrCompileError(message, this.location());
  }

  private location(): IrLocation {
    const loc: IrLocation = { scope: this.scope, blockPath: [...this.path], enclosing: [...this.enclosing] };
    if (this.stmtIndex !== undefined) loc.statementIndex = this.stmtIndex;
    if (this.stmtType) loc.statementType = this.stmtType;
    const s = this.stmtNow?.stmt;
    if (s) {
      loc.file = this.ctx.files[s.file] ?? `file#${s.file}`;
      loc.row = s.row;
      loc.col = s.col;
    }
    return loc;
  }

  // ---- locals and operands -------------------------------------------------

  /** Wasm local index of an IR local (allocated on first use). */
  wasmLocal(irLocal: number): number {
    let idx = this.locals.get(irLocal);
    if (idx === undefined) {
      idx = this.paramCount + this.varTypes.length;
      this.varTypes.push(i32);
      this.locals.set(irLocal, idx);
    }
    return idx;
  }

  scratch(type: number = i32): number {
    this.varTypes.push(type);
    return this.paramCount + this.varTypes.length - 1;
  }

  private get(l: Local): X {
    return this.m.local.get(this.wasmLocal(l), i32);
  }

  private set(l: Local, value: X): X {
    this.dataLocals.delete(l);
    return this.m.local.set(this.wasmLocal(l), value);
  }

  /** An operand: {type: local|bool|string_index, value}; `field` names it in errors. */
  private operand(op: Operand, field: string): X {
    switch (op.type) {
      case "local":
        return this.m.local.get(this.wasmLocal(op.value), i32);
      case "bool":
        return this.call("opa_boolean", [this.m.i32.const(op.value ? 1 : 0)]);
      case "string_index":
        return this.m.i32.const(this.stringValue(op.value, field));
    }
  }

  private stringValue(index: number, field: string): number {
    if (index >= this.ctx.stringValues.length) {
      this.fail(`field "${field}" refers to string ${JSON.stringify(index)}, which is not in static.strings`);
    }
    return this.ctx.stringValues[index];
  }

  private call(name: string, args: X[]): X {
    return this.m.call(name, args, this.ctx.returnType(name));
  }

  // ---- control flow --------------------------------------------------------

  private newLabel(): string {
    return `L${this.labelCounter++}`;
  }

  private get current(): string {
    const l = this.labels[this.labels.length - 1];
    if (l === undefined) this.fail("statement outside of a block");
    return l;
  }

  private undefinedIf(cond: X): X {
    return this.m.br(this.current, cond);
  }

  /** A sequence of IR blocks (a plan's or function's body, or a BlockStmt). */
  compileBlocks(blocks: Block[]): X[] {
    const via = this.stmtType !== undefined && this.stmtIndex !== undefined ? `statement ${this.stmtIndex} ${this.stmtType}` : "";
    return blocks.map((b, i) => {
      this.path.push(i);
      this.enclosing.push(via);
      const out = this.compileBlock(b);
      this.path.pop();
      this.enclosing.pop();
      return out;
    });
  }

  private compileBlock(block: Block, onComplete: X[] = []): X {
    const label = this.newLabel();
    this.labels.push(label);
    const body: X[] = [];
    const saved = [this.stmtIndex, this.stmtType, this.stmtNow] as const;
    block.stmts.forEach((st, i) => {
      this.stmtIndex = i;
      body.push(this.compileStmt(st));
    });
    [this.stmtIndex, this.stmtType, this.stmtNow] = saved;
    this.labels.pop();
    body.push(...onComplete);
    return this.m.block(label, body, none);
  }

  /** The `block` field of Scan/Not/With: one nested IR block. */
  private nestedBlock(block: Block, onComplete: X[] = []): X {
    const saved = [this.stmtIndex, this.stmtType, this.stmtNow] as const;
    this.path.push(0);
    this.enclosing.push(`statement ${this.stmtIndex} ${this.stmtType}`);
    const out = this.compileBlock(block, onComplete);
    this.path.pop();
    this.enclosing.pop();
    [this.stmtIndex, this.stmtType, this.stmtNow] = saved;
    return out;
  }

  private runtimeError(st: Stmt, message: string): X {
    const s = st.stmt;
    return this.m.block(null, [
      this.call("rt_runtime_error", [
        this.m.i32.const(this.ctx.statics.cstring(this.ctx.files[s.file] ?? "")),
        this.m.i32.const(s.row),
        this.m.i32.const(s.col),
        this.m.i32.const(this.ctx.statics.cstring(message)),
      ]),
      this.m.unreachable(),
    ]);
  }

  private compileStmt(st: Stmt): X {
    this.stmtType = st.type;
    this.stmtNow = st;
    const m = this.m;
    switch (st.type) {
      case "NopStmt":
        return m.nop();
      case "AssignVarStmt":
        return this.set(st.stmt.target, this.operand(st.stmt.source, "source"));
      case "AssignIntStmt":
      case "MakeNumberIntStmt":
        return this.set(st.stmt.target, this.call("opa_number_int", [this.i64(st.stmt.value)]));
      case "AssignVarOnceStmt": {
        const s = st.stmt;
        const target = this.wasmLocal(s.target);
        const tmp = this.scratch();
        const message = this.kindInfo.kind === "func" && this.kindInfo.arity > 2
          ? "eval_conflict_error: functions must not produce multiple outputs for same inputs"
          : "eval_conflict_error: complete rules must not produce multiple outputs";
        return m.block(null, [
          m.local.set(tmp, this.operand(s.source, "source")),
          m.if(
            m.i32.eqz(m.local.get(target, i32)),
            m.local.set(target, m.local.get(tmp, i32)),
            m.if(
              m.i32.eqz(this.call("rt_value_equal", [m.local.get(target, i32), m.local.get(tmp, i32)])),
              this.runtimeError(st, message),
            ),
          ),
        ]);
      }
      case "ResetLocalStmt":
        return this.set(st.stmt.target, m.i32.const(0));
      case "MakeNullStmt":
        return this.set(st.stmt.target, this.call("opa_null", []));
      case "MakeNumberRefStmt": {
        const idx = st.stmt.Index;
        const text = this.ctx.strings[idx];
        if (text === undefined) this.fail(`"index" ${JSON.stringify(idx)} is not in static.strings`);
        if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) this.fail(`static string ${idx} is not a number: ${JSON.stringify(text)}`);
        return this.set(st.stmt.target, m.global.get(this.ctx.numberConstant(idx, text), i32));
      }
      case "MakeArrayStmt":
        return this.set(st.stmt.target, this.call("opa_array_with_cap", [m.i32.const(st.stmt.capacity)]));
      case "MakeObjectStmt":
        return this.set(st.stmt.target, this.call("opa_object", []));
      case "MakeSetStmt":
        return this.set(st.stmt.target, this.call("opa_set", []));
      case "ArrayAppendStmt":
        return this.call("opa_array_append", [this.get(st.stmt.array), this.operand(st.stmt.value, "value")]);
      case "ObjectInsertStmt":
        return this.call("opa_object_insert", [this.get(st.stmt.object), this.operand(st.stmt.key, "key"), this.operand(st.stmt.value, "value")]);
      case "ObjectInsertOnceStmt":
        return m.if(
          m.i32.eqz(this.call("rt_object_insert_once", [this.get(st.stmt.object), this.operand(st.stmt.key, "key"), this.operand(st.stmt.value, "value")])),
          this.runtimeError(st, "eval_conflict_error: object keys must be unique"),
        );
      case "ObjectMergeStmt":
        return this.set(st.stmt.target, this.call("opa_value_merge", [this.get(st.stmt.a), this.get(st.stmt.b)]));
      case "SetAddStmt":
        return this.call("opa_set_add", [this.get(st.stmt.set), this.operand(st.stmt.value, "value")]);
      case "ResultSetAddStmt":
        if (this.kindInfo.kind !== "plan") this.fail("ResultSetAddStmt outside of a plan");
        return this.call("opa_set_add", [m.local.get(this.resultSetLocal, i32), this.get(st.stmt.value)]);
      case "ReturnLocalStmt":
        if (this.kindInfo.kind !== "func") this.fail("ReturnLocalStmt outside of a function");
        return m.return(this.get(st.stmt.source));
      case "DotStmt": {
        const s = st.stmt;
        if (s.source.type !== "local") {
          this.operand(s.source, "source");
          return m.br(this.current);
        }
        const target = this.wasmLocal(s.target);
        const fromData = this.dataLocals.has(s.source.value);
        if (fromData) this.dataLocals.add(s.target);
        else this.dataLocals.delete(s.target);
        return m.block(null, [
          m.local.set(target, this.call(fromData ? "rt_value_get_data" : "opa_value_get", [this.operand(s.source, "source"), this.operand(s.key, "key")])),
          this.undefinedIf(m.i32.eqz(m.local.get(target, i32))),
        ]);
      }
      case "LenStmt":
        return this.set(st.stmt.target, this.call("opa_number_int", [m.i64.extend_u(this.call("opa_value_length", [this.operand(st.stmt.source, "source")]))]));
      case "EqualStmt":
        return this.undefinedIf(m.i32.eqz(this.call("rt_value_equal", [this.operand(st.stmt.a, "a"), this.operand(st.stmt.b, "b")])));
      case "NotEqualStmt":
        return this.undefinedIf(this.call("rt_value_equal", [this.operand(st.stmt.a, "a"), this.operand(st.stmt.b, "b")]));
      case "IsArrayStmt":
        return this.typeCheck(st.stmt.source, T_ARR);
      case "IsObjectStmt":
        return this.typeCheck(st.stmt.source, T_OBJ);
      case "IsSetStmt":
        return this.typeCheck(st.stmt.source, T_SET);
      case "IsDefinedStmt":
        return this.undefinedIf(m.i32.eqz(this.get(st.stmt.source)));
      case "IsUndefinedStmt":
        return this.undefinedIf(m.i32.ne(this.get(st.stmt.source), m.i32.const(0)));
      case "BlockStmt": {
        const saved = [this.stmtIndex, this.stmtType, this.stmtNow] as const;
        const blocks = this.compileBlocks(st.stmt.blocks);
        [this.stmtIndex, this.stmtType, this.stmtNow] = saved;
        return m.block(null, blocks, none);
      }
      case "BreakStmt": {
        const index = st.stmt.index;
        const label = this.labels[this.labels.length - 1 - index];
        if (index < 0 || label === undefined) this.fail(`break index ${index} exceeds the ${this.labels.length} enclosing blocks`);
        return m.br(label);
      }
      case "NotStmt": {
        const cond = this.scratch();
        return m.block(null, [
          m.local.set(cond, m.i32.const(1)),
          this.nestedBlock(st.stmt.block, [m.local.set(cond, m.i32.const(0))]),
          this.undefinedIf(m.i32.eqz(m.local.get(cond, i32))),
        ]);
      }
      case "ScanStmt":
        return this.scan(st);
      case "WithStmt":
        return this.withStmt(st);
      case "CallStmt":
        return this.callStmt(st);
      case "CallDynamicStmt":
        return this.callDynamic(st);
    }
  }

  private i64(v: number): X {
    return this.m.i64.const(BigInt(v));
  }

  private typeCheck(source: Operand, t: number): X {
    if (source.type !== "local") {
      this.operand(source, "source");
      return this.m.br(this.current);
    }
    return this.undefinedIf(this.m.i32.ne(this.call("opa_value_type", [this.operand(source, "source")]), this.m.i32.const(t)));
  }

  private scan({ stmt: s }: StmtOf<"ScanStmt">): X {
    const m = this.m;
    const src = this.scratch();
    const i = this.scratch();
    const key = this.wasmLocal(s.key);
    const val = this.wasmLocal(s.value);
    const exit = this.newLabel();
    const loop = this.newLabel();
    const next = this.readLocals && !this.readLocals.has(s.key)
      ? m.br(exit, m.i32.eqz(this.call("rt_iter_has", [m.local.get(src, i32), m.local.get(i, i32)])))
      : m.block(null, [
        m.local.set(key, this.call("rt_iter_key", [m.local.get(src, i32), m.local.get(i, i32)])),
        m.br(exit, m.i32.eqz(m.local.get(key, i32))),
      ]);
    return m.block(exit, [
      m.local.set(src, this.get(s.source)),
      m.local.set(i, m.i32.const(0)),
      m.loop(loop, m.block(null, [
        next,
        m.local.set(val, this.call("rt_iter_val", [m.local.get(src, i32), m.local.get(i, i32)])),
        m.local.set(i, m.i32.add(m.local.get(i, i32), m.i32.const(1))),
        this.nestedBlock(s.block),
        m.br(loop),
      ])),
    ]);
  }

  private withStmt({ stmt: s }: StmtOf<"WithStmt">): X {
    const m = this.m;
    const local = this.wasmLocal(s.local);
    const path = s.path;
    const save = this.scratch();
    const undef = this.scratch();
    let newValue: X;
    if (path.length === 0) {
      newValue = this.operand(s.value, "value");
    } else {
      const arr = this.scratch();
      const build: X[] = [m.local.set(arr, this.call("opa_array_with_cap", [m.i32.const(path.length)]))];
      for (const p of path) build.push(this.call("opa_array_append", [m.local.get(arr, i32), m.i32.const(this.stringValue(p, "path"))]));
      newValue = m.block(null, [...build, this.call("rt_upsert", [m.local.get(save, i32), m.local.get(arr, i32), this.operand(s.value, "value")])], i32);
    }
    const epoch = this.ctx.memoEpochGlobal;
    const counter = this.ctx.memoEpochCounterGlobal;
    const outerEpoch = this.scratch();
    return m.block(null, [
      m.local.set(save, m.local.get(local, i32)),
      m.local.set(local, newValue),
      m.local.set(outerEpoch, m.global.get(epoch, i32)),
      m.global.set(counter, m.i32.add(m.global.get(counter, i32), m.i32.const(1))),
      m.global.set(epoch, m.global.get(counter, i32)),
      m.local.set(undef, m.i32.const(1)),
      this.nestedBlock(s.block, [m.local.set(undef, m.i32.const(0))]),
      m.local.set(local, m.local.get(save, i32)),
      m.global.set(epoch, m.local.get(outerEpoch, i32)),
      this.undefinedIf(m.local.get(undef, i32)),
    ]);
  }

  private callStmt({ stmt: s }: StmtOf<"CallStmt">): X {
    const m = this.m;
    const name = s.func;
    const args = s.args.map((a, i) => this.operand(a, `args[${i}]`));
    const target = this.wasmLocal(s.result);
    const fn = this.ctx.funcs.get(name);
    let callExpr: X;
    if (fn) {
      if (fn.params.length !== args.length) this.fail(`${name} takes ${fn.params.length} arguments, the call passes ${args.length}`);
      callExpr = m.call(this.ctx.callTarget(name), args, i32);
    } else {
      callExpr = this.ctx.builtinCall(name, args, (msg) => this.fail(msg), () => this.scratch());
    }
    return m.block(null, [m.local.set(target, callExpr), this.undefinedIf(m.i32.eqz(m.local.get(target, i32)))]);
  }

  private callDynamic({ stmt: s }: StmtOf<"CallDynamicStmt">): X {
    const m = this.m;
    const args = s.args.map((a) => this.get(a));
    const target = this.wasmLocal(s.result);
    const found = this.newLabel();
    const chain: X[] = [m.local.set(target, m.i32.const(0))];
    for (const fn of this.ctx.funcs.values()) {
      if (fn.path.length !== s.path.length || fn.params.length !== args.length) continue;
      const conds: X[] = [];
      let possible = true;
      s.path.forEach((seg, idx) => {
        const want = fn.path[idx];
        if (seg.type === "string_index") {
          if (this.ctx.strings[seg.value] !== want) possible = false;
        } else {
          conds.push(this.call("rt_value_equal", [this.operand(seg, "p"), m.i32.const(this.ctx.internString(want))]));
        }
      });
      if (!possible) continue;
      const cond = conds.reduce((a, b) => m.i32.and(a, b), m.i32.const(1));
      chain.push(m.if(cond, m.block(null, [m.local.set(target, m.call(this.ctx.callTarget(fn.name), args.map((a) => m.copyExpression(a)), i32)), m.br(found)])));
    }
    return m.block(null, [m.block(found, chain), this.undefinedIf(m.i32.eqz(m.local.get(target, i32)))]);
  }
}
