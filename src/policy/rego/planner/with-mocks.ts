// `with` and mocks (OPA's planner: planWith): replacements of input and base data become
// WithStmts; replacements of rules, functions and builtins are plan-time mocks that plan the
// affected functions again as a new generation, with captured values passed as parameters.
import type { Expr, Term } from "../ast.ts";
import { collectFreeVars } from "../compiler/resolve-names.ts";
import { operatorName } from "../compiler/term-build.ts";
import { invalidWithTarget, withTarget } from "../compiler/with-target.ts";
import { builtinArity } from "../../builtins/table.ts";
import { DATA_LOCAL, INPUT_LOCAL, type Operand, local } from "./ir.ts";
import { Planner, PlanningError, type Cont, type TreeNode } from "./planner-core.ts";

declare module "./planner-core.ts" {
  interface Planner {
    withExpr(e: Expr, cont: Cont, inner?: (e: Expr, cont: Cont) => void): void;
    touchesRules(path: string[]): boolean;
    mockFunction(value: Term): string | undefined;
    withoutMocks(fn: Cont): void;
    captureArgs(func: string): Operand[];
  }
}

/** `inner` plans the expression itself (default: as a body expression). */
Planner.prototype.withExpr = function (this: Planner, e: Expr, cont: Cont, inner: (e: Expr, cont: Cont) => void = (x, c) => this.exprNoWith(x, c)): void {
  // Targets on input and base data become WithStmts; targets on rules, functions and builtins
  // become plan-time mocks: calls and refs planned for this expression (and the functions it
  // reaches, planned as a new generation) use the replacement instead.
  const docs: Array<{ local: number; path: string[]; value: Term }> = [];
  const mocks = new Map(this.mocks);
  for (const w of e.with) {
    const target = withTarget(w.target);
    if (target === undefined) throw new PlanningError(invalidWithTarget, w.location);
    if (target.kind === "document") {
      const { root, terms } = target;
      if (terms.slice(1).some((x) => x.value.type !== "string")) throw new PlanningError("`with` target paths must be constant", w.location);
      const path = terms.slice(1).map((x) => (x.value as { value: string }).value);
      if (root === "data" && this.touchesRules(path)) {
        mocks.set(`data.${path.join(".")}`, w.value);
        continue;
      }
      docs.push({ local: root === "input" ? INPUT_LOCAL : DATA_LOCAL, path, value: w.value });
      continue;
    }
    mocks.set(target.name, w.value);
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
};

Planner.prototype.touchesRules = function (this: Planner, path: string[]): boolean {
  let node: TreeNode | undefined = this.tree;
  for (const p of path) {
    if (node.set) return true;
    node = node.children.get(p);
    if (!node) return false;
  }
  return true;
};

/** The function a `with` replacement names (`with f as g`, `with count as mock`), if it is one. */
Planner.prototype.mockFunction = function (this: Planner, value: Term): string | undefined {
  if (value.value.type === "var" && this.vars.has(value.value.value)) return undefined;
  const name = operatorName(value);
  if (name === undefined) return undefined;
  if (name.startsWith("data.")) {
    const set = this.policy.ruleSets.get(name.slice(5).split(".").join("/"));
    return set?.kind === "function" ? name : undefined;
  }
  return builtinArity(name) !== undefined ? name : undefined;
};

/** Runs `fn` without mocks: a replacement function calls the originals, never other mocks (as in OPA). */
Planner.prototype.withoutMocks = function (this: Planner, fn: Cont): void {
  const saved = { mocks: this.mocks, gen: this.gen, captures: this.captures };
  this.mocks = new Map();
  this.gen = 0;
  this.captures = [];
  fn();
  this.mocks = saved.mocks;
  this.gen = saved.gen;
  this.captures = saved.captures;
};

/** Extra call arguments for a function of a mocked generation: the captured values. */
Planner.prototype.captureArgs = function (this: Planner, func: string): Operand[] {
  return (this.funcCaptures.get(func) ?? []).map((n) => local(this.vars.get(n)!));
};
