// Walks every rule body for the two whole-program checks that need all rules at once:
//   - calls: unknown functions, arity mismatches and argument types (builtins from the builtin
//     table, user functions from the rule sets; one extra argument is the output form
//     `count(xs, n)`), and restricted builtins the caller did not allow;
//   - recursion: a cycle in the rule dependency graph is a rego_recursion_error.
import type { Body, Expr, Location, Term } from "../ast.ts";
import { isCallExpr, isEveryExpr, isTermExpr } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { ALLOW_BUILTIN_FLAG, builtin } from "../../builtins/table.ts";
import { builtinArityError, checkBuiltinCall, checkFunctionCall, checkRef, checkUnification, functionArityError, inferType } from "./type-check.ts";
import { EMPTY_ENV, REF_SEEN, typeEnvironment, type TypeEnv } from "./type-env.ts";
import type { CompiledRule, RuleSet } from "./model.ts";
import { pathKey } from "./model.ts";
import { opName } from "./resolve-names.ts";
import { operatorName } from "./term-build.ts";
import { invalidWithTarget, partialWithTarget, replacesPartOfRule, withTarget } from "./with-target.ts";
import { visitTerm } from "../visit.ts";

/** Operators the planner handles itself. */
const SPECIAL_OPERATORS = new Set(["eq", "assign"]);

interface Visitor {
  /** `nested`: a call inside a term, whose value goes to a hidden output (OPA's rewrite). */
  call(name: string | undefined, op: Term, args: Term[], location: Location, nested?: boolean): void;
  /** A `data` ref as a pattern: string operands, null for anything computed (matches any key). */
  dataRef(pattern: Array<string | null>, location: Location): void;
  /** Every ref term (data refs too). */
  ref?(ref: Term[], location: Location): void;
  /** Around every expression (nested ones too). */
  enterExpr?(e: Expr): void;
  exitExpr?(e: Expr): void;
  /** Around every comprehension (a closure: OPA type-checks its body in an environment of its own). */
  enterClosure?(): void;
  exitClosure?(): void;
}

export function walkBody(body: Body, v: Visitor): void {
  for (const e of body) walkExpr(e, v);
}

function walkExpr(e: Expr, v: Visitor): void {
  v.enterExpr?.(e);
  walkExprTerms(e, v);
  v.exitExpr?.(e);
}

function walkExprTerms(e: Expr, v: Visitor): void {
  for (const w of e.with) walkTerm(w.value, v);
  if (isEveryExpr(e)) {
    walkTerm(e.terms.domain, v);
    walkBody(e.terms.body, v);
  } else if (isCallExpr(e)) {
    const [op, ...args] = e.terms;
    v.call(opName(op) ?? operatorName(op), op, args, e.location);
    args.forEach((a) => walkTerm(a, v));
  } else if (isTermExpr(e)) walkTerm(e.terms, v);
}

function walkTerm(t: Term, v: Visitor): void {
  visitTerm(t, {
    term: (x) => {
      const val = x.value;
      if (val.type === "ref") {
        v.ref?.(val.value, x.location);
        const [head, ...rest] = val.value;
        if (head.value.type === "var" && head.value.value === "data") {
          v.dataRef(
            // Numbers, booleans and null never name a rule: they get a segment no rule has.
            rest.map((r) => (r.value.type === "string" ? r.value.value : ["number", "boolean", "null"].includes(r.value.type) ? "\0scalar" : null)),
            x.location,
          );
        }
        return true;
      }
      if (val.type === "call") {
        const [op, ...args] = val.value;
        v.call(opName(op) ?? operatorName(op), op, args, x.location, true);
        args.forEach((a) => walkTerm(a, v));
        return false;
      }
      if (val.type === "arraycomprehension" || val.type === "setcomprehension" || val.type === "objectcomprehension") {
        v.enterClosure?.();
        if (val.type === "objectcomprehension") [val.key, val.value].forEach((y) => walkTerm(y, v));
        else walkTerm(val.term, v);
        walkBody(val.body, v);
        v.exitClosure?.();
        return false;
      }
      return true;
    },
    // Expressions nested in terms (comprehension bodies, template strings) get the enter/exit hooks.
    expr: (e) => {
      walkExpr(e, v);
      return false;
    },
  });
}

function ruleTerms(r: CompiledRule): Term[] {
  return [...r.keys, ...(r.value ? [r.value] : []), ...(r.args ?? [])];
}

function forEachRule(sets: Map<string, RuleSet>, fn: (set: RuleSet, r: CompiledRule) => void): void {
  for (const set of sets.values()) {
    const all = set.defaultRule ? [...set.rules, set.defaultRule] : set.rules;
    for (let r of all) {
      for (let cur: CompiledRule | undefined = r; cur; cur = cur.else) fn(set, cur);
      r = r as CompiledRule;
    }
  }
}

export interface CallCheckOptions {
  /** Restricted builtins (RESTRICTED_BUILTINS) the caller allows. */
  allowBuiltins?: ReadonlySet<string>;
  /** A renamed local's name in the source, for messages. */
  originalName?: (local: string) => string;
}

/**
 * Checks every call against the builtin table (existence, arity, argument types, restricted
 * builtins) and the user functions (existence, arity).
 */
export function checkCalls(sets: Map<string, RuleSet>, bodies: Body[], errors: RegoError[], options: CallCheckOptions = {}): void {
  const env = typeEnvironment(
    sets,
    (fn) => {
      // A negated expression binds nothing: `not x = 1` says nothing about x's type.
      let negated = 0;
      let closures = 0;
      const binder: Visitor = {
        enterExpr: (e) => void (negated += e.negated ? 1 : 0),
        exitExpr: (e) => void (negated -= e.negated ? 1 : 0),
        enterClosure: () => void closures++,
        exitClosure: () => void closures--,
        call: (name, _op, args) => {
          if (negated === 0) fn(name, args, closures > 0);
        },
        ref: (ref) => {
          if (negated === 0) fn(REF_SEEN, ref);
        },
        dataRef() {},
      };
      // Head terms too: the comprehension in `p := [x | some x in xs; …]` binds its own locals.
      forEachRule(sets, (_set, r) => {
        walkBody(r.body, binder);
        ruleTerms(r).forEach((t) => walkTerm(t, binder));
      });
    },
    inferType,
  );
  // Under `with`, rules and functions may be replaced by values of other types: only var and
  // literal types are known there.
  const withoutRefs: TypeEnv = { vars: env.vars, refs: EMPTY_ENV.refs };
  let withDepth = 0;
  const visitor: Visitor = {
    enterExpr: (e) => {
      withDepth += e.with.length > 0 ? 1 : 0;
      // Reported here, as `opa check` reports it, not first when a test or query is planned.
      for (const w of e.with) {
        const target = withTarget(w.target);
        if (target === undefined) errors.push(new RegoError("rego_type_error", invalidWithTarget, w.location));
        else if (target.kind === "document" && target.root === "data" && replacesPartOfRule(target.terms, (path) => sets.has(pathKey(path)))) {
          errors.push(new RegoError("rego_compile_error", partialWithTarget, w.target.location));
        }
      }
    },
    exitExpr: (e) => void (withDepth -= e.with.length > 0 ? 1 : 0),
    call(name, _op, args, location, nested) {
      const argCount = args.length;
      if ((name === "eq" || name === "assign") && args.length === 2 && !(name === "assign" && args[0].value.type === "var")) {
        checkUnification(args[0], args[1], location, errors, withDepth > 0 ? withoutRefs : env);
      }
      if (name === undefined || SPECIAL_OPERATORS.has(name)) return;
      let arity: number | undefined;
      let display = name;
      if (name.startsWith("data.")) {
        const set = sets.get(pathKey(name.slice(5).split(".")));
        display = name;
        if (set && set.kind !== "function" && argCount <= 1 && callableRule(name, env)) return;
        if (!set || set.kind !== "function") {
          errors.push(new RegoError("rego_type_error", `undefined function ${display}`, location));
          return;
        }
        arity = set.arity;
        const arityError = functionArityError(name, args, arity, location, withDepth > 0 ? withoutRefs : env, nested === true);
        if (arityError) {
          errors.push(arityError);
          return;
        }
        checkFunctionCall(name, args, location, errors, withDepth > 0 ? withoutRefs : env, nested);
      } else {
        const entry = builtin(name);
        if (entry === undefined) {
          errors.push(new RegoError("rego_type_error", `undefined function ${display}`, location));
          return;
        }
        arity = entry.arity;
        if (entry.restricted && !options.allowBuiltins?.has(name)) {
          errors.push(
            new RegoError("rego_type_error", `${name} is off by default in credgov (${entry.restricted}); allow it with ${ALLOW_BUILTIN_FLAG} ${name}`, location),
          );
          return;
        }
        if (arity >= 0 && (argCount === arity || argCount === arity + 1)) checkBuiltinCall(name, args, location, errors, withDepth > 0 ? withoutRefs : env, nested);
      }
      if (arity >= 0 && argCount !== arity && argCount !== arity + 1) {
        // A builtin statement gets OPA's type checker message; a nested call (whose output the
        // compiler adds) keeps the plain count.
        const opaError = !nested && !name.startsWith("data.") ? builtinArityError(name, args, location, withDepth > 0 ? withoutRefs : env) : undefined;
        if (opaError) {
          errors.push(opaError);
          return;
        }
        errors.push(
          new RegoError("rego_type_error", `${display}: arity mismatch: have ${argCount} argument${argCount === 1 ? "" : "s"}, want ${arity}`, location),
        );
      }
    },
    dataRef() {},
    ref(ref, location) {
      checkRef(ref, location, errors, withDepth > 0 ? withoutRefs : env, options.originalName);
    },
  };
  forEachRule(sets, (_set, r) => {
    walkBody(r.body, visitor);
    ruleTerms(r).forEach((t) => walkTerm(t, visitor));
  });
  bodies.forEach((b) => walkBody(b, visitor));
}

/** Reports each rule that (directly or through others) depends on itself. */
export function checkRecursion(sets: Map<string, RuleSet>, errors: RegoError[]): void {
  const keys = [...sets.keys()];
  const deps = new Map<string, Set<string>>();
  const memo = new Map<string, string[]>();
  // A rule is a dependency when its path and the ref agree on every position both have
  // (computed operands match anything): `data[x].allow.see` cannot reach `data.test.p`.
  const depsOfPath = (pattern: Array<string | null>): string[] => {
    const k = pattern.map((p) => (p === null ? "\0" : p)).join("/");
    let deps = memo.get(k);
    if (!deps) {
      deps = keys.filter((other) => {
        const segs = other.split("/");
        for (let i = 0; i < Math.min(segs.length, pattern.length); i++) if (pattern[i] !== null && pattern[i] !== segs[i]) return false;
        return true;
      });
      memo.set(k, deps);
    }
    return deps;
  };
  forEachRule(sets, (set, r) => {
    const key = pathKey(set.path);
    const out = deps.get(key) ?? new Set<string>();
    deps.set(key, out);
    const visitor: Visitor = {
      call(name) {
        if (name?.startsWith("data.")) depsOfPath(name.slice(5).split(".")).forEach((d) => out.add(d));
      },
      dataRef(path) {
        depsOfPath(path).forEach((d) => out.add(d));
      },
    };
    walkBody(r.body, visitor);
    ruleTerms(r).forEach((t) => walkTerm(t, visitor));
  });
  const state = new Map<string, "visiting" | "done">();
  const reported = new Set<string>();
  const stack: string[] = [];
  const visit = (k: string): void => {
    state.set(k, "visiting");
    stack.push(k);
    for (const d of deps.get(k) ?? []) {
      if (state.get(d) === "visiting") {
        const cycle = [...stack.slice(stack.indexOf(d)), d];
        if (!reported.has(d)) {
          reported.add(d);
          const set = sets.get(d)!;
          const loc = (set.rules[0] ?? set.defaultRule)!.location;
          errors.push(
            new RegoError("rego_recursion_error", `rule data.${d.replaceAll("/", ".")} is recursive: ${cycle.map((c) => `data.${c.replaceAll("/", ".")}`).join(" -> ")}`, loc),
          );
        }
      } else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(k, "done");
  };
  for (const k of keys) if (!state.has(k)) visit(k);
}

/**
 * Whether a rule (not a function) may be called as `f()`: OPA's checker lets a call through when
 * the rule's type is plain `any` (a value it cannot type, such as one read from input) and calls
 * it "undefined function" otherwise. `f() := x` heads are rules, so libraries that write them
 * and call `f()` rely on this; the evaluator then answers the rule's value.
 */
function callableRule(name: string, env: TypeEnv): boolean {
  const type = env.refs.get(name);
  return type?.type === "any" && (type.of === undefined || type.of.length === 0);
}
