// Public API of the Rego front end: source modules (+ query or entrypoints) -> OPA IR plan.
import type { Body, Module } from "./ast.ts";
import { compileModules } from "./compiler/compile.ts";
import type { RuleKind } from "./compiler/model.ts";
import { limitErrors, RegoError, RegoErrors } from "./errors.ts";
import { parseModule, parseQuery, type RegoVersion } from "./parser.ts";
import { rootDocumentOverrides } from "./root-document-overrides.ts";
import { deprecatedBuiltinCalls } from "./deprecated-builtin-calls.ts";
import { duplicateImports } from "./duplicate-imports.ts";
import { RESTRICTED_BUILTINS } from "../builtins/table.ts";
import type { Policy } from "./planner/ir.ts";
import { Planner, PlanningError } from "./planner/planner.ts";

export type { Policy as Plan } from "./planner/ir.ts";
export { RegoError } from "./errors.ts";
export type { RegoVersion } from "./parser.ts";

export interface RegoSource {
  file: string;
  source: string;
}

export interface CompileRegoRequest {
  /** Modules; plain strings are named `module-<n>.rego`. */
  modules: Array<RegoSource | string>;
  /** A query such as `data.test.p = x`; planned as one plan whose results are the query's bindings. */
  query?: string;
  /**
   * With a query: the name of its plan (default "eval"). Without one: rule paths to plan, each
   * as its own entrypoint (`credgov/reset/violations` or `data.credgov.reset.violations`).
   */
  entrypoints?: string[];
  /**
   * Without a query: picks the entrypoints from the compiled rules (instead of `entrypoints`),
   * so callers that discover them (`policy build` defaults, `policy test`) compile once.
   */
  selectEntrypoints?: (rules: RuleInfo[]) => string[];
  /** Rego syntax version of the modules (default v1; v0 is OPA's `--v0-compatible`). */
  regoVersion?: RegoVersion;
  /** Keep print() calls; they are erased by default, as OPA's compiler does. */
  enablePrint?: boolean;
  /** Restricted builtins (network, runtime) the caller allows by name; "all" allows every one. */
  allowBuiltins?: ReadonlySet<string> | "all";
  /** Test mode (`policy test`): duplicate test names split, parametrised test cases marked. */
  tests?: boolean;
  /** Coverage probes (`policy test --coverage`). */
  coverage?: boolean;
  /** Compile errors kept before OPA's "error limit reached" (default 10, 0 keeps all); parse errors are never cut. */
  maxErrors?: number;
}

export interface CompileRegoResult {
  plan: Policy;
  /** Entrypoint names in plan order. */
  entrypoints: string[];
  /** Every rule path of the compiled modules (`a/b/c`) with its kind, for entrypoint discovery. */
  rules: RuleInfo[];
  /** With `coverage`: the lines of each file that carry a coverage probe. */
  probes?: Map<string, Set<number>>;
}

export interface RuleInfo {
  /** `a/b/c` */
  path: string;
  kind: RuleKind;
  /** File of the rule's first definition. */
  file: string;
}

/** All compile errors at once; `message` lists them one per line with file:row:col. */
export class RegoCompileError extends RegoErrors {
  constructor(errors: RegoError[]) {
    super(errors);
    this.name = "RegoCompileError";
  }
}

/** Accepts `a/b/c`, `a.b.c` and `data.a.b.c`; returns the path segments. */
export function entrypointPath(entrypoint: string): string[] {
  const trimmed = entrypoint.replace(/^data[./]/, "");
  return trimmed.split(/[./]/).filter((s) => s.length > 0);
}

function importsRegoV1(m: Module): boolean {
  return m.imports.some((i) => {
    const path = i.path.value.type === "ref" ? i.path.value.value : [];
    return path.length === 2 && path[0].value.type === "var" && path[0].value.value === "rego" && path[1].value.type === "string" && path[1].value.value === "v1";
  });
}

export function compileRego(request: CompileRegoRequest): CompileRegoResult {
  const errors: RegoError[] = [];
  const modules: Module[] = [];
  request.modules.forEach((m, i) => {
    const src = typeof m === "string" ? { file: `module-${i}.rego`, source: m } : m;
    const parsed = parseModule(src.source, src.file, { regoVersion: request.regoVersion });
    errors.push(...parsed.errors);
    if (!parsed.module) return;
    modules.push(parsed.module);
    // Rego v1 (or v0 importing rego.v1): OPA's checks that no rule or var takes a root document's
    // name, no import shadows another and no call names a deprecated builtin (strict mode's in v0).
    if (request.regoVersion !== "v0" || importsRegoV1(parsed.module)) {
      errors.push(...rootDocumentOverrides(parsed.module), ...duplicateImports(parsed.module), ...deprecatedBuiltinCalls(parsed.module));
    }
  });
  let query: Body | undefined;
  if (request.query !== undefined) {
    const parsed = parseQuery(request.query, "<query>");
    errors.push(...parsed.errors);
    query = parsed.body;
  }
  if (errors.length > 0) {
    // OPA's loader reports every parse error; the checks OPA's compiler runs stop at its limit.
    const parseErrors = errors.filter((e) => e.code === "rego_parse_error");
    const checkErrors = errors.filter((e) => e.code !== "rego_parse_error");
    throw new RegoCompileError([...parseErrors, ...limitErrors(checkErrors, request.maxErrors)]);
  }
  const allowBuiltins = request.allowBuiltins === "all" ? new Set(Object.keys(RESTRICTED_BUILTINS)) : request.allowBuiltins;
  const compiled = compileModules({ modules, query, enablePrint: request.enablePrint, allowBuiltins, tests: request.tests, coverage: request.coverage });
  if (compiled.errors.length > 0) throw new RegoCompileError(limitErrors(compiled.errors, request.maxErrors));

  const planner = new Planner(compiled.policy);
  const rules = [...compiled.policy.ruleSets.values()].map((r) => ({ path: r.path.join("/"), kind: r.kind, file: (r.rules[0] ?? r.defaultRule)?.file ?? "" }));
  try {
    if (query) {
      const name = request.entrypoints?.[0] ?? "eval";
      return { plan: planner.plan({ query: { name } }), entrypoints: [name], rules, probes: compiled.probes };
    }
    const requested = request.selectEntrypoints ? request.selectEntrypoints(rules) : (request.entrypoints ?? []);
    const eps = requested.map((e) => ({ name: entrypointPath(e).join("/"), path: entrypointPath(e) }));
    for (const ep of eps) {
      if (!compiled.policy.ruleSets.has(ep.name) && !hasRulesUnder(compiled.policy.ruleSets, ep.name)) {
        throw new RegoCompileError([new RegoError("rego_compile_error", `entrypoint ${ep.name} matches no rule`, { file: "", row: 0, col: 0 })]);
      }
    }
    return { plan: planner.plan({ entrypoints: eps }), entrypoints: eps.map((e) => e.name), rules, probes: compiled.probes };
  } catch (e) {
    if (e instanceof PlanningError) throw new RegoCompileError([new RegoError("rego_compile_error", e.message, e.location)]);
    throw e;
  }
}

function hasRulesUnder(sets: Map<string, unknown>, key: string): boolean {
  for (const k of sets.keys()) if (k.startsWith(`${key}/`)) return true;
  return false;
}
