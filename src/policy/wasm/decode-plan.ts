// A plan read from JSON (`opa build -t plan`, or our planner's output) -> the typed IR of
// rego/planner/ir.ts. Every statement's fields are checked against one table with an entry per
// statement type, so a malformed plan fails here with the plan or function, block path,
// statement and field named, and the back end works on typed statements only.
import type { Block, Func, Local, Operand, Plan, Policy, Stmt, StmtFields, StmtType } from "../rego/planner/ir.ts";
import { IrCompileError, type IrLocation } from "./compile-error.ts";

type Raw = Record<string, unknown>;

/**
 * How a field is read. `locals` also takes `{type: "local"}` operands and `operands` bare
 * numbers as locals (both spellings occur in hand-written plans); `blocks`, `locals`,
 * `operands` and `ints` take `null` as empty (Go writes nil slices so).
 */
type FieldKind = "local" | "operand" | "int" | "string" | "block" | "blocks" | "operands" | "locals" | "ints" | "path";

type FieldTable = { [T in StmtType]: { [F in keyof StmtFields[T]]-?: FieldKind } };

const FIELDS: FieldTable = {
  ReturnLocalStmt: { source: "local" },
  CallStmt: { func: "string", args: "operands", result: "local" },
  CallDynamicStmt: { args: "locals", path: "path", result: "local" },
  BlockStmt: { blocks: "blocks" },
  BreakStmt: { index: "int" },
  DotStmt: { source: "operand", key: "operand", target: "local" },
  LenStmt: { source: "operand", target: "local" },
  ScanStmt: { source: "local", key: "local", value: "local", block: "block" },
  NotStmt: { block: "block" },
  AssignIntStmt: { value: "int", target: "local" },
  AssignVarStmt: { source: "operand", target: "local" },
  AssignVarOnceStmt: { source: "operand", target: "local" },
  ResetLocalStmt: { target: "local" },
  MakeNullStmt: { target: "local" },
  MakeNumberIntStmt: { value: "int", target: "local" },
  MakeNumberRefStmt: { Index: "int", target: "local" },
  MakeArrayStmt: { capacity: "int", target: "local" },
  MakeObjectStmt: { target: "local" },
  MakeSetStmt: { target: "local" },
  EqualStmt: { a: "operand", b: "operand" },
  NotEqualStmt: { a: "operand", b: "operand" },
  IsArrayStmt: { source: "operand" },
  IsObjectStmt: { source: "operand" },
  IsSetStmt: { source: "operand" },
  IsDefinedStmt: { source: "local" },
  IsUndefinedStmt: { source: "local" },
  ArrayAppendStmt: { value: "operand", array: "local" },
  ObjectInsertStmt: { key: "operand", value: "operand", object: "local" },
  ObjectInsertOnceStmt: { key: "operand", value: "operand", object: "local" },
  ObjectMergeStmt: { a: "local", b: "local", target: "local" },
  SetAddStmt: { value: "operand", set: "local" },
  WithStmt: { local: "local", path: "ints", value: "operand", block: "block" },
  NopStmt: {},
  ResultSetAddStmt: { value: "local" },
};

/** Fields a plan may leave out, with the value they mean (Go's zero value or an older spelling). */
const DEFAULTS: Partial<Record<StmtType, Record<string, (s: Raw) => unknown>>> = {
  MakeArrayStmt: { capacity: () => 0 },
  MakeNumberRefStmt: { Index: (s) => s.index },
};

/** Largest local index accepted (a guard against garbage, far above any real plan). */
const MAX_LOCAL = 1_000_000;

/** FIELDS as lists, read once per statement type. */
const LOCATION_FIELDS = ["file", "row", "col"] as const;

const FIELD_LISTS = Object.fromEntries(Object.entries(FIELDS).map(([t, f]) => [t, Object.entries(f)])) as Record<StmtType, Array<[string, FieldKind]>>;

function isObject(v: unknown): v is Raw {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

export interface DecodedPlan {
  policy: Policy;
  strings: string[];
  files: string[];
}

export function decodePlan(plan: unknown): DecodedPlan {
  if (!isObject(plan)) throw new IrCompileError("the plan must be a JSON object");
  const staticSection = plan.static === undefined ? {} : objectField(plan, "static", "plan");
  const strings = stringTable(staticSection.strings, "static.strings");
  const files = stringTable(staticSection.files, "static.files");
  const funcsRaw = plan.funcs === undefined || plan.funcs === null ? [] : (objectField(plan, "funcs", "plan").funcs ?? []);
  if (!Array.isArray(funcsRaw)) throw new IrCompileError("plan.funcs.funcs must be an array");
  const plansRaw = objectField(plan, "plans", "plan").plans;
  if (!Array.isArray(plansRaw)) throw new IrCompileError("plan.plans.plans must be an array");

  const funcs: Func[] = funcsRaw.map((f, i) => {
    const where = `func #${i}${isObject(f) && typeof f.name === "string" ? ` ${f.name}` : ""}`;
    if (!isObject(f) || typeof f.name !== "string") throw new IrCompileError(`${where}: "name" must be a string`);
    if (!Array.isArray(f.params) || !f.params.every((p) => Number.isInteger(p) && p >= 0)) throw new IrCompileError(`${where}: "params" must be an array of locals`);
    if (!Number.isInteger(f.return)) throw new IrCompileError(`${where}: "return" must be a local`);
    const path = Array.isArray(f.path) ? f.path.map(String) : f.name.split(".");
    const blocks = new StmtDecoder(`func ${f.name}`, files).blocks(f.blocks);
    return { name: f.name, params: f.params as Local[], return: f.return as Local, blocks, path };
  });
  const plans: Plan[] = plansRaw.map((p, i) => {
    if (!isObject(p) || typeof p.name !== "string") throw new IrCompileError(`plan #${i}: "name" must be a string`);
    return { name: p.name, blocks: new StmtDecoder(`plan ${p.name}`, files).blocks(p.blocks) };
  });
  const policy: Policy = {
    static: { strings: strings.map((value) => ({ value })), files: files.map((value) => ({ value })) },
    plans: { plans },
    funcs: { funcs },
  };
  if (isObject(plan.static) && Array.isArray(plan.static.builtin_funcs)) policy.static.builtin_funcs = plan.static.builtin_funcs as Policy["static"]["builtin_funcs"];
  return { policy, strings, files };
}

function objectField(o: Raw, field: string, where: string): Raw {
  const v = o[field];
  if (!isObject(v)) throw new IrCompileError(`${where}.${field} must be an object`);
  return v;
}

function stringTable(list: unknown, where: string): string[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new IrCompileError(`${where} must be an array`);
  return list.map((e, i) => {
    const v = isObject(e) ? e.value : undefined;
    if (typeof v !== "string") throw new IrCompileError(`${where}[${i}].value must be a string`);
    return v;
  });
}

/** Decodes the blocks of one plan or function, keeping the position for error messages. */
class StmtDecoder {
  private readonly scope: string;
  private readonly files: string[];
  private readonly path: number[] = [];
  private readonly enclosing: string[] = [];
  private stmtIndex: number | undefined;
  private stmtType: string | undefined;
  private stmtLoc: { file?: number; row?: number; col?: number } = {};

  constructor(scope: string, files: string[]) {
    this.scope = scope;
    this.files = files;
  }

  private fail(message: string): never {
    const loc: IrLocation = { scope: this.scope, blockPath: [...this.path], enclosing: [...this.enclosing] };
    if (this.stmtIndex !== undefined) loc.statementIndex = this.stmtIndex;
    if (this.stmtType) loc.statementType = this.stmtType;
    const { file, row, col } = this.stmtLoc;
    if (file !== undefined) {
      loc.file = this.files[file] ?? `file#${file}`;
      if (row !== undefined) loc.row = row;
      if (col !== undefined) loc.col = col;
    }
    throw new IrCompileError(message, loc);
  }

  blocks(raw: unknown): Block[] {
    if (raw === undefined || raw === null) return []; // Go's encoder writes nil lists as null
    if (!Array.isArray(raw)) this.fail("\"blocks\" must be an array");
    const via = this.stmtType !== undefined && this.stmtIndex !== undefined ? `statement ${this.stmtIndex} ${this.stmtType}` : "";
    return raw.map((b, i) => this.nested(i, via, () => this.block(b)));
  }

  private nested<T>(index: number, via: string, fn: () => T): T {
    const saved = [this.stmtIndex, this.stmtType, this.stmtLoc] as const;
    this.path.push(index);
    this.enclosing.push(via);
    // Inside the block, until its first statement: name the block, at the opening statement's location.
    this.stmtIndex = undefined;
    this.stmtType = undefined;
    const out = fn();
    this.path.pop();
    this.enclosing.pop();
    [this.stmtIndex, this.stmtType, this.stmtLoc] = saved;
    return out;
  }

  private block(raw: unknown): Block {
    if (!isObject(raw)) this.fail("a block must be {stmts: [...]}");
    const list = raw.stmts ?? [];
    if (!Array.isArray(list)) this.fail("a block's \"stmts\" must be an array");
    const stmts = list.map((s, i) => {
      this.stmtIndex = i;
      this.stmtType = undefined;
      this.stmtLoc = {};
      return this.stmt(s);
    });
    this.stmtIndex = undefined;
    this.stmtType = undefined;
    return { stmts };
  }

  private stmt(raw: unknown): Stmt {
    if (!isObject(raw)) this.fail("a statement must be an object");
    const { type, stmt } = raw;
    this.stmtType = typeof type === "string" ? type : undefined;
    if (!isObject(stmt)) this.fail("statement has no \"stmt\" object");
    if (typeof type !== "string" || !Object.hasOwn(FIELDS, type)) this.fail(`unknown statement type ${JSON.stringify(type)}`);
    const t = type as StmtType;
    // The location first, so that errors in the other fields can name it. Missing means 0, as
    // when Go decodes the plan.
    const out: Raw = { file: 0, row: 0, col: 0 };
    const loc: { file?: number; row?: number; col?: number } = {};
    this.stmtLoc = loc;
    for (const f of LOCATION_FIELDS) {
      const v = stmt[f];
      if (v === undefined) continue;
      loc[f] = out[f] = this.int(v, f);
    }
    const defaults = DEFAULTS[t];
    for (const [field, kind] of FIELD_LISTS[t]) {
      let v = stmt[field];
      if (v === undefined && defaults?.[field]) v = defaults[field](stmt);
      out[field] = this.field(v, field, kind, t);
    }
    return { type: t, stmt: out } as Stmt;
  }

  private field(v: unknown, field: string, kind: FieldKind, type: StmtType): unknown {
    switch (kind) {
      case "local":
        return this.local(v, field);
      case "operand":
        return this.operand(v, field);
      case "int":
        return this.int(v, field);
      case "string":
        if (typeof v !== "string" || v === "") this.fail(`"${field}" must be a function name`);
        return v;
      case "block":
        return this.nested(0, `statement ${this.stmtIndex} ${type}`, () => this.block(v));
      case "blocks":
        return this.blocks(v);
      case "operands":
        return this.list(v, field).map((a, i) => (typeof a === "number" ? { type: "local", value: this.local(a, `${field}[${i}]`) } : this.operand(a, `${field}[${i}]`)));
      case "locals":
        return this.list(v, field).map((a, i) => this.local(isObject(a) && a.type === "local" ? a.value : a, `${field}[${i}]`));
      case "ints":
        return this.list(v, field).map((a, i) => this.int(a, `${field}[${i}]`));
      case "path": {
        const list = this.list(v, field);
        if (list.length === 0) this.fail(`"${field}" must be a non-empty array of operands`);
        return list.map((a, i) => this.operand(a, `${field}[${i}]`));
      }
    }
  }

  private list(v: unknown, field: string): unknown[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) this.fail(`"${field}" must be an array`);
    return v;
  }

  private int(v: unknown, field: string): number {
    if (typeof v !== "number" || !Number.isInteger(v)) this.fail(`field "${field}" must be an integer, got ${JSON.stringify(v)}`);
    return v;
  }

  private local(v: unknown, field: string): Local {
    const n = this.int(v, field);
    if (n < 0 || n > MAX_LOCAL) this.fail(`field "${field}" is not a valid local: ${n}`);
    return n;
  }

  private operand(v: unknown, field: string): Operand {
    if (!isObject(v)) this.fail(`field "${field}" must be an operand object`);
    const { type, value } = v;
    switch (type) {
      case "local":
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0) this.fail(`field "${field}" has an invalid local`);
        return { type, value };
      case "bool":
        if (typeof value !== "boolean") this.fail(`field "${field}" has a non-boolean bool operand`);
        return { type, value };
      case "string_index":
        if (typeof value !== "number" || !Number.isInteger(value) || value < 0) this.fail(`field "${field}" refers to string ${JSON.stringify(value)}, which is not in static.strings`);
        return { type, value };
      default:
        return this.fail(`field "${field}" has unknown operand type ${JSON.stringify(type)}`);
    }
  }
}
