// What part of the input (the snapshot) a set of policy rules can read, derived from the Rego
// itself: the rules reachable from an entrypoint (through rule references, imports and
// data.* paths) and, in them, every `input.<member>` reference and every string constant.
// The engine hands a policy module only those members, and elements of the subject arrays
// only the keys one of those constants names: a package reading `a.enabled` and
// `object.get(p, "minLength", null)` never gets an account's group list. Over-approximates
// by construction (any string constant counts as a key it may read, a reference it cannot
// resolve reads everything); tests check the findings are those of the whole snapshot.
import type { Module, Rule, Term } from "../rego/ast.ts";
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
          const visitor: AstVisitor = {
            term: (t) => {
              const v = t.value;
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
    return { members, keys };
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
