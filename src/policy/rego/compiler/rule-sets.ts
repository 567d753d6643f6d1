// Groups compiled rules by data path and checks that the definitions of one path agree:
// one kind (complete / partial set / partial object / function), one function arity, at most one
// default. Also rejects a rule path nested under another rule's path (e.g. `p := 1` and `p.q := 2`).
import { RegoError } from "../errors.ts";
import { stringTerm } from "./term-build.ts";
import { type CompiledRule, type RuleSet, pathKey } from "./model.ts";

const KIND_WORD: Record<CompiledRule["kind"], string> = {
  complete: "complete rule",
  set: "multi-value (partial set) rule",
  object: "partial object rule",
  function: "function",
};

export function buildRuleSets(rules: CompiledRule[], errors: RegoError[]): Map<string, RuleSet> {
  const sets = new Map<string, RuleSet>();
  for (const r of rules) {
    const key = pathKey(r.path);
    const arity = r.args?.length ?? 0;
    let set = sets.get(key);
    if (!set) {
      set = { path: r.path, kind: r.kind, arity, rules: [] };
      sets.set(key, set);
    } else if (set.kind !== r.kind) {
      errors.push(
        new RegoError(
          "rego_type_error",
          `conflicting rules data.${r.path.join(".")} found: ${KIND_WORD[set.kind]} and ${KIND_WORD[r.kind]}`,
          r.location,
        ),
      );
      continue;
    } else if (set.kind === "function" && set.arity !== arity) {
      errors.push(
        new RegoError(
          "rego_type_error",
          `conflicting rules data.${r.path.join(".")} found: function arity mismatch (${set.arity} and ${arity} arguments)`,
          r.location,
        ),
      );
      continue;
    }
    if (r.default) {
      if (set.defaultRule) {
        errors.push(new RegoError("rego_type_error", `multiple default rules data.${r.path.join(".")} found`, r.location));
        continue;
      }
      set.defaultRule = r;
    } else {
      set.rules.push(r);
    }
  }
  // A rule path that is a strict prefix of another rule path conflicts (its value would be both).
  const keys = [...sets.keys()].sort();
  for (const k of keys) {
    const set = sets.get(k)!;
    if (set.kind === "function" || set.kind === "object") continue;
    for (const other of keys) {
      if (other.startsWith(`${k}/`)) {
        const at = sets.get(other)!;
        const loc = (at.rules[0] ?? at.defaultRule)!.location;
        errors.push(new RegoError("rego_type_error", `rule data.${at.path.join(".")} conflicts with rule data.${set.path.join(".")}`, loc));
        break;
      }
    }
  }
  return sets;
}

/**
 * Ref heads with variables (`p[x].r := 1`) make `p` one document that other rules may extend
 * (`p.d.r := 3`, `p.b.r contains "foo"`). Rules under such a path join its rule set as inserts at
 * constant keys, so one function builds the whole document and overlaps conflict as in OPA.
 */
export function mergeRefHeadGroups(sets: Map<string, RuleSet>): void {
  const objectKeys = [...sets.keys()].filter((k) => sets.get(k)!.kind === "object").sort((a, b) => a.length - b.length);
  for (const k of objectKeys) {
    const group = sets.get(k);
    if (!group) continue; // already merged into a shorter prefix
    for (const [other, set] of [...sets]) {
      if (!other.startsWith(`${k}/`) || set.kind === "function" || set.defaultRule) continue;
      if (set.rules.some((r) => r.else)) continue;
      const rel = set.path.slice(group.path.length);
      for (const r of set.rules) {
        const relTerms = rel.map((p) => stringTerm(p, r.location));
        group.rules.push({
          ...r,
          kind: "object",
          path: group.path,
          keys: [...relTerms, ...r.keys],
          leafSet: set.kind === "set" ? true : r.leafSet,
        });
      }
      sets.delete(other);
    }
  }
}

