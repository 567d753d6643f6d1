// How a conformance case becomes a Wasm module. The runner has two modes that differ only here:
//   backend: the case's IR `plan` -> compilePlan -> Wasm, compared with `want_plan_result`;
//   source:  the case's `modules` + `query` -> front end (compileRego) -> plan -> compilePlan,
//            compared with `want_result`.
// Both back end and front end are loaded lazily so the runner can say clearly which is missing.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ConformanceCase } from "./case-file.ts";

export type Mode = "backend" | "source";

export interface CompiledCase {
  wasm: Uint8Array;
  /** Builtin names the module imports from the host (called through `opa_builtinN`). */
  hostBuiltins: string[];
}

export type Preparation = { compiled: CompiledCase } | { skip: string };

type CompilePlan = (plan: unknown, options?: unknown) => {
  wasm: Uint8Array;
  entrypoints?: string[];
  builtins?: { native?: Iterable<string>; host?: Iterable<string> };
};
type CompileRego = (request: { modules: string[]; query: string; entrypoints?: string[] }) => unknown;

// Where the colleagues' modules live; the first existing file that exports the function wins.
const backEndCandidates = ["../wasm/compile-plan.ts", "../wasm/index.ts"];
const frontEndCandidates = ["../rego/compile-rego.ts", "../rego/compile.ts", "../rego/index.ts"];

async function loadExport<T>(candidates: string[], name: string): Promise<T | undefined> {
  for (const rel of candidates) {
    const url = new URL(rel, import.meta.url);
    if (!existsSync(fileURLToPath(url))) continue;
    const mod = (await import(url.href)) as Record<string, unknown>;
    if (typeof mod[name] === "function") return mod[name] as T;
  }
  return undefined;
}

/** Throws an Error with a user-facing message when the needed compiler stage does not exist yet. */
export interface SourceOptions {
  /** Run the back end's optimizer (slow: about 25x the compile time); off by default for the suite. */
  optimize?: boolean;
}

export async function createModuleSource(mode: Mode, options: SourceOptions = {}): Promise<{
  prepare(c: ConformanceCase): Promise<Preparation>;
  expected(c: ConformanceCase): unknown[] | null | undefined;
}> {
  const compilePlan = await loadExport<CompilePlan>(backEndCandidates, "compilePlan");
  if (!compilePlan) {
    throw new Error("the Wasm back end is unavailable: no compilePlan export in src/policy/wasm/ (compile-plan.ts or index.ts)");
  }
  let compileRego: CompileRego | undefined;
  if (mode === "source") {
    compileRego = await loadExport<CompileRego>(frontEndCandidates, "compileRego");
    if (!compileRego) {
      throw new Error("the Rego front end is unavailable: no compileRego export in src/policy/rego/ (compile-rego.ts or index.ts)");
    }
  }
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
      if (!Array.isArray(c.modules) || c.modules.length === 0) return { skip: "case has no modules" };
      if (typeof c.query !== "string") return { skip: "case has no query" };
      const produced = (await compileRego!({ modules: c.modules, query: c.query, entrypoints: c.entrypoints })) as
        | { plan?: unknown }
        | undefined;
      const plan = produced && typeof produced === "object" && "plan" in produced ? produced.plan : produced;
      return { compiled: toCompiled(plan) };
    },
    expected(c) {
      return mode === "backend" ? c.want_plan_result : c.want_result;
    },
  };
}
