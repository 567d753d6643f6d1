// internal.template_string: the runtime half of Rego string interpolation ($"a {x} b"). The
// planner passes one array: literal parts as strings, each {expression} as the set of its values
// (a set, hence an array here; empty when the expression is undefined), or a constant
// expression's value as it is.
import { arr } from "./builtin-error.ts";
import { HaltError } from "./halt-error.ts";
import { regoText } from "./rego-text.ts";

export function templateString(parts: unknown): string {
  const name = "internal.template_string";
  let out = "";
  for (const part of arr(name, parts, 1)) {
    if (typeof part === "string") {
      out += part;
      continue;
    }
    if (!Array.isArray(part)) {
      // The planner passes constant expressions as plain values rather than one-element sets.
      out += regoText(part);
      continue;
    }
    if (part.length === 0) out += "<undefined>";
    else if (part.length > 1) throw new HaltError("eval_conflict_error", "template-strings must not produce multiple outputs");
    else out += typeof part[0] === "string" ? part[0] : regoText(part[0]);
  }
  return out;
}

export const templateStringBuiltins = {
  "internal.template_string": templateString,
};
