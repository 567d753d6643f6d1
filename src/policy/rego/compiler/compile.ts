// The compile pipeline: parsed modules (+ optional query) -> CompiledPolicy for the planner.
// Passes, in order: imports and package rule names; rule heads -> kind/path/keys; name
// resolution and local renaming (with `some`/`every`/`:=` rewriting); rule-set conflict checks;
// call checks (unknown function, arity); safety with body reordering; recursion. Errors of all
// passes are collected, so a compile reports every problem at once.
import type { Annotations, Body, Import, Module, Rule, Term } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { builtinArity } from "../../builtins/table.ts";
import { checkCalls, checkRecursion } from "./call-graph.ts";
import type { CompiledPolicy, CompiledQuery, CompiledRule, RuleKind } from "./model.ts";
import { pathKey } from "./model.ts";
import { NameResolver, Scope, bodyLocals, patternVars } from "./resolve-names.ts";
import { inlineMetadata } from "./metadata.ts";
import { buildRuleSets, mergeRefHeadGroups } from "./rule-sets.ts";
import { SafetyChecker } from "./safety.ts";
import { eqExpr, varTerm } from "./term-build.ts";
import { coverageProbes, duplicateTestNames, isTestPath, markTestCases } from "./test-rewrites.ts";

export interface CompileInput {
  modules: Module[];
  query?: Body;
  /** Keep print() calls (policy test, policy eval); erased otherwise, as OPA does. */
  enablePrint?: boolean;
  /** Restricted builtins (http.send, net.lookup_ip_addr, opa.runtime) the caller allows. */
  allowBuiltins?: ReadonlySet<string>;
  /** Test mode (`policy test`): split duplicate test names, mark parametrised test cases. */
  tests?: boolean;
  /** Coverage probes in every rule body (`policy test --coverage`). */
  coverage?: boolean;
}

export interface CompileOutput {
  policy: CompiledPolicy;
  errors: RegoError[];
  /** With `coverage`: the lines of each file that carry a probe. */
  probes?: Map<string, Set<number>>;
}

function packagePath(m: Module): string[] {
  return m.package.path.slice(1).map((t) => (t.value.type === "string" ? t.value.value : String((t.value as { value: unknown }).value)));
}

function importMap(m: Module): Map<string, Term> {
  const map = new Map<string, Term>();
  for (const imp of m.imports) addImport(map, imp);
  return map;
}

function addImport(map: Map<string, Term>, imp: Import): void {
  const t = imp.path;
  if (t.value.type !== "ref") return;
  const [head, ...rest] = t.value.value;
  if (head.value.type !== "var" || (head.value.value !== "data" && head.value.value !== "input")) return; // future.*, rego.v1
  const last = rest[rest.length - 1];
  const alias = imp.alias ?? (last && last.value.type === "string" ? last.value.value : head.value.value);
  map.set(alias, t);
}

interface HeadShape {
  kind: RuleKind;
  path: string[];
  keys: Term[];
  leafSet?: boolean;
}

function headShape(rule: Rule, pkg: string[]): HeadShape {
  const h = rule.head;
  const path = [...pkg];
  const keys: Term[] = [];
  h.ref.forEach((t, i) => {
    if (i === 0 && t.value.type === "var") path.push(t.value.value);
    else if (keys.length === 0 && t.value.type === "string") path.push(t.value.value);
    else keys.push(t);
  });
  if (h.args) return { kind: "function", path, keys: [] };
  if (h.contains) {
    // `p contains x` and `p.q[k] contains x` style: the element is head.key.
    return { kind: keys.length === 0 ? "set" : "object", path, keys: h.key ? [...keys, h.key] : keys, leafSet: keys.length > 0 };
  }
  if (keys.length > 0) return { kind: "object", path, keys };
  return { kind: "complete", path, keys };
}

export function compileModules(input: CompileInput): CompileOutput {
  const errors: RegoError[] = [];
  let counter = 0;
  const original = new Map<string, string>();
  const fresh = (): string => `__local${counter++}__`;

  if (input.tests) duplicateTestNames(input.modules);

  // Rule names per package, across all modules of the package.
  const ruleNames = new Map<string, Set<string>>();
  for (const m of input.modules) {
    const key = pathKey(packagePath(m));
    const names = ruleNames.get(key) ?? new Set<string>();
    ruleNames.set(key, names);
    for (const r of m.rules) {
      const first = r.head.ref[0];
      if (first && first.value.type === "var") names.add(first.value.value);
    }
  }

  // Document-scoped METADATA applies to every rule of the same path.
  const documentAnnotations = new Map<string, Annotations[]>();
  for (const m of input.modules) {
    for (const r of m.rules) {
      if (r.annotations?.scope !== "document") continue;
      const key = pathKey(headShape(r, packagePath(m)).path);
      documentAnnotations.set(key, [...(documentAnnotations.get(key) ?? []), r.annotations]);
    }
  }

  const rules: CompiledRule[] = [];
  for (const m of input.modules) {
    const pkg = packagePath(m);
    const resolver = new NameResolver({
      packagePath: pkg,
      ruleNames: ruleNames.get(pathKey(pkg))!,
      imports: importMap(m),
      errors,
      fresh,
      original,
      enablePrint: input.enablePrint,
    });
    for (const parsed of m.rules) {
      const shape = headShape(parsed, pkg);
      const r = inlineMetadata(parsed, {
        packagePath: pkg,
        modules: input.modules,
        rulePath: shape.path,
        documentAnnotations: documentAnnotations.get(pathKey(shape.path)) ?? [],
      });
      const argsScope = new Scope();
      let args: Term[] | undefined;
      if (r.head.args) {
        for (const a of r.head.args) resolver.declarePattern(a, argsScope, false);
        args = r.head.args.map((a) => resolver.term(a, argsScope));
      }
      for (const [orig, renamed] of argsScope.names) original.set(renamed, orig);
      const compileOne = (rule: Rule, chainArgs: Term[] | undefined): CompiledRule => {
        const s = headShape(rule, pkg);
        const head: Term[] = [...s.keys];
        if (rule.head.value) head.push(rule.head.value);
        const res = resolver.body(rule.body, argsScope, head);
        recordNames(res.scope, original);
        const value = rule.head.value ? res.extra[res.extra.length - 1] : undefined;
        const keys = res.extra.slice(0, s.keys.length);
        return {
          kind: shape.kind,
          path: shape.path,
          keys,
          leafSet: shape.leafSet,
          value,
          args: chainArgs,
          body: res.body,
          else: rule.else ? compileOne(rule.else, chainArgs) : undefined,
          default: rule.default,
          file: rule.location.file,
          location: rule.location,
        };
      };
      rules.push(compileOne(r, args));
    }
  }

  const sets = buildRuleSets(rules, errors);
  let query: CompiledQuery | undefined;
  let queryBody: Body | undefined;
  if (input.query) {
    const resolver = new NameResolver({ packagePath: [], ruleNames: new Set(), imports: new Map(), errors, fresh, keepNames: true, original, enablePrint: input.enablePrint });
    const res = resolver.body(input.query, undefined);
    recordNames(res.scope, original);
    queryBody = res.body;
    const resultVars = res.scope.locals.filter((l) => !l.startsWith("__")).map((l) => ({ name: l, local: l }));
    query = { body: res.body, resultVars };
  }
  checkCalls(sets, queryBody ? [queryBody] : [], errors, { allowBuiltins: input.allowBuiltins });

  const arityOf = (name: string): number | undefined => {
    if (name.startsWith("data.")) {
      const set = sets.get(pathKey(name.slice(5).split(".")));
      return set?.kind === "function" ? set.arity : undefined;
    }
    return builtinArity(name);
  };
  const safety = new SafetyChecker({ errors, arityOf, originalName: (l) => original.get(l) ?? (l.startsWith("__local") ? "_" : l) });
  const reorderRule = (r: CompiledRule): CompiledRule => {
    const bound = new Set<string>();
    for (const a of r.args ?? []) patternVars(a).forEach((v) => bound.add(v));
    const res = safety.reorder(r.body, bound);
    safety.checkTerms([...r.keys, ...(r.value ? [r.value] : [])], res.bound);
    return { ...r, body: res.body, else: r.else ? reorderRule(r.else) : undefined };
  };
  const probes = input.coverage ? new Map<string, Set<number>>() : undefined;
  for (const set of sets.values()) {
    set.rules = set.rules.map((r) => reorderRule(liftComputedArgs(r, fresh)));
    if (set.defaultRule) set.defaultRule = reorderRule(set.defaultRule);
    if (input.tests && isTestPath(set.path)) set.rules = set.rules.map(markTestCases);
    if (probes) set.rules = set.rules.map((r) => coverageProbes(r, probes));
  }
  if (query) query.body = safety.reorder(query.body, new Set()).body;
  checkRecursion(sets, errors);
  mergeRefHeadGroups(sets);
  return { policy: { ruleSets: sets, packages: input.modules.map(packagePath), query, originalNames: original }, errors, probes };
}

/** Whether a function argument has a part that must be evaluated (a call or template string). */
function isComputed(t: Term): boolean {
  const v = t.value;
  if (v.type === "call" || v.type === "templatestring") return true;
  if (v.type === "array") return v.value.some(isComputed);
  if (v.type === "object") return v.value.some(([k, x]) => isComputed(k) || isComputed(x));
  return false;
}

/**
 * `f($"{x} {input.y}") := 42 if { x = "foo" }`: an argument that must be computed becomes a fresh
 * parameter plus a body expression `param = term`, which safety reordering places after whatever
 * binds the term's vars (as OPA's compiler rewrites such arguments). Every branch of an `else`
 * chain shares the arguments, so each gets the expressions.
 */
function liftComputedArgs(r: CompiledRule, fresh: () => string): CompiledRule {
  if (!r.args || !r.args.some(isComputed)) return r;
  const lifted: Array<[Term, Term]> = [];
  const args = r.args.map((a) => {
    if (!isComputed(a)) return a;
    const param = varTerm(fresh(), a.location);
    lifted.push([param, a]);
    return param;
  });
  const withArgs = (rule: CompiledRule): CompiledRule => {
    const body: Body = [...lifted.map(([param, a]) => eqExpr(param, a, a.location)), ...rule.body];
    const locals = bodyLocals.get(rule.body);
    if (locals) bodyLocals.set(body, locals);
    return { ...rule, args, body, else: rule.else ? withArgs(rule.else) : undefined };
  };
  return withArgs(r);
}

function recordNames(scope: Scope, original: Map<string, string>): void {
  for (const [orig, renamed] of scope.names) original.set(renamed, orig);
}
