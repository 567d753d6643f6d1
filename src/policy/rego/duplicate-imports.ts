// OPA's check that no import of a module binds a name an earlier import binds ("import must not
// shadow import data.a"). OPA applies it to every Rego v1 module (and to v0 modules in strict
// mode), reporting the later import.
import type { Import, Module } from "./ast.ts";
import { RegoError } from "./errors.ts";
import { importName, importText } from "./import-text.ts";

export function duplicateImports(m: Module): RegoError[] {
  const errors: RegoError[] = [];
  const seen = new Map<string, Import>();
  for (const imp of m.imports) {
    const first = seen.get(importName(imp));
    if (first) errors.push(new RegoError("rego_compile_error", `import must not shadow ${importText(first)}`, imp.location));
    else seen.set(importName(imp), imp);
  }
  return errors;
}
