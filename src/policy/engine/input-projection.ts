// What part of the input (the snapshot) a set of policy rules can read, derived from the Rego
// itself: the rules reachable from an entrypoint (through rule references, imports and
// data.* paths) and, in them, every `input.<member>` reference and every string constant.
// The engine hands a policy module only those members, and elements of the subject arrays
// only the keys one of those constants names: a package reading `a.enabled` and
// `object.get(p, "minLength", null)` never gets an account's group list. Over-approximates
// by construction (any string constant counts as a key it may read, a reference it cannot
// resolve reads everything); tests check the findings are those of the whole snapshot.
// Elements stay whole when a rule could see an element's key set rather than named keys:
// iterating a value's keys (`x[k]`, `some k, v in x`, `every k, v in x` over a local or a
// nested input value) or handing a value to a builtin that reads all of its keys.
import type { Expr, Module, Rule, Term } from "../rego/ast.ts";
import { isCallExpr, isEveryExpr } from "../rego/ast.ts";
import { parseModule } from "../rego/parser.ts";
import { visitRule, visitTerm, type AstVisitor } from "../rego/visit.ts";
import type { PolicySource } from "./policy-sources.ts";

export interface InputProjection {
  /** Top-level input members read; null: the input is read whole (or by a computed member name). */
  members: ReadonlySet<string> | null;
  /** Keys an element of a top-level array may be read by; null: elements are read whole. */
  keys: ReadonlySet<string> | null;
}

interface IndexedRule {
  rule: Rule;
  module: Module;
  pkg: string;
}

/** The policy library parsed and indexed by rule path (`credgov.lib.accounts_by_id`). */
export class RuleIndex {
  readonly #rules = new Map<string, IndexedRule[]>();
  readonly #paths: string[] = [];

  constructor(modules: readonly PolicySource[]) {
    for (const source of modules) {
      const parsed = parseModule(source.source, source.file);
      // Modules that do not parse never got compiled either: the compiler reported them.
      if (!parsed.module) continue;
      const module = parsed.module;
      const pkg = pathOf(module.package.path.slice(1));
      if (pkg === undefined) continue;
      for (const rule of module.rules) {
        const head = rule.head.ref[0]?.value;
        if (head?.type !== "var") continue;
        const key = `${pkg}.${head.value}`;
        let list = this.#rules.get(key);
        if (!list) {
          this.#rules.set(key, (list = []));
          this.#paths.push(key);
        }
        list.push({ rule, module, pkg });
      }
    }
  }

  /** What the rules reachable from these entrypoints (`credgov/frag/results`) read of the input. */
  projection(entrypoints: readonly string[]): InputProjection {
    let members: Set<string> | null = new Set();
    let elementsWhole = false;
    const keys = new Set<string>();
    const done = new Set<string>();
    const queue = entrypoints.map((ep) => ep.replaceAll("/", "."));
    const readAll = () => (members = null);
    while (queue.length > 0) {
      const path = queue.pop()!;
      for (const key of this.#resolve(path.split("."))) {
        if (done.has(key)) continue;
        done.add(key);
        for (const { rule, module, pkg } of this.#rules.get(key) ?? []) {
          const aliases = importAliases(module);
          // A name that is neither input, data, an import nor a rule of this package: a local.
          const isLocal = (name: string) => name !== "input" && name !== "data" && !aliases.has(name) && !this.#rules.has(`${pkg}.${name}`);
          // Could this term be a subject element itself? (Values nested in one are never cut.)
          // A local, `input.accounts[i]`, or a local indexed by a variable (a list of elements).
          const mayHoldElement = (t: Term): boolean => {
            if (t.value.type === "var") return isLocal(t.value.value);
            if (t.value.type !== "ref") return false;
            const [head, ...rest] = t.value.value;
            if (head?.value.type !== "var") return false;
            if (head.value.value === "input") return rest.length === 2;
            return isLocal(head.value.value) && rest.some((r) => r.value.type !== "string");
          };
          const isInputElement = (t: Term): boolean => {
            if (t.value.type !== "ref") return false;
            const head = t.value.value[0]?.value;
            return head?.type === "var" && head.value === "input" && t.value.value.length === 3;
          };
          // Locals that name an element (`some a in input.accounts`, `a := input.accounts[_]`) and
          // a function's parameters: iterating their keys reads every key of an element.
          const elementLocals = elementVars(rule, isInputElement);
          const isElement = (t: Term): boolean => isInputElement(t) || (t.value.type === "var" && elementLocals.has(t.value.value));
          const checkCall = (operator: Term | undefined, args: readonly Term[]) => {
            const name = operatorName(operator);
            if (name === "internal.member_3" && args[2] && isElement(args[2])) elementsWhole = true;
            else if (name !== undefined && keySetBuiltins.has(name) && args.some(mayHoldElement)) elementsWhole = true;
          };
          const visitor: AstVisitor = {
            expr: (e: Expr) => {
              if (isCallExpr(e)) checkCall(e.terms[0], e.terms.slice(1));
              else if (isEveryExpr(e) && e.terms.key && isElement(e.terms.domain)) elementsWhole = true;
            },
            term: (t) => {
              const v = t.value;
              if (v.type === "call") checkCall(v.value[0], v.value.slice(1));
              if (v.type === "string") keys.add(v.value);
              if (v.type === "var") {
                // A name on its own: the whole input, a rule of this package, or a whole imported package.
                if (v.value === "input") readAll();
                else if (aliases.has(v.value)) queue.push(aliases.get(v.value)!.join("."));
                else if (this.#rules.has(`${pkg}.${v.value}`)) queue.push(`${pkg}.${v.value}`);
              }
              if (v.type !== "ref") return;
              const [head, ...rest] = v.value;
              for (const t of rest) visitTerm(t, visitor);
              if (head.value.type !== "var") {
                visitTerm(head, visitor);
                return false;
              }
              const name = head.value.value;
              const segments = rest.map((r) => (r.value.type === "string" ? r.value.value : null));
              // `input.accounts[i][k]`, `a[k]`: may enumerate an element's keys.
              if (name === "input" && rest.length > 2 && rest[2]!.value.type === "var") elementsWhole = true;
              if (elementLocals.has(name) && rest.length > 0 && rest[0]!.value.type === "var") elementsWhole = true;
              if (name === "input") {
                if (members && typeof segments[0] === "string") members.add(segments[0]);
                else readAll();
              } else if (name === "data") queue.push(dataPath(segments));
              else if (aliases.has(name)) queue.push(dataPath([...aliases.get(name)!, ...segments]));
              else if (this.#rules.has(`${pkg}.${name}`)) queue.push(`${pkg}.${name}`);
              return false;
            },
          };
          visitRule(rule, visitor);
        }
      }
    }
    return { members, keys: elementsWhole ? null : keys };
  }

  /**
   * Rule paths a data path can reach: the rule it names (data.credgov.lib.accounts_by_id[x]),
   * or every rule under it when it stops at a package or turns computed (data.credgov[x]).
   */
  #resolve(segments: readonly string[]): string[] {
    const known = segments.indexOf("\0");
    const fixed = known === -1 ? segments : segments.slice(0, known);
    for (let n = 1; n <= fixed.length; n++) {
      const key = fixed.slice(0, n).join(".");
      if (this.#rules.has(key)) return [key];
    }
    const prefix = fixed.join(".") + ".";
    return this.#paths.filter((p) => p.startsWith(prefix));
  }
}

/** Variables of a rule that hold a subject element: its function parameters and the locals bound to an element. */
function elementVars(rule: Rule, isInputElement: (t: Term) => boolean): Set<string> {
  const vars = new Set<string>();
  const addVar = (t: Term | undefined) => {
    if (t?.value.type === "var" && t.value.value !== "_") vars.add(t.value.value);
  };
  for (const arg of rule.head.args ?? []) addVar(arg);
  const isInputArray = (t: Term | undefined) => t?.value.type === "ref" && t.value.value[0]?.value.type === "var" && t.value.value[0].value.value === "input" && t.value.value.length === 2;
  const bind = (operator: Term | undefined, args: readonly Term[]) => {
    const name = operatorName(operator);
    if (name === "internal.member_2" && isInputArray(args[1])) addVar(args[0]);
    else if (name === "internal.member_3" && isInputArray(args[2])) addVar(args[1]);
    else if ((name === "assign" || name === "eq") && args.length === 2) {
      if (isInputElement(args[1]!)) addVar(args[0]);
      if (isInputElement(args[0]!)) addVar(args[1]);
    }
  };
  visitRule(rule, {
    expr: (e) => {
      if (isCallExpr(e)) bind(e.terms[0], e.terms.slice(1));
    },
    term: (t) => {
      if (t.value.type === "call") bind(t.value.value[0], t.value.value.slice(1));
    },
  });
  return vars;
}

/** Builtins that read every key of an object argument (its key set, a copy, or its text). */
const keySetBuiltins = new Set([
  "object.keys",
  "object.remove",
  "object.filter",
  "object.union",
  "object.union_n",
  "object.subset",
  "json.filter",
  "json.remove",
  "json.patch",
  "json.marshal",
  "json.marshal_with_options",
  "yaml.marshal",
  "walk",
  "sprintf",
  "print",
]);

/** `object.keys` for an operator ref term; undefined when not a plain dotted name. */
function operatorName(operator: Term | undefined): string | undefined {
  if (operator?.value.type !== "ref") return undefined;
  const parts: string[] = [];
  for (const [i, t] of operator.value.value.entries()) {
    const v = t.value;
    if (i === 0 ? v.type !== "var" : v.type !== "string") return undefined;
    if (v.type === "var" || v.type === "string") parts.push(v.value);
  }
  return parts.join(".");
}

/** A data path as rule-path segments; a computed segment becomes "\0" (matches anything below). */
function dataPath(segments: ReadonlyArray<string | null>): string {
  const out: string[] = [];
  for (const s of segments) {
    if (s === null) {
      out.push("\0");
      break;
    }
    out.push(s);
  }
  return out.join(".");
}

/** `import data.credgov.lib` -> lib -> ["credgov", "lib"]. */
function importAliases(module: Module): Map<string, string[]> {
  const aliases = new Map<string, string[]>();
  for (const imp of module.imports) {
    if (imp.path.value.type !== "ref") continue;
    const [head, ...rest] = imp.path.value.value;
    if (head.value.type !== "var" || head.value.value !== "data") continue;
    const path = rest.map((r) => (r.value.type === "string" ? r.value.value : ""));
    const alias = imp.alias ?? path[path.length - 1];
    if (alias) aliases.set(alias, path);
  }
  return aliases;
}

function pathOf(terms: readonly Term[]): string | undefined {
  const parts: string[] = [];
  for (const t of terms) {
    if (t.value.type !== "string" && t.value.type !== "var") return undefined;
    parts.push(t.value.value);
  }
  return parts.join(".");
}
