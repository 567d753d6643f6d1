// The compile pipeline: parsed modules (+ optional query) -> CompiledPolicy for the planner.
// The passes are one named list (COMPILE_PASSES, as OPA's compiler stages): package rule names;
// document metadata; metadata inlining; name resolution and local renaming (with
// `some`/`every`/`:=` rewriting); rule sets and their conflict checks; the query; call checks
// (unknown function, arity); computed function arguments; comprehension and rule head terms
// that need evaluation moved into bodies; safety with body reordering; test
// cases; coverage probes; recursion; ref-head groups. runCompilePasses stops after any of them,
// so each can be tested alone.
import type { Annotations, Body, Import, Module, Rule, Term } from "../ast.ts";
import { RegoError } from "../errors.ts";
import { builtinArity } from "../../builtins/table.ts";
import { checkCalls, checkRecursion } from "./call-graph.ts";
import type { CompiledQuery, CompiledRule, CompiledPolicy, RuleKind, RuleSet } from "./model.ts";
import { pathKey } from "./model.ts";
import { NameResolver, Scope, bodyLocals, patternVars } from "./resolve-names.ts";
import { inlineMetadata } from "./metadata.ts";
import { buildRuleSets, mergeRefHeadGroups } from "./rule-sets.ts";
import { SafetyChecker } from "./safety.ts";
import { hoistNegatedOperands, nestedTerm } from "./negated-operands.ts";
import { moveHeadTermsIntoBody } from "./head-terms.ts";
import { rewriteComprehensionTerms, rewriteComprehensionTermsInBody } from "./comprehension-terms.ts";
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

/** What the passes share; each pass reads what the passes before it left and adds its part. */
export interface CompileState {
  readonly input: CompileInput;
  /** Errors of all passes, so a compile reports every problem at once. */
  readonly errors: RegoError[];
  /** Fresh local names (`__local<n>__`), numbered across all passes. */
  readonly fresh: () => string;
  /** Generated local -> the name the user wrote. */
  readonly original: Map<string, string>;
  /** Rule names per package key, across all modules of the package. */
  ruleNames: Map<string, Set<string>>;
  /** Document-scoped METADATA by rule path key: it applies to every rule of that path. */
  documentAnnotations: Map<string, Annotations[]>;
  /** Rules of each module with their metadata calls inlined (and the head shape of the rule as written). */
  moduleRules: Array<{ module: Module; packagePath: string[]; rules: Array<{ rule: Rule; shape: HeadShape }> }>;
  /** Every rule resolved: names -> data refs and renamed locals. */
  rules: CompiledRule[];
  /** Rules grouped by path key. */
  ruleSets: Map<string, RuleSet>;
  query?: CompiledQuery;
  /** With `coverage`: the lines of each file that carry a probe. */
  probes?: Map<string, Set<number>>;
}

export interface CompilePass {
  name: string;
  run(state: CompileState): void;
}

/** The compile passes, in the order they run. */
export const COMPILE_PASSES = [
  // Test mode: duplicate test names get distinct names (as OPA's `opa test` reports them).
  { name: "testNames", run: (s) => void (s.input.tests && duplicateTestNames(s.input.modules)) },
  { name: "ruleNames", run: collectRuleNames },
  { name: "documentAnnotations", run: collectDocumentAnnotations },
  { name: "inlineMetadata", run: inlineRuleMetadata },
  { name: "resolveNames", run: resolveRuleNames },
  { name: "ruleSets", run: (s) => void (s.ruleSets = buildRuleSets(s.rules, s.errors)) },
  { name: "resolveQuery", run: resolveQuery },
  { name: "checkCalls", run: (s) => checkCalls(s.ruleSets, s.query ? [s.query.body] : [], s.errors, { allowBuiltins: s.input.allowBuiltins, originalName: sourceName(s) }) },
  { name: "liftComputedArgs", run: (s) => forEachSet(s, (r) => liftComputedArgs(r, s.fresh)) },
  // A comprehension's head that needs evaluation joins its body (see comprehension-terms.ts).
  { name: "comprehensionTerms", run: rewriteComprehensionTermsInAll },
  // So does a rule head's key or value (see head-terms.ts).
  { name: "headTerms", run: (s) => forEachSet(s, (r) => moveHeadTermsIntoBody(r, s.fresh, arityOf(s))) },
  { name: "safety", run: reorderForSafety },
  // OPA evaluates the operands of a negated expression before the negation (see negated-operands.ts).
  { name: "negatedOperands", run: hoistNegatedOperandsInAll },
  { name: "testCases", run: (s) => void (s.input.tests && forEachSet(s, markTestCases, (set) => isTestPath(set.path), false)) },
  { name: "coverage", run: insertCoverageProbes },
  { name: "recursion", run: (s) => checkRecursion(s.ruleSets, s.errors) },
  { name: "refHeadGroups", run: (s) => mergeRefHeadGroups(s.ruleSets) },
] as const satisfies readonly CompilePass[];

export type CompilePassName = (typeof COMPILE_PASSES)[number]["name"];

/**
 * Runs the passes in order, up to and including `until` (all of them without it), and returns
 * the state they leave: what tests of one pass inspect.
 */
export function runCompilePasses(input: CompileInput, until?: CompilePassName): CompileState {
  let counter = 0;
  const state: CompileState = {
    input,
    errors: [],
    fresh: () => `__local${counter++}__`,
    original: new Map(),
    ruleNames: new Map(),
    documentAnnotations: new Map(),
    moduleRules: [],
    rules: [],
    ruleSets: new Map(),
    probes: input.coverage ? new Map() : undefined,
  };
  if (until !== undefined && !COMPILE_PASSES.some((p) => p.name === until)) throw new Error(`unknown compile pass ${until}`);
  for (const pass of COMPILE_PASSES as readonly CompilePass[]) {
    pass.run(state);
    if (pass.name === until) break;
  }
  return state;
}

export function compileModules(input: CompileInput): CompileOutput {
  const s = runCompilePasses(input);
  return {
    policy: { ruleSets: s.ruleSets, packages: input.modules.map(packagePath), query: s.query, originalNames: s.original },
    errors: s.errors,
    probes: s.probes,
  };
}

function collectRuleNames(s: CompileState): void {
  for (const m of s.input.modules) {
    const key = pathKey(packagePath(m));
    const names = s.ruleNames.get(key) ?? new Set<string>();
    s.ruleNames.set(key, names);
    for (const r of m.rules) {
      const first = r.head.ref[0];
      if (first && first.value.type === "var") names.add(first.value.value);
    }
  }
}

function collectDocumentAnnotations(s: CompileState): void {
  for (const m of s.input.modules) {
    for (const r of m.rules) {
      if (r.annotations?.scope !== "document") continue;
      const key = pathKey(headShape(r, packagePath(m)).path);
      s.documentAnnotations.set(key, [...(s.documentAnnotations.get(key) ?? []), r.annotations]);
    }
  }
}

function inlineRuleMetadata(s: CompileState): void {
  for (const m of s.input.modules) {
    const pkg = packagePath(m);
    const rules = m.rules.map((parsed) => {
      const shape = headShape(parsed, pkg);
      const rule = inlineMetadata(parsed, {
        packagePath: pkg,
        modules: s.input.modules,
        rulePath: shape.path,
        documentAnnotations: s.documentAnnotations.get(pathKey(shape.path)) ?? [],
      });
      return { rule, shape };
    });
    s.moduleRules.push({ module: m, packagePath: pkg, rules });
  }
}

function resolveRuleNames(s: CompileState): void {
  const { errors, fresh, original } = s;
  for (const { module: m, packagePath: pkg, rules } of s.moduleRules) {
    const resolver = new NameResolver({
      packagePath: pkg,
      ruleNames: s.ruleNames.get(pathKey(pkg))!,
      imports: importMap(m),
      errors,
      fresh,
      original,
      enablePrint: s.input.enablePrint,
    });
    for (const { rule: r, shape } of rules) {
      // Each branch of an `else` chain gets its own parameter vars, as OPA checks and evaluates
      // each branch as a rule of its own: what one branch's body binds a parameter to must not
      // type it in the next branch (`f(x) { x = {"a": _} } else { g(x) }`).
      const compileOne = (rule: Rule): CompiledRule => {
        const argsScope = new Scope();
        let args: Term[] | undefined;
        if (rule.head.args) {
          for (const a of rule.head.args) resolver.declarePattern(a, argsScope, false);
          args = rule.head.args.map((a) => resolver.term(a, argsScope));
        }
        recordNames(argsScope, original);
        const own = headShape(rule, pkg);
        const head: Term[] = [...own.keys];
        if (rule.head.value) head.push(rule.head.value);
        const res = resolver.body(rule.body, argsScope, head);
        recordNames(res.scope, original);
        const value = rule.head.value ? res.extra[res.extra.length - 1] : undefined;
        const keys = res.extra.slice(0, own.keys.length);
        return {
          kind: shape.kind,
          path: shape.path,
          keys,
          leafSet: shape.leafSet,
          value,
          args,
          body: res.body,
          else: rule.else ? compileOne(rule.else) : undefined,
          default: rule.default,
          file: rule.location.file,
          location: rule.location,
        };
      };
      s.rules.push(compileOne(r));
    }
  }
}

function resolveQuery(s: CompileState): void {
  if (!s.input.query) return;
  const resolver = new NameResolver({ packagePath: [], ruleNames: new Set(), imports: new Map(), errors: s.errors, fresh: s.fresh, keepNames: true, original: s.original, enablePrint: s.input.enablePrint });
  const res = resolver.body(s.input.query, undefined);
  recordNames(res.scope, s.original);
  const resultVars = res.scope.locals.filter((l) => !l.startsWith("__")).map((l) => ({ name: l, local: l }));
  s.query = { body: res.body, resultVars };
}

/** Applies `fn` to the rules of every rule set (`which` picks the sets; with `defaults`, to default rules too). */
function forEachSet(s: CompileState, fn: (r: CompiledRule) => CompiledRule, which: (set: RuleSet) => boolean = () => true, defaults = false): void {
  for (const set of s.ruleSets.values()) {
    if (!which(set)) continue;
    set.rules = set.rules.map(fn);
    if (defaults && set.defaultRule) set.defaultRule = fn(set.defaultRule);
  }
}

/** A renamed local's name in the source, for messages: a local with no source name was a wildcard. */
function sourceName(s: CompileState): (local: string) => string {
  return (l) => s.original.get(l) ?? (l.startsWith("__local") ? "_" : l);
}

/** Arity of a builtin or a function (`data.` path), undefined for anything else. */
function arityOf(s: CompileState): (name: string) => number | undefined {
  return (name) => {
    if (name.startsWith("data.")) {
      const set = s.ruleSets.get(pathKey(name.slice(5).split(".")));
      return set?.kind === "function" ? set.arity : undefined;
    }
    return builtinArity(name);
  };
}

/** Safety with body reordering: each expression after those that bind its inputs; unsafe vars are errors. */
function reorderForSafety(s: CompileState): void {
  const safety = new SafetyChecker({ errors: s.errors, arityOf: arityOf(s), originalName: sourceName(s) });
  const reorderRule = (r: CompiledRule): CompiledRule => {
    const bound = new Set<string>();
    for (const a of r.args ?? []) patternVars(a).forEach((v) => bound.add(v));
    const res = safety.reorder(r.body, bound);
    safety.checkTerms([...r.keys, ...(r.value ? [r.value] : [])], res.bound);
    const head = (t: Term) => safety.nestedTerm(t, res.bound);
    return { ...r, keys: r.keys.map(head), value: r.value && head(r.value), body: res.body, else: r.else ? reorderRule(r.else) : undefined };
  };
  forEachSet(s, reorderRule, () => true, true);
  if (s.query) s.query.body = safety.reorder(s.query.body, new Set()).body;
}

/** A body rewrite and a term rewrite (rule heads) applied to every rule, else branches included, and to the query. */
function rewriteEveryRule(s: CompileState, body: (b: Body, fresh: () => string) => Body, term: (t: Term, fresh: () => string) => Term): void {
  const rewrite = (r: CompiledRule): CompiledRule => ({
    ...r,
    body: body(r.body, s.fresh),
    keys: r.keys.map((k) => term(k, s.fresh)),
    value: r.value ? term(r.value, s.fresh) : r.value,
    else: r.else ? rewrite(r.else) : undefined,
  });
  forEachSet(s, rewrite, () => true, true);
  if (s.query) s.query.body = body(s.query.body, s.fresh);
}

function rewriteComprehensionTermsInAll(s: CompileState): void {
  rewriteEveryRule(s, rewriteComprehensionTermsInBody, rewriteComprehensionTerms);
}

function hoistNegatedOperandsInAll(s: CompileState): void {
  rewriteEveryRule(s, hoistNegatedOperands, nestedTerm);
}

function insertCoverageProbes(s: CompileState): void {
  const probes = s.probes;
  if (probes) forEachSet(s, (r) => coverageProbes(r, probes));
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
 * binds the term's vars (as OPA's compiler rewrites such arguments). Each branch of an `else`
 * chain has its own parameters, so each is lifted on its own.
 */
function liftComputedArgs(r: CompiledRule, fresh: () => string): CompiledRule {
  const rest = r.else ? liftComputedArgs(r.else, fresh) : undefined;
  if (!r.args || !r.args.some(isComputed)) return rest === r.else ? r : { ...r, else: rest };
  const lifted: Array<[Term, Term]> = [];
  const args = r.args.map((a) => {
    if (!isComputed(a)) return a;
    const param = varTerm(fresh(), a.location);
    lifted.push([param, a]);
    return param;
  });
  const body: Body = [...lifted.map(([param, a]) => eqExpr(param, a, a.location)), ...r.body];
  const locals = bodyLocals.get(r.body);
  if (locals) bodyLocals.set(body, locals);
  return { ...r, args, body, else: rest };
}

function recordNames(scope: Scope, original: Map<string, string>): void {
  for (const [orig, renamed] of scope.names) original.set(renamed, orig);
}
