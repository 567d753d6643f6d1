// Type inference over the whole policy, for the call checks (type-check.ts): the type of every
// local var (from the `x := term` / `x = term` expressions that bind it; locals are renamed
// uniquely per policy, so one map serves all bodies), of every rule (complete rules: the union of
// their definitions' values; partial sets and objects: a set or object of those), of every
// function's result and of its parameters. What cannot be inferred is `any`, which every check
// accepts; a var or rule bound several ways gets the union, accepted when any member fits. So
// inference only ever finds errors OPA's type checker finds too.
import type { Body, Expr, Term } from "../ast.ts";
import { isCallExpr, isEveryExpr, isSomeExpr, isTermExpr } from "../ast.ts";
import { unnamed, type RegoType } from "../../builtins/types.ts";
import { builtin } from "../../builtins/table.ts";
import { pathKey, type CompiledRule, type RuleSet } from "./model.ts";
import { operatorName } from "./term-build.ts";
import { patternVars } from "./resolve-names.ts";
import { visitBody, visitTerm } from "../visit.ts";

export interface TypeEnv {
  vars: ReadonlyMap<string, RegoType>;
  /** `data.a.b` of a rule -> its value type; of a function -> its result type. */
  refs: ReadonlyMap<string, RegoType>;
  /** `data.a.f` of a function -> its parameters' types. */
  params?: ReadonlyMap<string, RegoType[]>;
  /** Each local -> the sides of the unifications that type it (`t` of `x = t`, `[x] = t`). */
  boundBy?: ReadonlyMap<string, Term[]>;
  /** Locals not typed yet where a check runs (OPA's nil, printed ???). */
  open?: ReadonlySet<string>;
  /**
   * The data paths above rules (packages and ref-head prefixes, `data`, `data.a`) -> the names
   * below them: OPA's type tree, in which such a node is an object with those keys.
   */
  packages?: ReadonlyMap<string, ReadonlySet<string>>;
}

export const EMPTY_ENV: TypeEnv = { vars: new Map(), refs: new Map() };

const ANY: RegoType = { type: "any" };
const TRUE_VALUE: RegoType = { type: "boolean" };

/** The name under which a CallWalker reports a ref (its terms as the args). */
export const REF_SEEN = "\0ref";
/** The operator of a synthesized call whose type is the key type of its one operand. */
export const KEYS_OF = "\0keys";
/** The operator of a synthesized call `select(x, k)` whose type is that of `x[k]`. */
export const SELECT_OF = "\0select";

function synthesizedCall(op: string, args: Term[]): Term {
  const location = args[0].location;
  const opTerm = { value: { type: "ref", value: [{ value: { type: "var", value: op }, location }] }, location } as Term;
  return { value: { type: "call", value: [opTerm, ...args] }, location } as Term;
}

/**
 * The vars an array or object pattern binds, each with the term whose type it gets (OPA's
 * unify1: an element of `[x, y] = t` is typed as `t[0]`, `t[1]`; a value under a constant key of
 * `{"k": x} = t` as `t.k`; under another key, not at all).
 */
function patternBindings(pattern: Term, other: Term, out: (name: string, term: Term) => void): void {
  const v = pattern.value;
  const select = (key: Term) => synthesizedCall(SELECT_OF, [other, key]);
  const bind = (element: Term, key: Term) => {
    if (element.value.type === "var") out(element.value.value, select(key));
    else patternBindings(element, select(key), out);
  };
  if (v.type === "array") {
    v.value.forEach((element, i) => bind(element, { value: { type: "number", value: String(i) }, location: element.location } as Term));
  } else if (v.type === "object") {
    for (const [k, element] of v.value) {
      if (k.value.type === "string" || k.value.type === "number" || k.value.type === "boolean" || k.value.type === "null") bind(element, k);
    }
  }
}

/**
 * Calls `fn` for every call in every rule (nested bodies included) with its operator name and
 * args (`inClosure`: inside a comprehension), and for every ref with REF_SEEN and the ref's terms.
 */
export type CallWalker = (fn: (name: string | undefined, args: Term[], inClosure?: boolean) => void) => void;

/** Structural equality of two types (the declarations share no objects with inferred types). */
export function sameType(a: RegoType, b: RegoType): boolean {
  if (a === b) return true;
  if (a.type !== b.type) return false;
  switch (a.type) {
    case "any": {
      const o = (b as typeof a).of;
      return sameTypes(a.of ?? [], o ?? []);
    }
    case "array": {
      const o = b as typeof a;
      return sameTypes(a.static ?? [], o.static ?? []) && sameOptional(a.dynamic, o.dynamic);
    }
    case "set":
      return sameOptional(a.of, (b as typeof a).of);
    case "object": {
      const o = b as typeof a;
      if ((a.static?.length ?? 0) !== (o.static?.length ?? 0)) return false;
      if (a.static && !a.static.every((s, i) => JSON.stringify(s.key) === JSON.stringify(o.static![i].key) && sameType(s.value, o.static![i].value))) return false;
      if (!a.dynamic || !o.dynamic) return a.dynamic === o.dynamic;
      return sameType(a.dynamic.key, o.dynamic.key) && sameType(a.dynamic.value, o.dynamic.value);
    }
    case "function": {
      const o = b as typeof a;
      return sameTypes(a.args ?? [], o.args ?? []) && sameOptional(a.result, o.result) && sameOptional(a.variadic, o.variadic);
    }
    default:
      return true;
  }
}

function sameTypes(a: RegoType[], b: RegoType[]): boolean {
  return a.length === b.length && a.every((t, i) => sameType(t, b[i]));
}

function sameOptional(a: RegoType | undefined, b: RegoType | undefined): boolean {
  return a === undefined || b === undefined ? a === b : sameType(a, b);
}

/** OPA's types.Or over a list: nested unions flattened, duplicates dropped, members in OPA's order (compareTypes). */
export function unionType(types: RegoType[]): RegoType {
  if (types.length === 0) return ANY;
  const distinct: RegoType[] = [];
  const add = (t: RegoType): boolean => {
    if (t.type === "any") {
      if (!t.of || t.of.length === 0) return false;
      return t.of.every(add);
    }
    if (!distinct.some((d) => sameType(d, t))) distinct.push(t);
    return true;
  };
  for (const t of types) if (!add(t)) return ANY;
  distinct.sort(compareTypes);
  return distinct.length === 1 ? distinct[0] : { type: "any", of: distinct };
}

const TYPE_ORDER: Record<RegoType["type"], number> = { null: 0, boolean: 1, number: 2, string: 3, array: 4, object: 5, set: 6, any: 7, function: 8 };

export function keyRank(k: unknown): number {
  return k === null ? 0 : typeof k === "boolean" ? 1 : typeof k === "number" ? 2 : 3;
}

/** OPA's order of static property keys (null, booleans, numbers, strings; then by value). */
export function compareKeys(a: unknown, b: unknown): number {
  const ra = keyRank(a);
  const rb = keyRank(b);
  if (ra !== rb) return ra - rb;
  if (a === b) return 0;
  return (a as number | string) < (b as number | string) ? -1 : 1;
}

function compareTypeLists(a: RegoType[], b: RegoType[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareTypes(a[i], b[i]);
    if (c !== 0) return c;
  }
  return Math.sign(a.length - b.length);
}

/** OPA's types.Compare: the order it keeps the members of a union in (and so prints them). */
export function compareTypes(a: RegoType, b: RegoType): number {
  const order = TYPE_ORDER[a.type] - TYPE_ORDER[b.type];
  if (order !== 0) return Math.sign(order);
  switch (a.type) {
    case "array": {
      const o = b as typeof a;
      if (a.dynamic && !o.dynamic) return 1;
      if (o.dynamic && !a.dynamic) return -1;
      if (a.dynamic && o.dynamic) {
        const c = compareTypes(a.dynamic, o.dynamic);
        if (c !== 0) return c;
      }
      return compareTypeLists(a.static ?? [], o.static ?? []);
    }
    case "object": {
      const o = b as typeof a;
      if (a.dynamic && !o.dynamic) return 1;
      if (o.dynamic && !a.dynamic) return -1;
      if (a.dynamic && o.dynamic) {
        const c = compareTypes(a.dynamic.key, o.dynamic.key) || compareTypes(a.dynamic.value, o.dynamic.value);
        if (c !== 0) return c;
      }
      const sa = a.static ?? [];
      const sb = o.static ?? [];
      for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
        const c = compareKeys(sa[i].key, sb[i].key) || compareTypes(sa[i].value, sb[i].value);
        if (c !== 0) return c;
      }
      return Math.sign(sa.length - sb.length);
    }
    case "set": {
      const o = b as typeof a;
      if (!a.of || !o.of) return a.of ? 1 : o.of ? -1 : 0;
      return compareTypes(a.of, o.of);
    }
    case "any":
      return compareTypeLists(a.of ?? [], (b as typeof a).of ?? []);
    default:
      return 0;
  }
}

export function typeEnvironment(sets: Map<string, RuleSet>, walkCalls: CallWalker, infer: (t: Term, env: TypeEnv) => RegoType): TypeEnv {
  const bindings = new Map<string, Term[]>();
  const boundBy = new Map<string, Term[]>();
  const paramUses = new Map<string, RegoType[]>();
  const params = functionParams(sets);
  walkCalls((name, args, inClosure) => {
    if (name === REF_SEEN) {
      // A var selecting in a collection is typed by its keys, as OPA's ref checker types it.
      for (let j = 1; j < args.length; j++) {
        const operand = args[j].value;
        if (operand.type !== "var") continue;
        const location = args[0].location;
        const prefix: Term = j === 1 ? args[0] : ({ value: { type: "ref", value: args.slice(0, j) }, location } as Term);
        push(bindings, operand.value, synthesizedCall(KEYS_OF, [prefix]));
      }
      return;
    }
    if (name === "eq" || name === "assign") {
      if (args.length !== 2) return;
      const [a, b] = args;
      if (a.value.type === "var") push(bindings, a.value.value, b);
      if (name === "eq" && b.value.type === "var") push(bindings, b.value.value, a);
      patternBindings(a, b, (v, t) => (push(bindings, v, t), push(boundBy, v, b)));
      if (name === "eq") patternBindings(b, a, (v, t) => (push(bindings, v, t), push(boundBy, v, a)));
      if (a.value.type === "var") push(boundBy, a.value.value, b);
      if (name === "eq" && b.value.type === "var") push(boundBy, b.value.value, a);
      return;
    }
    if (name === undefined || name.startsWith("data.")) return;
    const declared = builtin(name)?.decl.args;
    // A parameter used in a comprehension is typed there in the comprehension's own environment,
    // which OPA's checker drops afterwards: such a use does not type the parameter.
    if (!declared || inClosure) return;
    declared.forEach((type, i) => {
      const arg = args[i];
      if (arg?.value.type === "var" && params.vars.has(arg.value.value)) push(paramUses, arg.value.value, unnamed(type));
    });
  });
  const vars = new Map<string, RegoType>();
  const refs = new Map<string, RegoType>();
  const paramTypes = new Map<string, RegoType[]>();
  const env: TypeEnv = { vars, refs, params: paramTypes, boundBy, packages: packageTree(sets) };
  // A parameter no expression binds is typed by the builtin arguments it is passed as, as OPA
  // types it by its first use; only when every occurrence in the body is such an argument of the
  // same declared type, so that no other use (a ref, a comparison, a user function) could have
  // typed it first.
  for (const [name, uses] of paramUses) {
    if (bindings.has(name) || uses.length !== params.vars.get(name)) continue;
    if (!(uses[0].type === "any" && !uses[0].of?.length) && uses.every((u) => sameType(u, uses[0]))) vars.set(name, uses[0]);
  }
  // A term without vars, data refs or calls of user functions has the same type in every round.
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
  // is any. Bindings to terms whose type cannot change are settled in the first round.
  const untyped = (t: Term) => t.value.type === "var" && !vars.has(t.value.value);
  // A var whose first occurrence binds it (`x := 1`, `x = 1`) has that term's type, as in OPA,
  // which types a var at its first binding and then only compares (a match error when the
  // types cannot unify): its later bindings do not widen it.
  const needed = neededVars(sets);
  const arityOf = (name: string): number | undefined => {
    if (!name.startsWith("data.")) return builtin(name)?.arity;
    const set = sets.get(pathKey(name.slice(5).split(".")));
    return set?.kind === "function" ? set.arity : undefined;
  };
  for (const [name, first] of declarations(sets, arityOf)) {
    bindings.set(name, [first.term]);
    boundBy.set(name, [first.side]);
    needed.add(name);
  }
  const open = new Map([...bindings].filter(([name]) => needed.has(name)));
  for (let round = 0, changed = true; changed && round < 6; round++) {
    changed = false;
    const update = (map: Map<string, RegoType>, key: string, type: RegoType) => {
      const before = map.get(key);
      if (before === undefined || !sameType(before, type)) changed = true;
      map.set(key, type);
    };
    for (const [name, terms] of open) {
      const known = terms.filter((t) => !untyped(t));
      if (known.length > 0) update(vars, name, unionType(known.map(typeOf)));
      if (known.length === terms.length && !terms.some(dependsOnEnv)) open.delete(name);
    }
    for (const set of sets.values()) {
      const type = ruleType(set, typeOf);
      if (type) update(refs, `data.${set.path.join(".")}`, type);
    }
  }
  for (const [path, clauses] of params.byFunction) {
    const arity = clauses[0]?.length ?? 0;
    const types: RegoType[] = [];
    for (let i = 0; i < arity; i++) types.push(unionType(clauses.map((c) => (c[i] ? typeOf(c[i]) : ANY))));
    paramTypes.set(path, types);
  }
  return env;
}

/** Each data path above a rule -> the names directly below it (see TypeEnv.packages). */
function packageTree(sets: Map<string, RuleSet>): Map<string, Set<string>> {
  const tree = new Map<string, Set<string>>();
  for (const set of sets.values()) {
    let path = "data";
    for (const name of set.path) {
      let below = tree.get(path);
      if (!below) tree.set(path, (below = new Set()));
      below.add(name);
      path += `.${name}`;
    }
  }
  return tree;
}

export type StaticKey = string | number | boolean | null;

/** A constant object key as OPA's type checker keys static properties (its JSON value); undefined for any other key. */
export function constantKey(t: Term): { key: StaticKey } | undefined {
  const v = t.value;
  switch (v.type) {
    case "string":
    case "boolean":
      return { key: v.value };
    case "number":
      return { key: Number(v.value) };
    case "null":
      return { key: null };
    default:
      return undefined;
  }
}

/** A rule's type as a ref to it sees it; undefined for rule kinds not typed. */
function ruleType(set: RuleSet, typeOf: (t: Term) => RegoType): RegoType | undefined {
  const all = set.defaultRule ? [...set.rules, set.defaultRule] : set.rules;
  const clauses: CompiledRule[] = [];
  for (const r of all) for (let cur: CompiledRule | undefined = r; cur; cur = cur.else) clauses.push(cur);
  switch (set.kind) {
    case "complete":
    case "function":
      return unionType(clauses.map((c) => (c.value ? typeOf(c.value) : TRUE_VALUE)));
    case "set":
      if (clauses.some((c) => c.keys.length !== 1)) return undefined;
      return { type: "set", of: unionType(clauses.map((c) => typeOf(c.keys[0]))) };
    case "object": {
      if (clauses.some((c) => c.keys.length !== 1 || c.leafSet)) return undefined;
      // Every key a constant (`a.b.c[3] := v`: a ground ref head, which OPA's type tree holds as a
      // node with those children): an object with exactly those static keys.
      const constants = clauses.map((c) => constantKey(c.keys[0]));
      if (constants.every((k) => k !== undefined)) {
        const byKey = new Map<StaticKey, RegoType[]>();
        clauses.forEach((c, i) => {
          const key = constants[i]!.key;
          const values = byKey.get(key) ?? [];
          values.push(c.value ? typeOf(c.value) : TRUE_VALUE);
          byKey.set(key, values);
        });
        const fixed = [...byKey].map(([key, values]) => ({ key, value: unionType(values) }));
        fixed.sort((a, b) => compareKeys(a.key, b.key));
        return { type: "object", static: fixed };
      }
      return {
        type: "object",
        dynamic: { key: unionType(clauses.map((c) => typeOf(c.keys[0]))), value: unionType(clauses.map((c) => (c.value ? typeOf(c.value) : TRUE_VALUE))) },
      };
    }
    default:
      return undefined;
  }
}

/**
 * Each function's parameter terms per clause, and for every parameter var the number of times
 * its clause's body and head value name it.
 */
function functionParams(sets: Map<string, RuleSet>): { byFunction: Map<string, Term[][]>; vars: Map<string, number> } {
  const byFunction = new Map<string, Term[][]>();
  const vars = new Map<string, number>();
  for (const set of sets.values()) {
    if (set.kind !== "function") continue;
    const clauses: Term[][] = [];
    const all = set.defaultRule ? [...set.rules, set.defaultRule] : set.rules;
    for (const r of all) {
      for (let cur: CompiledRule | undefined = r; cur; cur = cur.else) {
        const args = cur.args ?? [];
        clauses.push(args);
        // Vars of array and object parameter patterns (`f([a, b])`) too, as OPA types them alike.
        const names = new Set(args.flatMap((a) => patternVars(a)));
        if (names.size === 0) continue;
        const counts = new Map<string, number>();
        const count = (name: string) => void (names.has(name) && counts.set(name, (counts.get(name) ?? 0) + 1));
        varsInBody(cur.body, count);
        // The head value too: OPA moves its calls into the body (`f(x) := x + 1` types x by plus).
        for (const t of [...cur.keys, ...(cur.value ? [cur.value] : [])]) varsInTerm(t, count, false);
        for (const name of names) vars.set(name, (vars.get(name) ?? 0) + (counts.get(name) ?? 0));
      }
    }
    byFunction.set(`data.${set.path.join(".")}`, clauses);
  }
  return { byFunction, vars };
}

type VarVisitor = (name: string) => void;

function varsInBody(body: Body, visit: VarVisitor, skipBound = false): void {
  for (const e of body) varsInExpr(e, visit, skipBound);
}

/**
 * Every var occurrence of an expression (nested bodies included). `skipBound`: leave out the
 * occurrences that only receive a binding: the var side of `x := term` / `x = term` (both
 * sides of `x = y` count, each waits for the other) and a var given as a `with` value.
 */
function varsInExpr(e: Expr, visit: VarVisitor, skipBound: boolean): void {
  for (const w of e.with) if (!(skipBound && w.value.value.type === "var")) varsInTerm(w.value, visit, skipBound);
  if (isCallExpr(e)) {
    const [op, ...args] = e.terms;
    const name = op.value.type === "ref" && op.value.value.length === 1 && op.value.value[0].value.type === "var" ? op.value.value[0].value.value : undefined;
    if (skipBound && (name === "eq" || name === "assign") && args.length === 2) {
      const [a, b] = args;
      const aVar = a.value.type === "var";
      const bVar = b.value.type === "var";
      if (!aVar || (name === "eq" && bVar)) varsInTerm(a, visit, skipBound);
      if (!bVar || name === "assign" || aVar) varsInTerm(b, visit, skipBound);
      return;
    }
    e.terms.forEach((t) => varsInTerm(t, visit, skipBound));
  } else if (isTermExpr(e)) varsInTerm(e.terms, visit, skipBound);
  else if (isEveryExpr(e)) {
    for (const t of [e.terms.key, e.terms.value, e.terms.domain]) if (t) varsInTerm(t, visit, skipBound);
    varsInBody(e.terms.body, visit, skipBound);
  } else if (isSomeExpr(e)) e.terms.symbols.forEach((t) => varsInTerm(t, visit, skipBound));
}

function varsInTerm(t: Term, visit: VarVisitor, skipBound: boolean): void {
  const v = t.value;
  switch (v.type) {
    case "var":
      visit(v.value);
      return;
    case "ref":
    case "array":
    case "set":
    case "call":
      v.value.forEach((x) => varsInTerm(x, visit, skipBound));
      return;
    case "object":
      v.value.forEach(([k, x]) => (varsInTerm(k, visit, skipBound), varsInTerm(x, visit, skipBound)));
      return;
    case "arraycomprehension":
    case "setcomprehension":
      varsInTerm(v.term, visit, skipBound);
      varsInBody(v.body, visit, skipBound);
      return;
    case "objectcomprehension":
      varsInTerm(v.key, visit, skipBound);
      varsInTerm(v.value, visit, skipBound);
      varsInBody(v.body, visit, skipBound);
      return;
    case "templatestring":
      for (const p of v.parts) {
        if ("terms" in p) varsInExpr(p, visit, skipBound);
        else varsInTerm(p, visit, skipBound);
      }
      return;
    default:
      return;
  }
}

/**
 * The locals whose type a check can ask for: every var that occurs other than as the receiving
 * side of a binding (see varsInExpr), in bodies and in rule heads. A local bound and then only
 * handed to `with` (a test's fixture) is never typed.
 */
function neededVars(sets: Map<string, RuleSet>): Set<string> {
  const needed = new Set<string>();
  const visit = (name: string) => void needed.add(name);
  for (const set of sets.values()) {
    const all = set.defaultRule ? [...set.rules, set.defaultRule] : set.rules;
    for (const r of all) {
      for (let cur: CompiledRule | undefined = r; cur; cur = cur.else) {
        for (const t of [...cur.keys, ...(cur.value ? [cur.value] : []), ...(cur.args ?? [])]) varsInTerm(t, visit, true);
        varsInBody(cur.body, visit, true);
      }
    }
  }
  return needed;
}

/** Where OPA's type checker first types a var: the term whose type it gets, and the side it is bound to. */
interface FirstBinding {
  term: Term;
  side: Term;
}

/**
 * Where each var is first typed, as OPA's checker types it (check.go): in checking order, a var
 * gets a type at the first expression that binds it and is only compared after that (a later
 * `x = t` of another type is a match error, not a wider type). The first occurrence of the var
 * must be in an expression that is safe where it stands (every var it reads occurs earlier, or
 * is an iteration key the expression's own refs bind), so OPA's reordering keeps it before every
 * later expression naming the var. Such an expression types the var when it is
 * - a bare side of a plain `=` (`:=` is one after name resolution): the other side's type;
 * - inside an array or object pattern side (`[x, _] = t`, `{"k": x} = t`): the matching part of
 *   the other side's type (OPA's unify1);
 * - the output operand of a builtin or function call statement (`count(xs, n)`): the result.
 */
function declarations(sets: Map<string, RuleSet>, arityOf: (name: string) => number | undefined): Map<string, FirstBinding> {
  const declared = new Map<string, FirstBinding>();
  const scan = (body: Body, seen: Set<string>) => {
    // A term reads only what occurs earlier, but for iteration keys its refs bind themselves.
    const safeIn = (t: Term): boolean => {
      let safe = true;
      const visit = (x: Term, operand: boolean): void => {
        const v = x.value;
        if (v.type === "var") safe &&= seen.has(v.value) || v.value === "input" || v.value === "data" || (operand && !v.value.startsWith("\0"));
        else if (v.type === "ref") v.value.forEach((r, i) => visit(r, i > 0 && r.value.type === "var"));
        else if (v.type === "array" || v.type === "set") v.value.forEach((r) => visit(r, false));
        else if (v.type === "call") v.value.slice(1).forEach((r) => visit(r, false));
        else if (v.type === "object") v.value.forEach(([k, r]) => (visit(k, false), visit(r, false)));
        else varsInTerm(x, (name) => void (safe &&= seen.has(name)), false);
      };
      visit(t, false);
      return safe;
    };
    const first = (name: string) => !seen.has(name) && !declared.has(name);
    for (const e of body) {
      const names = new Set<string>();
      varsInExpr(e, (name) => void names.add(name), false);
      // OPA's ref checker runs first: a var selecting in a collection gets the collection's key type.
      if (!e.negated) {
        for (const ref of exprRefs(e)) {
          for (let j = 1; j < ref.length; j++) {
            const operand = ref[j].value;
            if (operand.type !== "var" || !first(operand.value)) continue;
            const prefix: Term = j === 1 ? ref[0] : ({ value: { type: "ref", value: ref.slice(0, j) }, location: ref[0].location } as Term);
            if (!safeIn(prefix)) break;
            const keys = synthesizedCall(KEYS_OF, [prefix]);
            declared.set(operand.value, { term: keys, side: keys });
          }
        }
      }
      const eq = unificationSides(e);
      if (eq) {
        for (const [side, other] of [eq, [eq[1], eq[0]] as const]) {
          if (!safeIn(other)) continue;
          if (side.value.type === "var") {
            if (first(side.value.value)) declared.set(side.value.value, { term: other, side: other });
          } else {
            patternBindings(side, other, (name, term) => void (first(name) && declared.set(name, { term, side: other })));
          }
        }
      }
      const output = callOutput(e, arityOf);
      if (output && first(output.name) && output.inputs.every(safeIn)) declared.set(output.name, { term: output.call, side: output.call });
      for (const name of names) seen.add(name);
    }
  };
  for (const set of sets.values()) {
    const all = set.defaultRule ? [...set.rules, set.defaultRule] : set.rules;
    for (const r of all) {
      for (let cur: CompiledRule | undefined = r; cur; cur = cur.else) {
        const seen = new Set<string>();
        for (const t of cur.args ?? []) varsInTerm(t, (name) => void seen.add(name), false);
        scan(cur.body, seen);
        // A comprehension's body is checked as a body of its own (OPA's closures): a var that
        // occurs only inside the comprehension is declared there as in a rule body; any var that
        // occurs outside it is bound before it (reordering puts the closure after its binders).
        const terms = [...cur.keys, ...(cur.value ? [cur.value] : []), ...(cur.args ?? [])];
        const total = new Map<string, number>();
        const count = (map: Map<string, number>) => (name: string) => void map.set(name, (map.get(name) ?? 0) + 1);
        varsInBody(cur.body, count(total), false);
        for (const t of terms) varsInTerm(t, count(total), false);
        const comprehensions: Array<{ heads: Term[]; body: Body }> = [];
        const finder = {
          term: (x: Term) => {
            const v = x.value;
            if (v.type === "arraycomprehension" || v.type === "setcomprehension") comprehensions.push({ heads: [v.term], body: v.body });
            else if (v.type === "objectcomprehension") comprehensions.push({ heads: [v.key, v.value], body: v.body });
          },
        };
        visitBody(cur.body, finder);
        for (const t of terms) visitTerm(t, finder);
        for (const c of comprehensions) {
          const inside = new Map<string, number>();
          varsInBody(c.body, count(inside), false);
          for (const t of c.heads) varsInTerm(t, count(inside), false);
          const outside = new Set([...total].filter(([name, n]) => (inside.get(name) ?? 0) < n).map(([name]) => name));
          scan(c.body, outside);
        }
      }
    }
  }
  return declared;
}

/** The refs of an expression's operands and nested terms, as OPA's ref checker visits them (not inside comprehensions). */
function exprRefs(e: Expr): Term[][] {
  const refs: Term[][] = [];
  const visit = (t: Term): void => {
    const v = t.value;
    if (v.type === "ref") {
      refs.push(v.value);
      v.value.forEach(visit);
    } else if (v.type === "array" || v.type === "set") v.value.forEach(visit);
    else if (v.type === "call") v.value.slice(1).forEach(visit);
    else if (v.type === "object") v.value.forEach(([k, x]) => (visit(k), visit(x)));
  };
  if (isCallExpr(e)) e.terms.slice(1).forEach(visit);
  else if (isTermExpr(e)) visit(e.terms);
  return refs;
}

/**
 * The output operand of a call statement `f(in..., out)` (one operand more than the function's
 * arity, not negated, without `with`), with the call of the inputs alone, whose type is the result.
 */
function callOutput(e: Expr, arityOf: (name: string) => number | undefined): { name: string; inputs: Term[]; call: Term } | undefined {
  if (e.negated || e.with.length > 0 || !isCallExpr(e)) return undefined;
  const [op, ...args] = e.terms;
  const name = operatorName(op);
  if (name === undefined || name === "eq" || name === "assign") return undefined;
  const arity = arityOf(name);
  const out = args[args.length - 1];
  if (arity === undefined || arity < 0 || args.length !== arity + 1 || out?.value.type !== "var") return undefined;
  const inputs = args.slice(0, arity);
  return { name: out.value.value, inputs, call: { value: { type: "call", value: [op, ...inputs] }, location: e.location } as Term };
}

/** The two sides of a plain, unnegated `a = b` without `with`. */
function unificationSides(e: Expr): readonly [Term, Term] | undefined {
  if (e.negated || e.with.length > 0 || !isCallExpr(e) || e.terms.length !== 3) return undefined;
  const op = e.terms[0];
  const name = op.value.type === "ref" && op.value.value.length === 1 && op.value.value[0].value.type === "var" ? op.value.value[0].value.value : undefined;
  return name === "eq" ? [e.terms[1], e.terms[2]] : undefined;
}

/** Whether a term's inferred type can change as vars, rules and functions get typed. */
function dependsOnEnv(t: Term): boolean {
  const v = t.value;
  switch (v.type) {
    case "var":
      return true;
    case "ref": {
      // input and any other root that is not a local or data is any whatever is known.
      const head = v.value[0];
      if (head.value.type === "var") return head.value.value !== "input";
      return dependsOnEnv(head);
    }
    case "call":
      return v.value.some(dependsOnEnv);
    case "array":
    case "set":
      return v.value.some(dependsOnEnv);
    case "object":
      return v.value.some(([k, x]) => dependsOnEnv(k) || dependsOnEnv(x));
    // Typed by their head terms' vars.
    case "arraycomprehension":
    case "setcomprehension":
    case "objectcomprehension":
      return true;
    default:
      return false;
  }
}

function push<T>(map: Map<string, T[]>, key: string, t: T): void {
  const list = map.get(key);
  if (list) list.push(t);
  else map.set(key, [t]);
}
