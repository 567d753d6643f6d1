// `credgov policy check PATH...`, like `opa check`: parse and compile every module found under
// the paths, reporting the errors at once (up to OPA's limit, 10 by default); `strict` adds
// OPA's strict-mode checks (deprecated builtins, unused imports, vars assigned and never used).
import { compileRego, RegoCompileError, type RegoVersion } from "../rego/index.ts";
import { limitErrors, type RegoError } from "../rego/errors.ts";
import { parseModule } from "../rego/parser.ts";
import { strictErrors } from "../rego/compiler/strict.ts";
import { loadPaths } from "./load-paths.ts";

export interface CheckOptions {
  strict?: boolean;
  regoVersion?: RegoVersion;
  /** Base-name patterns of files and folders to skip (OPA's --ignore). */
  ignore?: readonly string[];
  /** Compile errors reported before OPA's "error limit reached" (default 10, 0 keeps all). */
  maxErrors?: number;
}

/** The modules checked and every error found (empty when all is well). */
export function checkPolicies(paths: string[], options: CheckOptions = {}): { modules: number; errors: RegoError[] } {
  // Modules only, as `opa check` loads them: data files are neither read nor merged.
  const loaded = loadPaths(paths, { ignore: options.ignore, modulesOnly: true });
  const errors: RegoError[] = [];
  try {
    compileRego({ modules: loaded.modules, regoVersion: options.regoVersion, allowBuiltins: "all", maxErrors: options.maxErrors });
  } catch (e) {
    if (!(e instanceof RegoCompileError)) throw e;
    errors.push(...e.errors);
  }
  if (options.strict && errors.length === 0) {
    const strict: RegoError[] = [];
    for (const m of loaded.modules) {
      const parsed = parseModule(m.source, m.file, { regoVersion: options.regoVersion });
      if (parsed.module) strict.push(...strictErrors(parsed.module, options.regoVersion));
    }
    // Strict mode's errors are compile errors in OPA: the same limit applies.
    errors.push(...limitErrors(strict, options.maxErrors));
  }
  return { modules: loaded.modules.length, errors };
}
