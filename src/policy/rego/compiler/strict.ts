// `policy check --strict`: the checks OPA's strict mode adds that concern a module on its own -
// imports nothing uses and vars assigned and never used, and for v0 modules (OPA applies these
// to every Rego v1 module, strict or not) rules and vars named after a root document, calls of
// deprecated builtins and duplicate imports.
import type { Module } from "../ast.ts";
import type { RegoVersion } from "../parser.ts";
import { RegoError } from "../errors.ts";
import { visitModule } from "../visit.ts";
import { rootDocumentOverrides } from "../root-document-overrides.ts";
import { deprecatedBuiltinCalls } from "../deprecated-builtin-calls.ts";
import { duplicateImports } from "../duplicate-imports.ts";
import { importName, importText } from "../import-text.ts";
import { unusedAssignments } from "./unused-assignments.ts";

export function strictErrors(m: Module, regoVersion?: RegoVersion): RegoError[] {
  const errors: RegoError[] = regoVersion === "v0" ? [...rootDocumentOverrides(m), ...deprecatedBuiltinCalls(m), ...duplicateImports(m)] : [];
  errors.push(...unusedAssignments(m));
  const usedVars = new Set<string>();
  visitModule(m, {
    term(t) {
      if (t.value.type === "var") usedVars.add(t.value.value);
    },
  });
  for (const imp of m.imports) {
    const path = imp.path.value.type === "ref" ? imp.path.value.value : [imp.path];
    const root = path[0].value.type === "var" ? path[0].value.value : "";
    if (root !== "data" && root !== "input") continue;
    if (!usedVars.has(importName(imp))) errors.push(new RegoError("rego_compile_error", `${importText(imp)} unused`, imp.location));
  }
  return errors;
}
