// Translates the statements of one IR plan or function into Wasm expressions.
// IR locals become i32 Wasm locals holding value addresses (0 = undefined); every IR
// block becomes a labelled Wasm block, and "undefined" means a branch out of the
// innermost one, exactly the IR's semantics.
import { I32, NONE, type Expr } from "./emit/expression.ts";
import type { WasmModule } from "./emit/wasm-module.ts";
import { IrCompileError, type IrLocation } from "./compile-error.ts";
import type { ModuleContext } from "./module-context.ts";

type X = Expr;
const i32 = I32;
const none = NONE;

type Raw = Record<string, unknown>;

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
  private stmtRaw: Raw | undefined;
  /** IR locals known to hold (part of) the base data document: local 1 and Dot results on it. */
  private readonly dataLocals = new Set<number>([1]);

  private readonly ctx: ModuleContext;
  private readonly scope: string;
  private readonly kindInfo: ScopeKind;

  /**
   * Set for a function that builds its value rule by rule (partial set and object rules): OPA's
   * evaluator iterates such a virtual document in rule order, so it keeps insertion order.
   */
  keepRuleOrder = false;

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
    const s = this.stmtRaw;
    if (s && typeof s.file === "number") {
      loc.file = this.ctx.files[s.file] ?? `file#${s.file}`;
      if (typeof s.row === "number") loc.row = s.row;
      if (typeof s.col === "number") loc.col = s.col;
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

  private int(s: Raw, field: string): number {
    const v = s[field];
    if (typeof v !== "number" || !Number.isInteger(v)) this.fail(`field "${field}" must be an integer, got ${JSON.stringify(v)}`);
    return v;
  }

  private localField(s: Raw, field: string): number {
    const n = this.int(s, field);
    if (n < 0 || n > 1_000_000) this.fail(`field "${field}" is not a valid local: ${n}`);
    return this.wasmLocal(n);
  }

  private get(s: Raw, field: string): X {
    return this.m.local.get(this.localField(s, field), i32);
  }

  private set(s: Raw, field: string, value: X): X {
    this.dataLocals.delete(s[field] as number);
    return this.m.local.set(this.localField(s, field), value);
  }

  /** An operand: {type: local|bool|string_index, value}. */
  private operand(s: Raw, field: string): X {
    const op = s[field];
    if (!op || typeof op !== "object") this.fail(`field "${field}" must be an operand object`);
    const { type, value } = op as Raw;
    switch (type) {
      case "local":
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0) this.fail(`field "${field}" has an invalid local`);
        return this.m.local.get(this.wasmLocal(value), i32);
      case "bool":
        if (typeof value !== "boolean") this.fail(`field "${field}" has a non-boolean bool operand`);
        return this.call("opa_boolean", [this.m.i32.const(value ? 1 : 0)]);
      case "string_index":
        return this.m.i32.const(this.stringValue(value, field));
      default:
        return this.fail(`field "${field}" has unknown operand type ${JSON.stringify(type)}`);
    }
  }

  private operandKind(s: Raw, field: string): string {
    const op = s[field] as Raw | undefined;
    return op && typeof op === "object" ? String(op.type) : "";
  }

  private stringValue(index: unknown, field: string): number {
    if (typeof index !== "number" || !Number.isInteger(index) || index < 0 || index >= this.ctx.stringValues.length) {
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
  compileBlocks(blocks: unknown): X[] {
    if (blocks === undefined || blocks === null) return []; // Go's encoder omits empty lists
    if (!Array.isArray(blocks)) this.fail("\"blocks\" must be an array");
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

  private compileBlock(block: unknown, onComplete: X[] = []): X {
    if (!block || typeof block !== "object") this.fail("a block must be {stmts: [...]}");
    const rawStmts = (block as Raw).stmts ?? [];
    if (!Array.isArray(rawStmts)) this.fail("a block's \"stmts\" must be an array");
    const label = this.newLabel();
    this.labels.push(label);
    const body: X[] = [];
    const stmts = rawStmts as unknown[];
    const saved = [this.stmtIndex, this.stmtType, this.stmtRaw] as const;
    stmts.forEach((st, i) => {
      this.stmtIndex = i;
      body.push(this.compileStmt(st));
    });
    [this.stmtIndex, this.stmtType, this.stmtRaw] = saved;
    this.labels.pop();
    body.push(...onComplete);
    return this.m.block(label, body, none);
  }

  /** The `block` field of Scan/Not/With: one nested IR block. */
  private nestedBlock(s: Raw, onComplete: X[] = []): X {
    const saved = [this.stmtIndex, this.stmtType, this.stmtRaw] as const;
    this.path.push(0);
    this.enclosing.push(`statement ${this.stmtIndex} ${this.stmtType}`);
    const out = this.compileBlock(s.block, onComplete);
    this.path.pop();
    this.enclosing.pop();
    [this.stmtIndex, this.stmtType, this.stmtRaw] = saved;
    return out;
  }

  private runtimeError(s: Raw, message: string): X {
    const file = typeof s.file === "number" ? (this.ctx.files[s.file] ?? "") : "";
    const row = typeof s.row === "number" ? s.row : 0;
    const col = typeof s.col === "number" ? s.col : 0;
    return this.m.block(null, [
      this.call("rt_runtime_error", [
        this.m.i32.const(this.ctx.statics.cstring(file)),
        this.m.i32.const(row),
        this.m.i32.const(col),
        this.m.i32.const(this.ctx.statics.cstring(message)),
      ]),
      this.m.unreachable(),
    ]);
  }

  private compileStmt(raw: unknown): X {
    if (!raw || typeof raw !== "object") this.fail("a statement must be an object");
    const { type, stmt } = raw as Raw;
    this.stmtType = typeof type === "string" ? type : undefined;
    if (!stmt || typeof stmt !== "object") this.fail("statement has no \"stmt\" object");
    const s = stmt as Raw;
    this.stmtRaw = s;
    const m = this.m;
    switch (type) {
      case "NopStmt":
        return m.nop();
      case "AssignVarStmt":
        return this.set(s, "target", this.operand(s, "source"));
      case "AssignIntStmt": {
        const v = s.value;
        if (typeof v !== "number" || !Number.isInteger(v)) this.fail("\"value\" must be an integer");
        return this.set(s, "target", this.call("opa_number_int", [this.i64(v)]));
      }
      case "AssignVarOnceStmt": {
        const target = this.localField(s, "target");
        const tmp = this.scratch();
        const message = this.kindInfo.kind === "func" && this.kindInfo.arity > 2
          ? "eval_conflict_error: functions must not produce multiple outputs for same inputs"
          : "eval_conflict_error: complete rules must not produce multiple outputs";
        return m.block(null, [
          m.local.set(tmp, this.operand(s, "source")),
          m.if(
            m.i32.eqz(m.local.get(target, i32)),
            m.local.set(target, m.local.get(tmp, i32)),
            m.if(
              m.i32.eqz(this.call("rt_value_equal", [m.local.get(target, i32), m.local.get(tmp, i32)])),
              this.runtimeError(s, message),
            ),
          ),
        ]);
      }
      case "ResetLocalStmt":
        return this.set(s, "target", m.i32.const(0));
      case "MakeNullStmt":
        return this.set(s, "target", this.call("opa_null", []));
      case "MakeNumberIntStmt": {
        const v = s.value;
        if (typeof v !== "number" || !Number.isInteger(v)) this.fail("\"value\" must be an integer");
        return this.set(s, "target", this.call("opa_number_int", [this.i64(v)]));
      }
      case "MakeNumberRefStmt": {
        const idx = s.index ?? s.Index;
        const text = this.ctx.strings[idx as number];
        if (typeof idx !== "number" || text === undefined) this.fail(`"index" ${JSON.stringify(idx)} is not in static.strings`);
        if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text)) this.fail(`static string ${idx} is not a number: ${JSON.stringify(text)}`);
        return this.set(s, "target", this.call("opa_number_ref_cstr", [m.i32.const(this.ctx.statics.cstring(text))]));
      }
      case "MakeArrayStmt": {
        const cap = typeof s.capacity === "number" ? s.capacity : 0;
        return this.set(s, "target", this.call("opa_array_with_cap", [m.i32.const(cap)]));
      }
      case "MakeObjectStmt":
        return this.set(s, "target", this.call("opa_object", []));
      case "MakeSetStmt":
        return this.set(s, "target", this.call("opa_set", []));
      case "ArrayAppendStmt":
        return this.call("opa_array_append", [this.get(s, "array"), this.operand(s, "value")]);
      case "ObjectInsertStmt":
        return this.call("opa_object_insert", [this.get(s, "object"), this.operand(s, "key"), this.operand(s, "value")]);
      case "ObjectInsertOnceStmt":
        return m.if(
          m.i32.eqz(this.call("rt_object_insert_once", [this.get(s, "object"), this.operand(s, "key"), this.operand(s, "value")])),
          this.runtimeError(s, "eval_conflict_error: object keys must be unique"),
        );
      case "ObjectMergeStmt":
        return this.set(s, "target", this.call("opa_value_merge", [this.get(s, "a"), this.get(s, "b")]));
      case "SetAddStmt":
        return this.call("opa_set_add", [this.get(s, "set"), this.operand(s, "value")]);
      case "ResultSetAddStmt":
        if (this.kindInfo.kind !== "plan") this.fail("ResultSetAddStmt outside of a plan");
        return this.call("opa_set_add", [m.local.get(this.resultSetLocal, i32), this.get(s, "value")]);
      case "ReturnLocalStmt":
        if (this.kindInfo.kind !== "func") this.fail("ReturnLocalStmt outside of a function");
        if (this.keepRuleOrder) {
          return m.block(null, [this.call("rt_keep_rule_order", [this.get(s, "source")]), m.return(this.get(s, "source"))]);
        }
        return m.return(this.get(s, "source"));
      case "DotStmt": {
        if (this.operandKind(s, "source") !== "local") {
          this.operand(s, "source");
          return m.br(this.current);
        }
        const target = this.localField(s, "target");
        const fromData = this.dataLocals.has((s.source as Raw).value as number);
        if (fromData) this.dataLocals.add(s.target as number);
        else this.dataLocals.delete(s.target as number);
        return m.block(null, [
          m.local.set(target, this.call(fromData ? "rt_value_get_data" : "opa_value_get", [this.operand(s, "source"), this.operand(s, "key")])),
          this.undefinedIf(m.i32.eqz(m.local.get(target, i32))),
        ]);
      }
      case "LenStmt":
        return this.set(s, "target", this.call("opa_number_int", [m.i64.extend_u(this.call("opa_value_length", [this.operand(s, "source")]))]));
      case "EqualStmt":
        return this.undefinedIf(m.i32.eqz(this.call("rt_value_equal", [this.operand(s, "a"), this.operand(s, "b")])));
      case "NotEqualStmt":
        return this.undefinedIf(this.call("rt_value_equal", [this.operand(s, "a"), this.operand(s, "b")]));
      case "IsArrayStmt":
        return this.typeCheck(s, T_ARR);
      case "IsObjectStmt":
        return this.typeCheck(s, T_OBJ);
      case "IsSetStmt":
        return this.typeCheck(s, T_SET);
      case "IsDefinedStmt":
        return this.undefinedIf(m.i32.eqz(this.get(s, "source")));
      case "IsUndefinedStmt":
        return this.undefinedIf(m.i32.ne(this.get(s, "source"), m.i32.const(0)));
      case "BlockStmt": {
        const saved = [this.stmtIndex, this.stmtType, this.stmtRaw] as const;
        const blocks = this.compileBlocks(s.blocks);
        [this.stmtIndex, this.stmtType, this.stmtRaw] = saved;
        return m.block(null, blocks, none);
      }
      case "BreakStmt": {
        const index = this.int(s, "index");
        const label = this.labels[this.labels.length - 1 - index];
        if (index < 0 || label === undefined) this.fail(`break index ${index} exceeds the ${this.labels.length} enclosing blocks`);
        return m.br(label);
      }
      case "NotStmt": {
        const cond = this.scratch();
        return m.block(null, [
          m.local.set(cond, m.i32.const(1)),
          this.nestedBlock(s, [m.local.set(cond, m.i32.const(0))]),
          this.undefinedIf(m.i32.eqz(m.local.get(cond, i32))),
        ]);
      }
      case "ScanStmt":
        return this.scan(s);
      case "WithStmt":
        return this.withStmt(s);
      case "CallStmt":
        return this.callStmt(s);
      case "CallDynamicStmt":
        return this.callDynamic(s);
      default:
        return this.fail(`unknown statement type ${JSON.stringify(type)}`);
    }
  }

  private i64(v: number): X {
    return this.m.i64.const(BigInt(v));
  }

  private typeCheck(s: Raw, t: number): X {
    if (this.operandKind(s, "source") !== "local") {
      this.operand(s, "source");
      return this.m.br(this.current);
    }
    return this.undefinedIf(this.m.i32.ne(this.call("opa_value_type", [this.operand(s, "source")]), this.m.i32.const(t)));
  }

  private scan(s: Raw): X {
    const m = this.m;
    const src = this.scratch();
    const i = this.scratch();
    const key = this.localField(s, "key");
    const val = this.localField(s, "value");
    const exit = this.newLabel();
    const loop = this.newLabel();
    return m.block(exit, [
      m.local.set(src, this.get(s, "source")),
      m.local.set(i, m.i32.const(0)),
      m.loop(loop, m.block(null, [
        m.local.set(key, this.call("rt_iter_key", [m.local.get(src, i32), m.local.get(i, i32)])),
        m.br(exit, m.i32.eqz(m.local.get(key, i32))),
        m.local.set(val, this.call("rt_iter_val", [m.local.get(src, i32), m.local.get(i, i32)])),
        m.local.set(i, m.i32.add(m.local.get(i, i32), m.i32.const(1))),
        this.nestedBlock(s),
        m.br(loop),
      ])),
    ]);
  }

  private withStmt(s: Raw): X {
    const m = this.m;
    const local = this.localField(s, "local");
    const path = s.path ?? [];
    if (!Array.isArray(path)) this.fail("\"path\" must be an array of string indexes");
    const save = this.scratch();
    const undef = this.scratch();
    let newValue: X;
    if (path.length === 0) {
      newValue = this.operand(s, "value");
    } else {
      const arr = this.scratch();
      const build: X[] = [m.local.set(arr, this.call("opa_array_with_cap", [m.i32.const(path.length)]))];
      for (const p of path) build.push(this.call("opa_array_append", [m.local.get(arr, i32), m.i32.const(this.stringValue(p, "path"))]));
      newValue = m.block(null, [...build, this.call("rt_upsert", [m.local.get(save, i32), m.local.get(arr, i32), this.operand(s, "value")])], i32);
    }
    const depth = this.ctx.withDepthGlobal;
    return m.block(null, [
      m.local.set(save, m.local.get(local, i32)),
      m.local.set(local, newValue),
      m.global.set(depth, m.i32.add(m.global.get(depth, i32), m.i32.const(1))),
      m.local.set(undef, m.i32.const(1)),
      this.nestedBlock(s, [m.local.set(undef, m.i32.const(0))]),
      m.local.set(local, m.local.get(save, i32)),
      m.global.set(depth, m.i32.sub(m.global.get(depth, i32), m.i32.const(1))),
      this.undefinedIf(m.local.get(undef, i32)),
    ]);
  }

  private args(s: Raw, field: string, asLocals: boolean): X[] {
    const list = s[field] ?? [];
    if (!Array.isArray(list)) this.fail(`"${field}" must be an array`);
    return list.map((a, i) => {
      if (asLocals && typeof a === "number") {
        if (!Number.isInteger(a) || a < 0) this.fail(`"${field}"[${i}] is not a valid local`);
        return this.m.local.get(this.wasmLocal(a), i32);
      }
      return this.operand({ [`${field}[${i}]`]: a }, `${field}[${i}]`);
    });
  }

  private callStmt(s: Raw): X {
    const m = this.m;
    const name = s.func;
    if (typeof name !== "string" || name === "") this.fail("\"func\" must be a function name");
    const args = this.args(s, "args", true);
    const target = this.localField(s, "result");
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

  private callDynamic(s: Raw): X {
    const m = this.m;
    const path = s.path;
    if (!Array.isArray(path) || path.length === 0) this.fail("\"path\" must be a non-empty array of operands");
    const args = this.args(s, "args", true);
    const target = this.localField(s, "result");
    const segs = path.map((p, i) => ({ raw: p as Raw, idx: i }));
    const found = this.newLabel();
    const chain: X[] = [m.local.set(target, m.i32.const(0))];
    for (const fn of this.ctx.funcs.values()) {
      if (fn.path.length !== segs.length || fn.params.length !== args.length) continue;
      const conds: X[] = [];
      let possible = true;
      for (const seg of segs) {
        const want = fn.path[seg.idx];
        if (seg.raw && seg.raw.type === "string_index") {
          if (this.ctx.strings[seg.raw.value as number] !== want) possible = false;
        } else {
          conds.push(this.call("rt_value_equal", [this.operand({ p: seg.raw }, "p"), m.i32.const(this.ctx.internString(want))]));
        }
      }
      if (!possible) continue;
      const cond = conds.reduce((a, b) => m.i32.and(a, b), m.i32.const(1));
      chain.push(m.if(cond, m.block(null, [m.local.set(target, m.call(this.ctx.callTarget(fn.name), args.map((a) => m.copyExpression(a)), i32)), m.br(found)])));
    }
    return m.block(null, [m.block(found, chain), this.undefinedIf(m.i32.eqz(m.local.get(target, i32)))]);
  }
}
