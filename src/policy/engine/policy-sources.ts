// Finds the Rego modules of the library (built-in policies/ plus extra directories) and the
// packages whose `results` rule the engine evaluates. Test modules (*_test.rego) are left out.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { UserInputError } from "../../errors.ts";
import { decodeUtf8 } from "../../io/utf8-check.ts";

export const builtinPoliciesDir: string = fileURLToPath(new URL("../../../policies/", import.meta.url));

export interface PolicySource {
  /** Path shown in compile errors. */
  file: string;
  source: string;
}

export interface PolicyLibrary {
  modules: PolicySource[];
  /** `credgov/reset/results`-style entrypoints, one per package that defines `results`. */
  entrypoints: string[];
}

/** A policy directory that is missing or not a directory is an input error (exit 2). */
export function assertPolicyDir(dir: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    throw new UserInputError(`cannot read policy directory: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file: dir, field: "--policies" });
  }
  if (!isDirectory) throw new UserInputError("not a directory", { file: dir, field: "--policies" });
}

export function readPolicyLibrary(dirs: readonly string[]): PolicyLibrary {
  const modules: PolicySource[] = [];
  for (const dir of dirs) {
    let files: string[];
    try {
      assertPolicyDir(dir);
      files = listRego(dir);
    } catch (error) {
      if (error instanceof UserInputError) throw error;
      throw new UserInputError(`cannot read policy directory: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file: dir, field: "--policies" });
    }
    // An extra folder that adds no module is a wrong path or a lost file: the run would judge
    // the estate without the policies it was asked to apply.
    if (files.length === 0) throw new UserInputError("holds no .rego policy module (test modules, *_test.rego, are not evaluated); check the path", { file: dir, field: "--policies" });
    // Bytes that are not UTF-8 are refused at their line, as OPA does, rather than read as U+FFFD.
    for (const file of files) {
      const shown = relative(process.cwd(), file) || file;
      modules.push({ file: shown, source: decodeUtf8(readFileSync(file), shown) });
    }
  }
  const entrypoints = new Set<string>();
  for (const m of modules) {
    const pkg = /^package\s+([A-Za-z0-9_.]+)/m.exec(m.source)?.[1];
    if (pkg && /^results\s+(contains|:=|=|if|\[)/m.test(m.source)) entrypoints.add(`${pkg.replaceAll(".", "/")}/results`);
  }
  const sorted = [...entrypoints].sort();
  if (sorted.length > 0) modules.push(combinedModule(sorted));
  return { modules, entrypoints: sorted.length > 0 ? [combinedEntrypoint, batchEntrypoint, ...sorted] : [] };
}

/**
 * Entrypoint that returns every package's results in one evaluation, so a large snapshot is
 * parsed inside the module once instead of once per package. If it fails, the engine falls
 * back to the per-package entrypoints to find which package is broken.
 */
export const combinedEntrypoint = "credgov_engine/results";

/**
 * Entrypoint of one batch of a sharded evaluation (sharded-evaluation.ts): every package's
 * results plus the library's estate facts (empty for a library without them).
 */
export const batchEntrypoint = "credgov_engine/batch";

/** The entrypoints that are not a package's `results`. */
export const engineEntrypoints: ReadonlySet<string> = new Set([combinedEntrypoint, batchEntrypoint]);

function combinedModule(entrypoints: readonly string[]): PolicySource {
  const fields = entrypoints.map((ep) => `\t${JSON.stringify(ep)}: data.${ep.replaceAll("/", ".")},`).join("\n");
  const batch = "default facts := {}\n\nfacts := data.credgov.lib.estate_facts\n\nbatch := {\"results\": results, \"facts\": facts}\n";
  return { file: "<credgov engine>/combined.rego", source: `package credgov_engine\n\nresults := {\n${fields}\n}\n\n${batch}` };
}

function listRego(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listRego(path));
    else if (entry.name.endsWith(".rego") && !entry.name.endsWith("_test.rego")) out.push(path);
  }
  return out;
}
