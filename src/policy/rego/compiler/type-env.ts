// Type inference over the whole policy, for the builtin call checks (type-check.ts): the type of
// every local var (from the `x := term` / `x = term` expressions that bind it; locals are renamed
// uniquely per policy, so one map serves all bodies), of every complete rule (the union of its
// definitions' values) and of every function's result. What cannot be inferred is `any`, which
// every check accepts; a var or rule bound several ways gets the union, accepted when any member
// fits. So inference only ever finds errors OPA's type checker finds too.
import type { Term } from "../ast.ts";
import type { RegoType } from "../../builtins/types.ts";
import type { CompiledRule, RuleSet } from "./model.ts";

export interface TypeEnv {
  vars: ReadonlyMap<string, RegoType>;
  /** `data.a.b` of a complete rule -> its value type; of a function -> its result type. */
  refs: ReadonlyMap<string, RegoType>;
}

export const EMPTY_ENV: TypeEnv = { vars: new Map(), refs: new Map() };

const ANY: RegoType = { type: "any" };
const TRUE_VALUE: RegoType = { type: "boolean" };

/** Calls `fn` for every call in every rule (nested bodies included) with its operator name and args. */
export type CallWalker = (fn: (name: string | undefined, args: Term[]) => void) => void;

export function unionType(types: RegoType[]): RegoType {
  if (types.length === 0) return ANY;
  if (types.some((t) => t.type === "any" && !t.of)) return ANY;
  const distinct = new Map(types.map((t) => [JSON.stringify(t), t]));
  if (distinct.size === 1) return types[0];
  return { type: "any", of: [...distinct.values()] };
}

export function typeEnvironment(sets: Map<string, RuleSet>, walkCalls: CallWalker, infer: (t: Term, env: TypeEnv) => RegoType): TypeEnv {
  const bindings = new Map<string, Term[]>();
  walkCalls((name, args) => {
    if ((name !== "eq" && name !== "assign") || args.length !== 2) return;
    const [a, b] = args;
    if (a.value.type === "var") push(bindings, a.value.value, b);
    if (name === "eq" && b.value.type === "var") push(bindings, b.value.value, a);
  });
  const vars = new Map<string, RegoType>();
  const refs = new Map<string, RegoType>();
  const env: TypeEnv = { vars, refs };
  // A term without vars, refs or calls of user functions has the same type in every round.
  const fixed = new Map<Term, RegoType>();
  const typeOf = (t: Term): RegoType => {
    const known = fixed.get(t);
    if (known) return known;
    const type = infer(t, env);
    if (!dependsOnEnv(t)) fixed.set(t, type);
    return type;
  };
  // Rounds let types flow along chains (x := 1; y := x; p := y) until nothing changes. A var bound
  // to a var not typed yet waits for it (x = y, y = x is no evidence either way); what stays open
  // is any.
  const untyped = (t: Term) => t.value.type === "var" && !vars.has(t.value.value);
  for (let round = 0, changed = true; changed && round < 6; round++) {
    changed = false;
    const update = (map: Map<string, RegoType>, key: string, type: RegoType) => {
      const before = map.get(key);
      if (before === undefined || JSON.stringify(before) !== JSON.stringify(type)) changed = true;
      map.set(key, type);
    };
    for (const [name, terms] of bindings) {
      const known = terms.filter((t) => !untyped(t));
      if (known.length > 0) update(vars, name, unionType(known.map(typeOf)));
    }
    for (const set of sets.values()) {
      if (set.kind !== "complete" && set.kind !== "function") continue;
      const values: RegoType[] = [];
      const all = set.defaultRule ? [...set.rules, set.defaultRule] : set.rules;
      for (const r of all) for (let cur: CompiledRule | undefined = r; cur; cur = cur.else) values.push(cur.value ? typeOf(cur.value) : TRUE_VALUE);
      update(refs, `data.${set.path.join(".")}`, unionType(values));
    }
  }
  return env;
}

/** Whether a term's inferred type can change as vars, rules and functions get typed. */
function dependsOnEnv(t: Term): boolean {
  const v = t.value;
  switch (v.type) {
    case "var":
    case "ref":
      return true;
    case "call":
      return v.value.some(dependsOnEnv);
    case "array":
    case "set":
      return v.value.some(dependsOnEnv);
    case "object":
      return v.value.some(([k, x]) => dependsOnEnv(k) || dependsOnEnv(x));
    default:
      return false;
  }
}

function push(map: Map<string, Term[]>, key: string, t: Term): void {
  const list = map.get(key);
  if (list) list.push(t);
  else map.set(key, [t]);
}
