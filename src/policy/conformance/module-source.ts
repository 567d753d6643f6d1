// How a conformance case becomes a Wasm module. The runner has two modes that differ only here:
//   backend: the case's IR `plan` -> compilePlan -> Wasm, compared with `want_plan_result`;
//   source:  the case's `modules` + `query` -> front end (compileRego) -> plan -> compilePlan,
//            compared with `want_result`.
import type { ConformanceCase } from "./case-file.ts";
import { compilePlan, loadOptimizer } from "../wasm/compile-plan.ts";
import { compileRego } from "../rego/index.ts";

export type Mode = "backend" | "source";

export interface CompiledCase {
  wasm: Uint8Array;
  /** Builtin names the module imports from the host (called through `opa_builtinN`). */
  hostBuiltins: string[];
}

export type Preparation = { compiled: CompiledCase } | { skip: string };

export interface SourceOptions {
  /** Run the back end's optimizer (slow: about 25x the compile time); off by default for the suite. */
  optimize?: boolean;
}

export async function createModuleSource(mode: Mode, options: SourceOptions = {}): Promise<{
  prepare(c: ConformanceCase): Promise<Preparation>;
  expected(c: ConformanceCase): unknown[] | null | undefined;
}> {
  if (options.optimize) await loadOptimizer();
  const toCompiled = (plan: unknown): CompiledCase => {
    const out = compilePlan(plan, { optimize: options.optimize === true });
    return { wasm: out.wasm, hostBuiltins: [...(out.builtins?.host ?? [])] };
  };
  return {
    async prepare(c) {
      if (mode === "backend") {
        if (c.plan === undefined || c.plan === null) return { skip: "case has no plan" };
        return { compiled: toCompiled(c.plan) };
      }
      if (typeof c.query !== "string") return { skip: "case has no query" };
      if (c.modules !== undefined && !Array.isArray(c.modules)) return { skip: "case modules are not a list" };
      // The suite exercises every builtin, network and runtime ones included.
      const { plan } = compileRego({ modules: c.modules ?? [], query: c.query, entrypoints: c.entrypoints, allowBuiltins: "all" });
      return { compiled: toCompiled(plan) };
    },
    expected(c) {
      return mode === "backend" ? c.want_plan_result : c.want_result;
    },
  };
}
