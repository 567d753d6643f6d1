// Type checking of builtin calls against the builtin table's declarations, as OPA's type checker
// reports them (rego_type_error "NAME: invalid argument(s)"). Argument types are inferred from
// literals, composite literals, comprehensions, template strings, the declared results of nested
// builtin calls, and (type-env.ts) the types of local vars, complete rules and function results.
// Anything else (input, base data, iteration) is `any` and accepted, so the check never rejects
// a call OPA would accept.
import type { Location, Term } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { builtin } from "../../builtins/table.ts";
import { typeString, type RegoType } from "../../builtins/types.ts";
import { opName } from "./resolve-names.ts";
import { operatorName } from "./term-build.ts";
import { EMPTY_ENV, unionType, type TypeEnv } from "./type-env.ts";

const ANY: RegoType = { type: "any" };

/** The type a term has wherever it is evaluated, as far as the term itself shows. */
export function inferType(t: Term, env: TypeEnv = EMPTY_ENV): RegoType {
  const v = t.value;
  const infer = (x: Term) => inferType(x, env);
  switch (v.type) {
    case "var":
      return env.vars.get(v.value) ?? ANY;
    case "ref": {
      const [head, ...rest] = v.value;
      if (head.value.type !== "var" || head.value.value !== "data") return ANY;
      const path: string[] = [];
      for (const r of rest) {
        if (r.value.type !== "string") return ANY;
        path.push(r.value.value);
      }
      return env.refs.get(`data.${path.join(".")}`) ?? ANY;
    }
    case "null":
    case "boolean":
    case "number":
    case "string":
      return { type: v.type };
    case "templatestring":
      return { type: "string" };
    case "array":
      return { type: "array", static: v.value.map(infer) };
    case "set": {
      const members = v.value.map(infer);
      return { type: "set", of: unionType(members) };
    }
    case "object": {
      const values = v.value.map(([, x]) => infer(x));
      const keys = v.value.map(([k]) => infer(k));
      return { type: "object", dynamic: { key: unionType(keys), value: unionType(values) } };
    }
    case "arraycomprehension":
      return { type: "array", dynamic: ANY };
    case "setcomprehension":
      return { type: "set", of: ANY };
    case "objectcomprehension":
      return { type: "object", dynamic: { key: ANY, value: ANY } };
    case "call": {
      const name = opName(v.value[0]) ?? operatorName(v.value[0]);
      if (name?.startsWith("data.")) return env.refs.get(name) ?? ANY;
      const entry = name !== undefined ? builtin(name) : undefined;
      return entry?.decl.result ?? ANY;
    }
    default:
      return ANY;
  }
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
export function checkBuiltinCall(name: string, args: Term[], location: Location, errors: RegoError[], env: TypeEnv = EMPTY_ENV): void {
  const entry = builtin(name);
  if (!entry || entry.implementation === "planner" || entry.arity < 0) return;
  const declared = entry.decl.args ?? [];
  const inputs = args.slice(0, declared.length);
  const have = inputs.map((t) => inferType(t, env));
  if (have.every((h, i) => accepts(declared[i], h))) return;
  errors.push(
    new RegoError(
      "rego_type_error",
      `${name}: invalid argument(s)\n\thave: (${have.map(typeString).join(", ")})\n\twant: (${declared.map(typeString).join(", ")})`,
      location,
    ),
  );
}
