// `policy check --strict`: the checks OPA's strict mode adds that concern a module on its own -
// calls of deprecated builtins, imports nothing uses, vars assigned and never used, and (for v0
// modules, whose parse does not check it) rules and vars named after a root document.
import type { Module, Term } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { builtin } from "../../builtins/table.ts";
import { visitModule } from "../visit.ts";
import { operatorName } from "./term-build.ts";
import { rootDocumentOverrides } from "../root-document-overrides.ts";
import { unusedAssignments } from "./unused-assignments.ts";

export function strictErrors(m: Module, regoVersion?: "v0" | "v1"): RegoError[] {
  const errors: RegoError[] = regoVersion === "v0" ? rootDocumentOverrides(m) : [];
  errors.push(...unusedAssignments(m));
  const usedVars = new Set<string>();
  visitModule(m, {
    term(t: Term) {
      if (t.value.type === "var") usedVars.add(t.value.value);
      if (t.value.type === "call") {
        const name = operatorName(t.value.value[0]);
        if (name !== undefined && builtin(name)?.deprecated) {
          errors.push(new RegoError("rego_type_error", `deprecated built-in function calls in expression: ${name}`, t.location));
        }
      }
    },
    expr(e) {
      if (Array.isArray(e.terms)) {
        const name = operatorName(e.terms[0]);
        if (name !== undefined && builtin(name)?.deprecated) {
          errors.push(new RegoError("rego_type_error", `deprecated built-in function calls in expression: ${name}`, e.location));
        }
      }
    },
  });
  for (const imp of m.imports) {
    const path = imp.path.value.type === "ref" ? imp.path.value.value : [imp.path];
    const root = path[0].value.type === "var" ? path[0].value.value : "";
    if (root !== "data" && root !== "input") continue;
    const last = path.at(-1)!;
    const alias = imp.alias ?? (path.length > 1 && last.value.type === "string" ? last.value.value : root);
    if (!usedVars.has(alias)) {
      errors.push(new RegoError("rego_compile_error", `import ${renderRef(path)}${imp.alias ? ` as ${imp.alias}` : ""} unused`, imp.location));
    }
  }
  return errors;
}

function renderRef(path: Term[]): string {
  return path.map((t, i) => (i === 0 && t.value.type === "var" ? t.value.value : t.value.type === "string" ? `.${t.value.value}` : "[...]")).join("");
}
