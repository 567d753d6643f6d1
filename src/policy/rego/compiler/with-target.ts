// What a `with` modifier replaces (OPA's validateWith): a document under input or data, or a
// function (a builtin by name; a user function is a data reference). Shared by the compiler,
// which reports any other target as OPA's type checker does, and the planner, which plans it.
import type { Term } from "../ast.ts";
import { builtinArity } from "../../builtins/table.ts";
import { operatorName } from "./term-build.ts";

export type WithTarget = { kind: "document"; root: "input" | "data"; terms: Term[] } | { kind: "builtin"; name: string };

/** The target's kind, or undefined when it is none of input, data or a builtin. */
export function withTarget(target: Term): WithTarget | undefined {
  const terms = target.value.type === "ref" ? target.value.value : target.value.type === "var" ? [target] : [];
  const head = terms[0];
  const root = head?.value.type === "var" ? head.value.value : undefined;
  if (root === "input" || root === "data") return { kind: "document", root, terms };
  const name = operatorName(target);
  return name !== undefined && builtinArity(name) !== undefined ? { kind: "builtin", name } : undefined;
}

/** OPA's message for a target that is none of them. */
export const invalidWithTarget = "with keyword target must reference existing input, data, or a function";

/**
 * OPA's validateWith: a `with` may replace a whole rule (`with data.p.q as`) but nothing inside
 * one (`with data.p.q.a as`), since a rule's value is computed, not stored. True when a proper
 * prefix of the data reference `terms` is a rule path (`isRule` takes the path below data).
 */
export function replacesPartOfRule(terms: Term[], isRule: (path: string[]) => boolean): boolean {
  const path: string[] = [];
  for (const t of terms.slice(1, -1)) {
    if (t.value.type !== "string") return false;
    path.push(t.value.value);
    if (isRule(path)) return true;
  }
  return false;
}

export const partialWithTarget = "with keyword cannot partially replace virtual document(s)";
