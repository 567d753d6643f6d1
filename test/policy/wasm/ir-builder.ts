// Small builders for hand-written IR plans in tests, typed by the IR the planner and the back
// end share (src/policy/rego/planner/ir.ts), so a statement with a wrong field does not compile.
import type { Operand, Policy, Stmt, StmtFields, StmtType } from "../../../src/policy/rego/planner/ir.ts";

export type { Operand, Stmt };

export const local = (n: number): Operand => ({ type: "local", value: n });
export const str = (i: number): Operand => ({ type: "string_index", value: i });
export const bool = (b: boolean): Operand => ({ type: "bool", value: b });

export function st<T extends StmtType>(type: T, fields: StmtFields[T], row = 1): Stmt {
  return { type, stmt: { ...fields, file: 0, row, col: 1 } } as Stmt;
}

export interface PlanSpec {
  strings: string[];
  plans: { name: string; stmts: Stmt[] }[];
  funcs?: { name: string; params: number[]; ret: number; blocks: Stmt[][]; path?: string[] }[];
}

export function makePlan(spec: PlanSpec): Policy {
  return {
    static: {
      strings: spec.strings.map((value) => ({ value })),
      files: [{ value: "policy.rego" }],
    },
    plans: { plans: spec.plans.map((p) => ({ name: p.name, blocks: [{ stmts: p.stmts }] })) },
    funcs: {
      funcs: (spec.funcs ?? []).map((f) => ({
        name: f.name,
        params: f.params,
        return: f.ret,
        blocks: f.blocks.map((stmts) => ({ stmts })),
        path: f.path ?? f.name.split("."),
      })),
    },
  };
}

/** Plan statements that put `{"x": <local n>}` into the result set (as OPA's query plans do). */
export function resultOf(n: number, xIndex: number, objLocal = 90): Stmt[] {
  return [
    st("MakeObjectStmt", { target: objLocal }),
    st("ObjectInsertStmt", { key: str(xIndex), value: local(n), object: objLocal }),
    st("ResultSetAddStmt", { value: objLocal }),
  ];
}
