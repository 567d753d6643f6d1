// OPA's check that no call names a deprecated builtin (any, all, re_match, set_diff, cast_*,
// net.cidr_overlap): "deprecated built-in function calls in expression: any". OPA applies it to
// every Rego v1 module (and to v0 modules in strict mode).
import type { Location, Module } from "./ast.ts";
import { RegoError } from "./errors.ts";
import { builtin } from "../builtins/table.ts";
import { visitModule } from "./visit.ts";
import { operatorName } from "./compiler/term-build.ts";

export function deprecatedBuiltinCalls(m: Module): RegoError[] {
  const errors: RegoError[] = [];
  const report = (name: string | undefined, location: Location) => {
    if (name !== undefined && builtin(name)?.deprecated) {
      errors.push(new RegoError("rego_type_error", `deprecated built-in function calls in expression: ${name}`, location));
    }
  };
  visitModule(m, {
    term(t) {
      if (t.value.type === "call") report(operatorName(t.value.value[0]), t.location);
    },
    expr(e) {
      if (Array.isArray(e.terms)) report(operatorName(e.terms[0]), e.location);
    },
  });
  return errors;
}
