// OPA's check that nothing in a module takes the name of a root document: a rule named `input`
// or `data` ("rules must not shadow"), `input := ...` / `data := ...` in a body ("variables must
// not shadow"). OPA applies it to every Rego v1 module (and to v0 modules in strict mode); a v0
// module without it may declare a local `input`, which then shadows the document in that body.
import type { Module } from "./ast.ts";
import { isCallExpr } from "./ast.ts";
import { RegoError } from "./errors.ts";
import { visitModule } from "./visit.ts";

const ROOT_DOCUMENTS = new Set(["input", "data"]);

export function rootDocumentOverrides(m: Module): RegoError[] {
  const errors: RegoError[] = [];
  for (const r of m.rules) {
    if (ROOT_DOCUMENTS.has(r.head.name)) {
      errors.push(new RegoError("rego_compile_error", `rules must not shadow ${r.head.name} (use a different rule name)`, r.location));
    }
  }
  visitModule(m, {
    expr(e) {
      if (!isCallExpr(e)) return;
      const [op, target] = e.terms;
      const assign = op.value.type === "ref" && op.value.value.length === 1 && op.value.value[0].value.type === "var" && op.value.value[0].value.value === "assign";
      if (!assign || !target) return;
      // The parser makes a root document name a ref (`input` -> ref [input]).
      const name = target.value.type === "var" ? target.value.value : target.value.type === "ref" && target.value.value.length === 1 && target.value.value[0].value.type === "var" ? target.value.value[0].value.value : undefined;
      if (name !== undefined && ROOT_DOCUMENTS.has(name)) {
        errors.push(new RegoError("rego_compile_error", `variables must not shadow ${name} (use a different variable name)`, e.location));
      }
    },
  });
  return errors;
}
