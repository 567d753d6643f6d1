// OPA's intermediate representation, as `opa build -t plan` writes it (v1/ir/ir.go in OPA):
// the planner's output and the Wasm back end's input. One discriminated union of statements
// with OPA's JSON field names; plans read from JSON are checked into it by decode-plan.ts
// (src/policy/wasm), never cast.
import type { FunctionType } from "../../builtins/types.ts";

/** A plan-scoped variable. Locals 0 and 1 always hold input and data. */
export type Local = number;

export type Operand =
  | { type: "local"; value: Local }
  | { type: "bool"; value: boolean }
  | { type: "string_index"; value: number };

/** Where a statement came from: an index into static.files, and the row and column there. */
export interface StmtLocation {
  file: number;
  row: number;
  col: number;
}

/** Each statement's fields, by statement type (JSON names as OPA writes them). */
export interface StmtFields {
  ReturnLocalStmt: { source: Local };
  CallStmt: { func: string; args: Operand[]; result: Local };
  CallDynamicStmt: { args: Local[]; path: Operand[]; result: Local };
  BlockStmt: { blocks: Block[] };
  BreakStmt: { index: number };
  DotStmt: { source: Operand; key: Operand; target: Local };
  LenStmt: { source: Operand; target: Local };
  ScanStmt: { source: Local; key: Local; value: Local; block: Block };
  NotStmt: { block: Block };
  AssignIntStmt: { value: number; target: Local };
  AssignVarStmt: { source: Operand; target: Local };
  AssignVarOnceStmt: { source: Operand; target: Local };
  ResetLocalStmt: { target: Local };
  MakeNullStmt: { target: Local };
  MakeNumberIntStmt: { value: number; target: Local };
  /** OPA's Go struct has no JSON tag on this field, hence the capital. */
  MakeNumberRefStmt: { Index: number; target: Local };
  MakeArrayStmt: { capacity: number; target: Local };
  MakeObjectStmt: { target: Local };
  MakeSetStmt: { target: Local };
  EqualStmt: { a: Operand; b: Operand };
  NotEqualStmt: { a: Operand; b: Operand };
  IsArrayStmt: { source: Operand };
  IsObjectStmt: { source: Operand };
  IsSetStmt: { source: Operand };
  IsDefinedStmt: { source: Local };
  IsUndefinedStmt: { source: Local };
  ArrayAppendStmt: { value: Operand; array: Local };
  ObjectInsertStmt: { key: Operand; value: Operand; object: Local };
  ObjectInsertOnceStmt: { key: Operand; value: Operand; object: Local };
  ObjectMergeStmt: { a: Local; b: Local; target: Local };
  SetAddStmt: { value: Operand; set: Local };
  WithStmt: { local: Local; path: number[]; value: Operand; block: Block };
  NopStmt: Record<string, never>;
  ResultSetAddStmt: { value: Local };
}

export type StmtType = keyof StmtFields;

/** One statement: `{type: "CallStmt", stmt: {func, args, result, file, row, col}}`. */
export type Stmt = { [T in StmtType]: { type: T; stmt: StmtFields[T] & StmtLocation } }[StmtType];

/** The statement of one type. */
export type StmtOf<T extends StmtType> = Extract<Stmt, { type: T }>;

export interface Block {
  stmts: Stmt[];
}

export interface Plan {
  name: string;
  blocks: Block[];
}

export interface Func {
  name: string;
  params: Local[];
  return: Local;
  blocks: Block[];
  path: string[];
}

export interface BuiltinFunc {
  name: string;
  decl: FunctionType;
}

export interface Policy {
  static: {
    strings: Array<{ value: string }>;
    builtin_funcs?: BuiltinFunc[];
    files: Array<{ value: string }>;
  };
  plans: { plans: Plan[] };
  funcs: { funcs: Func[] };
}

/** Locals 0 and 1 always hold input and data. */
export const INPUT_LOCAL = 0;
export const DATA_LOCAL = 1;

export function local(n: Local): Operand {
  return { type: "local", value: n };
}

/** The blocks nested directly in a statement (BlockStmt's list; Scan, Not and With's one block). */
export function nestedBlocks(s: Stmt): Block[] {
  switch (s.type) {
    case "BlockStmt":
      return s.stmt.blocks;
    case "ScanStmt":
    case "NotStmt":
    case "WithStmt":
      return [s.stmt.block];
    default:
      return [];
  }
}
