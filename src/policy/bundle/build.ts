// `credgov policy build`: a policy directory -> plan -> Wasm -> bundle with manifest.
//
// Default entrypoints (when none are given): every rule named `results`, `violations` or `deny`
// in a package under `credgov` (e.g. `credgov/reset/violations`) - the documents the evaluate
// stage reads. Test files (`*_test.rego`) are left out of builds.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { UserInputError } from "../../errors.ts";
import { compileRego, entrypointPath, type RegoVersion } from "../rego/index.ts";
import type { Bundle } from "./bundle.ts";
import { readPolicyDirectory } from "./sources.ts";
import { loadBackEnd } from "./wasm-backend.ts";

export const DEFAULT_ENTRYPOINT_RULES = new Set(["results", "violations", "deny"]);

export function compilerVersion(): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL("../../../package.json", import.meta.url)), "utf8")) as { version: string };
  return `credgov ${pkg.version}`;
}

export function defaultEntrypoints(rules: Array<{ path: string; kind: string }>): string[] {
  return rules
    .filter((r) => r.kind !== "function")
    .map((r) => r.path)
    .filter((p) => {
      const parts = p.split("/");
      return parts[0] === "credgov" && parts.length >= 3 && DEFAULT_ENTRYPOINT_RULES.has(parts[parts.length - 1]);
    })
    .sort();
}

export interface BuildResult {
  bundle: Bundle;
  entrypoints: string[];
  /** Milliseconds spent in the front end (parse, compile, plan) and in the back end. */
  timings: { frontEndMs: number; backEndMs: number };
}

export interface BuildOptions {
  /** Rego syntax of the sources (default v1). */
  regoVersion?: RegoVersion;
  /** Restricted builtins (network, runtime) allowed by name. */
  allowBuiltins?: ReadonlySet<string>;
  /** Told where a data file is read differently from its text (a YAML file's later documents, a key set twice). */
  warn?: (message: string) => void;
}

export async function buildPolicy(dir: string, entrypoints: string[] = [], options: BuildOptions = {}): Promise<BuildResult> {
  const pd = readPolicyDirectory(dir, options.warn);
  const modules = pd.rego.filter((f) => !f.file.endsWith("_test.rego")).map((f) => ({ file: path.join(dir, f.file), source: f.source }));
  const t0 = performance.now();
  const select = (rules: Array<{ path: string; kind: string }>): string[] => {
    let eps = entrypoints;
    if (eps.length === 0) {
      eps = defaultEntrypoints(rules);
      if (eps.length === 0) throw new Error(`no entrypoints: no rule named ${[...DEFAULT_ENTRYPOINT_RULES].join(", ")} under package credgov.*; pass --entrypoint`);
    }
    for (const ep of eps) {
      const key = entrypointPath(ep).join("/");
      if (!rules.some((r) => r.path === key || r.path.startsWith(`${key}/`))) {
        throw new UserInputError(`entrypoint ${ep} matches no rule (rules are named like ${rules[0]?.path ?? "credgov/reset/violations"})`, { field: "--entrypoint" });
      }
    }
    return eps;
  };
  const compiled = compileRego({ modules, selectEntrypoints: select, regoVersion: options.regoVersion, allowBuiltins: options.allowBuiltins });
  const t1 = performance.now();
  const backEnd = await loadBackEnd();
  const out = backEnd.compilePlan(compiled.plan);
  const t2 = performance.now();
  const sources: Record<string, string> = {};
  for (const f of [...pd.rego, ...pd.dataFiles]) sources[f.file] = f.sha256;
  return {
    bundle: {
      wasm: out.wasm,
      data: pd.data,
      manifest: {
        revision: "",
        roots: [""],
        wasm: compiled.entrypoints.map((entrypoint) => ({ entrypoint, module: "/policy.wasm" })),
        metadata: { credgov: { compiler: compilerVersion(), sources } },
      },
    },
    entrypoints: compiled.entrypoints,
    timings: { frontEndMs: t1 - t0, backEndMs: t2 - t1 },
  };
}
