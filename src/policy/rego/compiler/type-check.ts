// Type checking of builtin calls against the builtin table's declarations, as OPA's type checker
// reports them (rego_type_error "NAME: invalid argument(s)"). Argument types are inferred from
// what the call site shows: literals, composite literals, comprehensions, template strings and
// the declared results of nested builtin calls. Anything else (refs, vars, user functions) is
// `any` and accepted, so the check never rejects a call OPA would accept.
import type { Location, Term } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { builtin } from "../../builtins/table.ts";
import { typeString, type RegoType } from "../../builtins/types.ts";
import { opName } from "./resolve-names.ts";
import { operatorName } from "./term-build.ts";

const ANY: RegoType = { type: "any" };

/** The type a term has wherever it is evaluated, as far as the term itself shows. */
export function inferType(t: Term): RegoType {
  const v = t.value;
  switch (v.type) {
    case "null":
    case "boolean":
    case "number":
    case "string":
      return { type: v.type };
    case "templatestring":
      return { type: "string" };
    case "array":
      return { type: "array", static: v.value.map(inferType) };
    case "set": {
      const members = v.value.map(inferType);
      return { type: "set", of: union(members) };
    }
    case "object": {
      const values = v.value.map(([, x]) => inferType(x));
      const keys = v.value.map(([k]) => inferType(k));
      return { type: "object", dynamic: { key: union(keys), value: union(values) } };
    }
    case "arraycomprehension":
      return { type: "array", dynamic: ANY };
    case "setcomprehension":
      return { type: "set", of: ANY };
    case "objectcomprehension":
      return { type: "object", dynamic: { key: ANY, value: ANY } };
    case "call": {
      const name = opName(v.value[0]) ?? operatorName(v.value[0]);
      const entry = name !== undefined && !name.startsWith("data.") ? builtin(name) : undefined;
      return entry?.decl.result ?? ANY;
    }
    default:
      return ANY;
  }
}

function union(types: RegoType[]): RegoType {
  if (types.length === 0) return ANY;
  const distinct = new Map(types.map((t) => [JSON.stringify(t), t]));
  if (distinct.size === 1) return types[0];
  return { type: "any", of: [...distinct.values()] };
}

/** True when a value of type `have` may be passed where `want` is declared. */
export function accepts(want: RegoType, have: RegoType): boolean {
  if (want.type === "any") return !want.of || want.of.length === 0 || want.of.some((w) => accepts(w, have));
  if (have.type === "any") return !have.of || have.of.length === 0 || have.of.some((h) => accepts(want, h));
  if (want.type !== have.type) return false;
  switch (want.type) {
    case "array": {
      const h = have as Extract<RegoType, { type: "array" }>;
      const elems = [...(h.static ?? []), ...(h.dynamic ? [h.dynamic] : [])];
      if (want.static) {
        if (h.static && !h.dynamic && h.static.length !== want.static.length && !want.dynamic) return false;
        return elems.every((e, i) => accepts(want.static![i] ?? want.dynamic ?? ANY, e));
      }
      return elems.every((e) => accepts(want.dynamic ?? ANY, e));
    }
    case "set": {
      const h = have as Extract<RegoType, { type: "set" }>;
      return accepts(want.of ?? ANY, h.of ?? ANY);
    }
    case "object": {
      const h = have as Extract<RegoType, { type: "object" }>;
      if (!want.dynamic || !h.dynamic) return true;
      return accepts(want.dynamic.key, h.dynamic.key) && accepts(want.dynamic.value, h.dynamic.value);
    }
    default:
      return true;
  }
}

/**
 * Checks one call of a builtin; `args` are the call's operands (an extra last operand is the
 * output of the `f(x, out)` form and is not an input).
 */
export function checkBuiltinCall(name: string, args: Term[], location: Location, errors: RegoError[]): void {
  const entry = builtin(name);
  if (!entry || entry.implementation === "planner" || entry.arity < 0) return;
  const declared = entry.decl.args ?? [];
  const inputs = args.slice(0, declared.length);
  const have = inputs.map(inferType);
  if (have.every((h, i) => accepts(declared[i], h))) return;
  errors.push(
    new RegoError(
      "rego_type_error",
      `${name}: invalid argument(s)\n\thave: (${have.map(typeString).join(", ")})\n\twant: (${declared.map(typeString).join(", ")})`,
      location,
    ),
  );
}
