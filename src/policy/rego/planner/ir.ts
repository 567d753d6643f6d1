// OPA's intermediate representation, as `opa build -t plan` writes it (v1/ir/ir.go in OPA):
// the planner's output and the Wasm back end's input.
import type { FunctionType } from "../../builtins/types.ts";

export type Operand =
  | { type: "local"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string_index"; value: number };

export interface Stmt {
  /** e.g. "CallStmt"; fields as OPA's JSON encoding names them. */
  type: string;
  stmt: Record<string, unknown> & { file: number; row: number; col: number };
}

export interface Block {
  stmts: Stmt[];
}

export interface Plan {
  name: string;
  blocks: Block[];
}

export interface Func {
  name: string;
  params: number[];
  return: number;
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
    builtin_funcs: BuiltinFunc[];
    files: Array<{ value: string }>;
  };
  plans: { plans: Plan[] };
  funcs: { funcs: Func[] };
}

/** Locals 0 and 1 always hold input and data. */
export const INPUT_LOCAL = 0;
export const DATA_LOCAL = 1;

export function local(n: number): Operand {
  return { type: "local", value: n };
}
