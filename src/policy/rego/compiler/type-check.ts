// Type checking of builtin calls against the builtin table's declarations, as OPA's type checker
// reports them (rego_type_error "NAME: invalid argument(s)"). Argument types are inferred from
// literals, composite literals, comprehensions, template strings, the declared results of nested
// builtin calls, and (type-env.ts) the types of local vars, complete rules and function results.
// Calls of user functions are checked against their parameters' types the same way. Anything
// else (input, base data, iteration) is `any` and accepted, so the check never rejects a call OPA
// would accept.
import type { Location, Term } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { builtin } from "../../builtins/table.ts";
import { paramString, typeString, unnamed, type Param, type RegoType } from "../../builtins/types.ts";
import { opName } from "./resolve-names.ts";
import { operatorName } from "./term-build.ts";
import { visitTerm } from "../visit.ts";
import { EMPTY_ENV, KEYS_OF, SELECT_OF, compareKeys, constantKey, keyRank, sameType, unionType, type StaticKey, type TypeEnv } from "./type-env.ts";

const ANY: RegoType = { type: "any" };

/** The type a term has wherever it is evaluated, as far as the term itself shows. */
export function inferType(t: Term, env: TypeEnv = EMPTY_ENV): RegoType {
  const v = t.value;
  const infer = (x: Term) => inferType(x, env);
  switch (v.type) {
    case "var":
      return env.open?.has(v.value) ? ANY : (env.vars.get(v.value) ?? ANY);
    case "ref":
      return refType(v.value, env);
    case "null":
    case "boolean":
    case "number":
    case "string":
      return { type: v.type };
    case "templatestring":
      return { type: "string" };
    case "array":
      // `[]` is array[any] in OPA's type env (its elements' types otherwise, nothing dynamic).
      return v.value.length === 0 ? { type: "array", dynamic: ANY } : { type: "array", static: v.value.map(infer) };
    case "set": {
      const members = v.value.map(infer);
      return { type: "set", of: unionType(members) };
    }
    case "object":
      return objectLiteralType(v.value, infer);
    // As OPA's type env: the type of the head term where the comprehension's body binds it.
    case "arraycomprehension":
      return { type: "array", dynamic: infer(v.term) };
    case "setcomprehension":
      return { type: "set", of: infer(v.term) };
    case "objectcomprehension":
      return { type: "object", dynamic: { key: infer(v.key), value: infer(v.value) } };
    case "call": {
      const name = opName(v.value[0]) ?? operatorName(v.value[0]);
      if (name === KEYS_OF) return keyType(infer(v.value[1]));
      if (name === SELECT_OF) return selectType(infer(v.value[1]), v.value[2]);
      if (name?.startsWith("data.")) return env.refs.get(name) ?? ANY;
      const entry = name !== undefined ? builtin(name) : undefined;
      return entry?.decl.result ? unnamed(entry.decl.result) : ANY;
    }
    default:
      return ANY;
  }
}

function sameKey(a: unknown, b: unknown): boolean {
  return keyRank(a) === keyRank(b) && a === b;
}

/**
 * An object literal's type as OPA's type env gives it: a static property for each constant key
 * (sorted by key), the other pairs as the dynamic part (OPA keeps the last such pair; the union
 * is never stricter), and `object[any: any]` for `{}`.
 */
function objectLiteralType(pairs: [Term, Term][], infer: (t: Term) => RegoType): RegoType {
  const fixed: Array<{ key: StaticKey; value: RegoType }> = [];
  const keys: RegoType[] = [];
  const values: RegoType[] = [];
  for (const [k, x] of pairs) {
    const c = constantKey(k);
    if (c) fixed.push({ key: c.key, value: infer(x) });
    else {
      keys.push(infer(k));
      values.push(infer(x));
    }
  }
  fixed.sort((a, b) => compareKeys(a.key, b.key));
  if (fixed.length === 0) return { type: "object", dynamic: { key: unionType(keys), value: unionType(values) } };
  return keys.length > 0 ? { type: "object", static: fixed, dynamic: { key: unionType(keys), value: unionType(values) } } : { type: "object", static: fixed };
}

/**
 * The type of a ref: into a local of known type, or into a rule (the longest prefix of the ref
 * that names one), selected operand by operand; input, base data and anything not known is any.
 */
function refType(ref: Term[], env: TypeEnv): RegoType {
  const [head, ...rest] = ref;
  let type: RegoType | undefined;
  let from = 0;
  // A composite head: `some x in [1, 2]` is `x = [1, 2][k]` after name resolution, as in OPA.
  if (head.value.type === "array" || head.value.type === "set" || head.value.type === "object") type = inferType(head, env);
  else if (head.value.type !== "var") return ANY;
  else if (head.value.value === "data") {
    let path = "data";
    const prefixes: string[] = [];
    for (const r of rest) {
      if (r.value.type !== "string") break;
      path += `.${r.value.value}`;
      prefixes.push(path);
    }
    for (let i = prefixes.length - 1; i >= 0 && type === undefined; i--) {
      const params = env.params?.get(prefixes[i]);
      // A function named without a call: its function type (OPA's type env holds it there);
      // nothing can be selected in it.
      if (params) return i + 1 === rest.length ? { type: "function", args: params, result: env.refs.get(prefixes[i]) ?? ANY } : ANY;
      type = env.refs.get(prefixes[i]);
      from = i + 1;
    }
  } else type = env.open?.has(head.value.value) ? undefined : env.vars.get(head.value.value);
  if (type === undefined) return ANY;
  for (const operand of rest.slice(from)) {
    type = selectType(type, operand);
    if (type.type === "any" && !type.of) return ANY;
  }
  return type;
}

/** OPA's types.Contains: `a` is any, a union with `b` as a member, or `b` itself. */
function containsType(a: RegoType, b: RegoType): boolean {
  if (a.type === "any") return !a.of || a.of.length === 0 || a.of.some((m) => sameType(m, b));
  return sameType(a, b);
}

/** The type of a constant key's value. */
function keyTypeOf(k: unknown): RegoType {
  return { type: k === null ? "null" : typeof k === "boolean" ? "boolean" : typeof k === "number" ? "number" : "string" };
}

/** The type of the keys `x[k]` selects with, for `x` of type `t`; any where that is not known. */
function keyType(t: RegoType): RegoType {
  switch (t.type) {
    case "array":
      return { type: "number" };
    case "set":
      return t.of ?? ANY;
    case "object": {
      const keys = (t.static ?? []).map((s): RegoType => (typeof s.key === "string" ? { type: "string" } : typeof s.key === "number" ? { type: "number" } : ANY));
      return unionType([...keys, ...(t.dynamic ? [t.dynamic.key] : [])]);
    }
    case "any":
      return t.of && t.of.length > 0 ? unionType(t.of.map(keyType)) : ANY;
    default:
      return ANY;
  }
}

/** The type of `x[operand]` for `x` of type `t`; any where that is not known. */
function selectType(t: RegoType, operand: Term): RegoType {
  const key = operand.value;
  switch (t.type) {
    case "any":
      // A union: the operand may select in any member; one that cannot be selected makes it any.
      if (!t.of) return ANY;
      return unionType(t.of.map((m) => selectType(m, operand)));
    case "array": {
      const elems = [...(t.static ?? []), ...(t.dynamic ? [t.dynamic] : [])];
      if (key.type === "number" && t.static) {
        const i = Number(key.value);
        if (Number.isInteger(i) && i >= 0 && i < t.static.length) return t.static[i];
      }
      return elems.length > 0 ? unionType(elems) : ANY;
    }
    case "object": {
      const c = constantKey(operand);
      if (t.static && c) {
        const prop = t.static.find((s) => sameKey(s.key, c.key));
        if (prop) return prop.value;
      }
      if (t.dynamic) return t.dynamic.value;
      // A var or computed key selects any property: the union of their types.
      return !c && t.static && t.static.length > 0 ? unionType(t.static.map((s) => s.value)) : ANY;
    }
    case "set":
      return t.of ?? ANY;
    default:
      // Selecting in a scalar: OPA reports an undefined ref; this check leaves it to evaluation.
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
      // A property `have` is known to have must fit where `want` puts that key; keys of `want`
      // that `have` may lack are not judged (its dynamic part may hold them).
      for (const p of h.static ?? []) {
        const wanted = want.static?.find((s) => sameKey(s.key, p.key))?.value ?? (want.dynamic && accepts(want.dynamic.key, keyTypeOf(p.key)) ? want.dynamic.value : undefined);
        if (wanted === undefined) {
          if (!want.dynamic && !want.static) continue;
          return false;
        }
        if (!accepts(wanted, p.value)) return false;
      }
      // Dynamic parts: OPA's unifiesObjects compares their values only, never their key types.
      if (!want.dynamic || !h.dynamic) return true;
      return accepts(want.dynamic.value, h.dynamic.value);
    }
    default:
      return true;
  }
}

/**
 * Checks one call of a user function (`data.a.f`) against its parameters' inferred types
 * (type-env.ts), with OPA's message.
 */
export function checkFunctionCall(name: string, args: Term[], location: Location, errors: RegoError[], env: TypeEnv = EMPTY_ENV, nested = false): void {
  const declared = env.params?.get(name);
  if (!declared || declared.every((d) => d.type === "any" && !d.of)) return;
  const have = args.slice(0, declared.length).map((t) => inferType(t, env));
  if (have.every((h, i) => accepts(declared[i], h))) return;
  errors.push(argumentError(name, args, declared, env.refs.get(name) ?? ANY, location, env, nested));
}

/**
 * OPA's message: `have` lists every operand, the output one too (a nested call's hidden output
 * and a var not typed yet are ???), `want` the parameters and then the result, each as
 * `name: type` where the declaration names it (a user function's are unnamed).
 */
function argumentError(name: string, args: Term[], want: Param[], result: Param | undefined, location: Location, env: TypeEnv, nested: boolean): RegoError {
  const have = args.slice(0, want.length).map((t) => typeString(inferType(t, env)));
  const output = args[want.length];
  // An output this very call would type first is not typed yet: OPA stops at the bad operand.
  if (output) have.push(isOpen(output, env) || typedBy(output, args, env) ? "???" : typeString(inferType(output, env)));
  else if (nested && result) have.push("???");
  const wanted = [...want, ...(result ? [result] : [])].map(paramString);
  return new RegoError("rego_type_error", `${name}: invalid argument(s)\n\thave: (${have.join(", ")})\n\twant: (${wanted.join(", ")})`, location);
}

/**
 * OPA's message for a call of a user function with too few or too many operands (its checker
 * treats the call like a builtin's): `have` every operand's type, a nested call's hidden output
 * too (???), `want` the parameters and then the result. A nested call with one operand more
 * than the parameters is too many (the compiler adds the output after them).
 */
export function functionArityError(name: string, args: Term[], arity: number, location: Location, env: TypeEnv, nested: boolean): RegoError | undefined {
  const count = args.length + (nested ? 1 : 0);
  const problem = count < arity ? "too few arguments" : count > arity + 1 ? "too many arguments" : undefined;
  if (!problem) return undefined;
  const have = args.map((t) => (isOpen(t, env) ? "???" : typeString(inferType(t, env))));
  if (nested) have.push("???");
  const params = env.params?.get(name) ?? Array.from({ length: arity }, () => ANY);
  const want = [...params, env.refs.get(name) ?? ANY].map(paramString);
  return new RegoError("rego_type_error", `${name}: ${problem}\n\thave: (${have.join(", ")})\n\twant: (${want.join(", ")})`, location);
}

/**
 * OPA's message for a builtin statement with too few or too many operands: `have` every
 * operand's type (??? for a var not typed yet), `want` the parameters and then the result.
 */
export function builtinArityError(name: string, args: Term[], location: Location, env: TypeEnv = EMPTY_ENV): RegoError | undefined {
  const entry = builtin(name);
  if (!entry || entry.arity < 0) return undefined;
  const declared = entry.decl.args ?? [];
  const want = [...declared, ...(entry.decl.result ? [entry.decl.result] : [])];
  const problem = args.length < declared.length ? "too few arguments" : args.length > want.length ? "too many arguments" : undefined;
  if (!problem) return undefined;
  const have = args.map((t) => (isOpen(t, env) ? "???" : typeString(inferType(t, env))));
  return new RegoError("rego_type_error", `${name}: ${problem}\n\thave: (${have.join(", ")})\n\twant: (${want.map(paramString).join(", ")})`, location);
}

/**
 * Checks one call of a builtin; `args` are the call's operands (an extra last operand is the
 * output of the `f(x, out)` form and is not an input).
 */
export function checkBuiltinCall(name: string, args: Term[], location: Location, errors: RegoError[], env: TypeEnv = EMPTY_ENV, nested = false): void {
  const entry = builtin(name);
  if (!entry || entry.implementation === "planner" || entry.arity < 0) return;
  const declared = entry.decl.args ?? [];
  const inputs = args.slice(0, declared.length);
  if (inputs.every((t, i) => fits(t, declared[i], env))) return;
  errors.push(argumentError(name, args, declared, entry.decl.result, location, env, nested));
}

/**
 * Whether an operand may be passed where `want` is declared, judged as OPA's unify1 does: array
 * and set literals element by element (a set literal's type, the union of its elements, would
 * hide an element of the wrong type), anything else by its type.
 */
function fits(t: Term, want: RegoType, env: TypeEnv): boolean {
  if (want.type === "any") return !want.of || want.of.length === 0 || want.of.some((w) => fits(t, w, env));
  const v = t.value;
  if (v.type === "set") return want.type === "set" && v.value.every((e) => fits(e, want.of ?? ANY, env));
  if (v.type === "array" && want.type === "array") {
    if (v.value.length !== (want.static?.length ?? 0) && !want.dynamic) return false;
    return v.value.every((e, i) => fits(e, want.static?.[i] ?? want.dynamic ?? ANY, env));
  }
  return accepts(want, inferType(t, env));
}

/**
 * Checks one unification `a = b` (or `pattern := term`) as OPA's type checker does: a match
 * error when the two sides' types cannot unify. A var no binding types is open (OPA's nil,
 * printed ???) and unifies with anything, so only shapes that fail whatever the open vars
 * become are reported.
 */
export function checkUnification(a: Term, b: Term, location: Location, errors: RegoError[], env: TypeEnv = EMPTY_ENV): void {
  // A var this very unification types (`{"a": x} = t`) is not typed yet where it is checked.
  const open = new Set<string>();
  for (const [side, other] of [[a, b], [b, a]] as const) {
    visitTerm(side, {
      term: (t) => {
        if (t.value.type === "var" && env.boundBy?.get(t.value.value)?.every((s) => s === other)) open.add(t.value.value);
        return t.value.type === "array" || t.value.type === "object";
      },
    });
  }
  if (open.size > 0) env = { ...env, open };
  if (unifiable(a, b, env)) return;
  errors.push(new RegoError("rego_type_error", `match error\n\tleft  : ${shownType(a, env)}\n\tright : ${shownType(b, env)}`, location));
}

/** Whether `output` is first typed by the call with these operands (its result, type-env.ts). */
function typedBy(output: Term, args: Term[], env: TypeEnv): boolean {
  if (output.value.type !== "var") return false;
  const sides = env.boundBy?.get(output.value.value);
  const call = sides?.length === 1 ? sides[0].value : undefined;
  return call?.type === "call" && call.value.length === args.length && call.value.slice(1).every((t, i) => t === args[i]);
}

function isOpen(t: Term, env: TypeEnv): boolean {
  return t.value.type === "var" && (!env.vars.has(t.value.value) || env.open?.has(t.value.value) === true);
}

function unifiable(a: Term, b: Term, env: TypeEnv): boolean {
  if (isOpen(a, env) || isOpen(b, env)) return true;
  const av = a.value;
  const bv = b.value;
  if (av.type === "array" && bv.type === "array") {
    return av.value.length === bv.value.length && av.value.every((x, i) => unifiable(x, bv.value[i], env));
  }
  if (av.type === "object" && bv.type === "object") {
    const scalarKeys = (o: [Term, Term][]) => o.every(([k]) => k.value.type === "string" || k.value.type === "number" || k.value.type === "boolean" || k.value.type === "null");
    // Keys computed from vars or composites: which pairs meet is not known here.
    if (!scalarKeys(av.value) || !scalarKeys(bv.value)) return true;
    const key = (k: Term) => JSON.stringify([k.value.type, "value" in k.value ? String(k.value.value) : null]);
    const other = new Map(bv.value.map(([k, x]) => [key(k), x]));
    if (other.size !== av.value.length || av.value.length !== bv.value.length) return false;
    return av.value.every(([k, x]) => {
      const y = other.get(key(k));
      return y !== undefined && unifiable(x, y, env);
    });
  }
  return typesUnify(inferType(a, env), inferType(b, env));
}

/** True unless values of types `a` and `b` can never be equal (OPA's `unifies`, any as wildcard). */
export function typesUnify(a: RegoType, b: RegoType): boolean {
  if (a.type === "any" && (!a.of || a.of.length === 0)) return true;
  if (b.type === "any" && (!b.of || b.of.length === 0)) return true;
  if (a.type === "any") return a.of!.some((m) => typesUnify(m, b));
  if (b.type === "any") return b.of!.some((m) => typesUnify(a, m));
  if (a.type === "function" || b.type === "function") return true;
  if (a.type !== b.type) return false;
  switch (a.type) {
    case "array": {
      const o = b as typeof a;
      const select = (t: typeof a, i: number) => t.static?.[i] ?? t.dynamic;
      const length = Math.max(a.static?.length ?? 0, o.static?.length ?? 0);
      for (let i = 0; i < length; i++) {
        const x = select(a, i);
        const y = select(o, i);
        if (x === undefined || y === undefined || !typesUnify(x, y)) return false;
      }
      return !a.dynamic || !o.dynamic || typesUnify(a.dynamic, o.dynamic);
    }
    case "set":
      return typesUnify(a.of ?? ANY, (b as typeof a).of ?? ANY);
    case "object": {
      const o = b as typeof a;
      const select = (t: typeof a, k: unknown) => t.static?.find((s) => sameKey(s.key, k))?.value ?? t.dynamic?.value;
      for (const [x, y] of [[a, o], [o, a]] as const) {
        for (const s of x.static ?? []) {
          const other = select(y, s.key);
          if (other === undefined || !typesUnify(s.value, other)) return false;
        }
      }
      return !a.dynamic || !o.dynamic || typesUnify(a.dynamic.value, o.dynamic.value);
    }
    default:
      return true;
  }
}

/** A side's type as OPA prints it in a match error: an open var is ???. */
function shownType(t: Term, env: TypeEnv): string {
  if (isOpen(t, env)) return "???";
  if (t.value.type === "array" && t.value.value.length > 0) return `array<${t.value.value.map((x) => shownType(x, env)).join(", ")}>`;
  if (t.value.type === "object" && t.value.value.length > 0 && t.value.value.every(([k]) => constantKey(k))) {
    const props = t.value.value.map(([k, x]) => ({ key: constantKey(k)!.key, shown: shownType(x, env) })).sort((a, b) => compareKeys(a.key, b.key));
    return `object<${props.map((p) => `${p.key === null ? "<nil>" : String(p.key)}: ${p.shown}`).join(", ")}>`;
  }
  return typeString(inferType(t, env));
}

const SCALARS = new Set(["null", "boolean", "number", "string"]);

/**
 * Checks a ref into a local or rule of known type as OPA's ref checker does: selecting in a
 * scalar is `undefined ref` (have: the scalar's type). Only paths whose every step is certain
 * are followed: objects are left out (OPA knows an object literal's keys, this inference does
 * not, so a missing key would get another message), as are array indexes past a literal's end.
 */
export function checkRef(ref: Term[], location: Location, errors: RegoError[], env: TypeEnv = EMPTY_ENV, originalName: (local: string) => string = (l) => l): void {
  const [head, ...rest] = ref;
  if (head.value.type !== "var" || rest.length === 0) return;
  let type: RegoType | undefined;
  let at = 0;
  if (head.value.value === "data") {
    const packageError = checkPackageOperand(ref, env, location, originalName);
    if (packageError) {
      errors.push(packageError);
      return;
    }
    let path = "data";
    for (let i = 0; i < rest.length && rest[i].value.type === "string"; i++) {
      path += `.${(rest[i].value as { value: string }).value}`;
      const params = env.params?.get(path);
      if (params) {
        // A function named without being called: OPA's ref checker does not support it
        // (checkApply), `have` the function's type.
        const shown = refString(ref, originalName);
        const upTo = refString(ref.slice(0, i + 2), originalName);
        if (shown === undefined || upTo === undefined) return;
        const type: RegoType = { type: "function", args: params, result: env.refs.get(path) ?? ANY };
        errors.push(new RegoError("rego_type_error", `undefined ref: ${shown}\n\t${shown}\n\t${"^".repeat(upTo.length)}\n\thave: ${typeString(type)}`, location));
        return;
      }
      const known = env.refs.get(path);
      if (known) {
        type = known;
        at = i + 1;
      }
    }
  } else type = env.vars.get(head.value.value);
  if (type === undefined) return;
  for (let i = at; i < ref.length; i++) {
    if (i + 1 >= ref.length) return;
    if (SCALARS.has(type.type)) {
      const shown = refString(ref, originalName);
      if (shown === undefined) return;
      const caret = "^".repeat(refString(ref.slice(0, i + 1), originalName)!.length);
      errors.push(new RegoError("rego_type_error", `undefined ref: ${shown}\n\t${shown}\n\t${caret}\n\thave: ${typeString(type)}`, location));
      return;
    }
    const operand = ref[i + 1];
    // A composite operand must unify with the collection's key type (OPA's checkRefLeaf):
    // otherwise `have (type)` its type, `want (type)` the key type.
    if ((operand.value.type === "array" || operand.value.type === "object" || operand.value.type === "set") && (type.type === "array" || type.type === "object" || type.type === "set")) {
      const keys = keyType(type);
      if (!fits(operand, keys, env)) {
        const error = invalidKeyError(ref, i + 1, `have (type): ${typeString(inferType(operand, env))}`, `want (type): ${typeString(keys)}`, location, originalName);
        if (error) errors.push(error);
        return;
      }
      type = selectType(type, operand);
      continue;
    }
    // A typed var (or a ref) selecting in a literal's type (elements or properties only): OPA
    // compares its type with the key type and reports a mismatch with both.
    if ((operand.value.type === "var" || operand.value.type === "ref") && (type.type === "array" || type.type === "object") && !type.dynamic && (type.static?.length ?? 0) > 0) {
      const have = operandType(operand, env);
      if (have && !typesUnify(have, keyType(type))) {
        const want = type.type === "object" ? oneOfKeys(type) : "want (type): number";
        const error = invalidKeyError(ref, i + 1, `have (type): ${typeString(have)}`, want, location, originalName);
        if (error) errors.push(error);
        return;
      }
    }
    if (type.type === "array") {
      const c = constantKey(operand);
      if (c && !type.dynamic && (type.static?.length ?? 0) > 0) {
        // A literal's elements are all there is: a constant that is not one of its indexes
        // selects nothing, which OPA reports with the key and the key type (number).
        const index = typeof c.key === "number" ? c.key : NaN;
        if (!Number.isInteger(index) || index < 0 || index >= type.static!.length) {
          const error = invalidKeyError(ref, i + 1, constantHave(operand), "want (type): number", location, originalName);
          if (error) errors.push(error);
          return;
        }
      } else if (operand.value.type !== "var" && !(operand.value.type === "number" && type.dynamic)) return;
      type = selectType(type, operand);
    } else if (type.type === "set") {
      // A constant of a type the members cannot have selects nothing (OPA's types.Select on a
      // set): `have` the constant, `want` the member type.
      const c = constantKey(operand);
      if (c && type.of && !containsType(type.of, keyTypeOf(c.key))) {
        const error = invalidKeyError(ref, i + 1, constantHave(operand), `want (type): ${typeString(type.of)}`, location, originalName);
        if (error) errors.push(error);
        return;
      }
      if (operand.value.type !== "var" && (!type.of || type.of.type !== operand.value.type)) return;
      type = selectType(type, operand);
    } else if (type.type === "object") {
      const c = constantKey(operand);
      if (c) {
        const known = type.static?.some((s) => sameKey(s.key, c.key));
        if (!known && !type.dynamic) {
          const error = missingKeyError(ref, i + 1, type, location, originalName);
          if (error) errors.push(error);
          return;
        }
        // Neither a static key nor one the dynamic part's key type holds (OPA's Object.Select):
        // `have` the constant, `want` the static keys, else the key type.
        if (!known && !containsType(type.dynamic!.key, keyTypeOf(c.key))) {
          const error = missingKeyError(ref, i + 1, type, location, originalName);
          if (error) errors.push(error);
          return;
        }
      } else if (operand.value.type !== "var") return;
      type = selectType(type, operand);
    } else return;
  }
}

/** The type of a var or ref operand where the checker knows it (undefined: not typed yet). */
function operandType(operand: Term, env: TypeEnv): RegoType | undefined {
  const v = operand.value;
  if (v.type === "var") return env.open?.has(v.value) ? undefined : env.vars.get(v.value);
  const type = inferType(operand, env);
  return type.type === "any" && !type.of?.length ? undefined : type;
}

/**
 * A data ref's first operand that is not a name, where it selects below a package (a node of
 * the rule tree that is no rule): OPA's type tree makes the package an object keyed by the names
 * below it, so a var or ref typed as something no name can be (a number) selects nothing.
 */
function checkPackageOperand(ref: Term[], env: TypeEnv, location: Location, originalName: (local: string) => string): RegoError | undefined {
  if (!env.packages) return undefined;
  let path = "data";
  for (let i = 1; i < ref.length; i++) {
    const below = env.packages.get(path);
    if (!below || env.refs.has(path) || env.params?.has(path)) return undefined;
    const operand = ref[i];
    if (operand.value.type === "string") {
      path += `.${operand.value.value}`;
      continue;
    }
    // A constant is not checked: OPA compiles `data[2]` and `data.test[7]`, which read base
    // documents keyed "2" and "7" (conformance: dataderef "data/toplevel integer").
    if (operand.value.type !== "var" && operand.value.type !== "ref") return undefined;
    const want = `want (one of): [${[...below].sort().map((k) => JSON.stringify(k)).join(" ")}]`;
    const have = operandType(operand, env);
    if (!have || typesUnify(have, { type: "string" })) return undefined;
    return invalidKeyError(ref, i, `have (type): ${typeString(have)}`, want, location, originalName);
  }
  return undefined;
}

/**
 * OPA's message for a constant key an object type has no property for: the ref, a caret under
 * the key, the key, and the keys the object has.
 */
function missingKeyError(ref: Term[], pos: number, type: Extract<RegoType, { type: "object" }>, location: Location, originalName: (local: string) => string): RegoError | undefined {
  return invalidKeyError(ref, pos, constantHave(ref[pos]), oneOfKeys(type), location, originalName);
}

/** OPA's `want` line for keys of an object type: the static keys, else the key type. */
function oneOfKeys(type: Extract<RegoType, { type: "object" }>): string {
  const keys = (type.static ?? []).map((s) => s.key);
  return keys.length > 0 ? `want (one of): [${keys.map((k) => valueString(k as StaticKey)).join(" ")}]` : `want (type): ${typeString(keyType(type))}`;
}

/** OPA's `have` line for a constant operand: the constant as written. */
function constantHave(t: Term): string {
  return `have: ${t.value.type === "number" ? t.value.value : valueString(constantKey(t)!.key)}`;
}

/** OPA's undefined ref for an operand that selects nothing: the ref, a caret under the operand, `have`, `want`. */
function invalidKeyError(ref: Term[], pos: number, have: string, want: string, location: Location, originalName: (local: string) => string): RegoError | undefined {
  const shown = refString(ref, originalName);
  if (shown === undefined) return undefined;
  const pad = " ".repeat(refString(ref.slice(0, pos), originalName)!.length + 1);
  return new RegoError("rego_type_error", `undefined ref: ${shown}\n\t${shown}\n\t${pad}^\n\t${pad}${have}\n\t${pad}${want}`, location);
}

/** A constant as OPA prints a value: strings quoted. */
function valueString(k: StaticKey): string {
  return typeof k === "string" ? JSON.stringify(k) : String(k);
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A ref as OPA prints it (`x.a[0][i]`), or undefined when an operand is not a plain one. */
function refString(ref: Term[], originalName: (local: string) => string): string | undefined {
  const [head, ...rest] = ref;
  if (head.value.type !== "var") return undefined;
  let out = originalName(head.value.value);
  for (const r of rest) {
    const v = r.value;
    if (v.type === "string") out += IDENTIFIER.test(v.value) ? `.${v.value}` : `[${JSON.stringify(v.value)}]`;
    else if (v.type === "number" || v.type === "boolean") out += `[${String(v.value)}]`;
    else if (v.type === "null") out += "[null]";
    else if (v.type === "var") out += `[${originalName(v.value)}]`;
    else if (v.type === "ref") {
      const inner = refString(v.value, originalName);
      if (inner === undefined) return undefined;
      out += `[${inner}]`;
    } else {
      const literal = literalString(r, originalName);
      if (literal === undefined) return undefined;
      out += `[${literal}]`;
    }
  }
  return out;
}

/** A literal operand as OPA prints a term: `[1, "a"]`, `{"a": x}`, `{1}`, `set()`. */
function literalString(t: Term, originalName: (local: string) => string): string | undefined {
  const v = t.value;
  const all = (terms: Term[]) => {
    const parts = terms.map((x) => literalString(x, originalName));
    return parts.every((p) => p !== undefined) ? (parts as string[]) : undefined;
  };
  switch (v.type) {
    case "null":
      return "null";
    case "boolean":
    case "number":
      return String(v.value);
    case "string":
      return JSON.stringify(v.value);
    case "var":
      return originalName(v.value);
    case "array": {
      const parts = all(v.value);
      return parts && `[${parts.join(", ")}]`;
    }
    case "set": {
      const parts = all(v.value);
      return parts && (parts.length === 0 ? "set()" : `{${parts.join(", ")}}`);
    }
    case "object": {
      const keys = all(v.value.map(([k]) => k));
      const values = all(v.value.map(([, x]) => x));
      return keys && values && `{${keys.map((k, i) => `${k}: ${values[i]}`).join(", ")}}`;
    }
    default:
      return undefined;
  }
}
