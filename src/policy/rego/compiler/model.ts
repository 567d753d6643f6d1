// What the compile passes hand to the planner: rules grouped by their data path, every body
// resolved (rule names -> data refs, imports expanded, locals renamed uniquely) and ordered so
// that each expression's inputs are bound by the expressions before it.
import type { Body, Location, Term } from "../ast.ts";

export type RuleKind = "complete" | "set" | "object" | "function";

export interface CompiledRule {
  kind: RuleKind;
  /** Data path of the rule (no leading `data`), e.g. ["credgov", "reset", "violations"]. */
  path: string[];
  /** Partial object rules: the key operands after the path (`p[x][y] := v` -> [x, y]). Partial sets: [element]. */
  keys: Term[];
  /** Object rules from `p[x].q contains y`: the last key is an element of a set at the path before it. */
  leafSet?: boolean;
  /** Value term (complete, object and function rules). */
  value?: Term;
  /** Function parameters, already renamed. */
  args?: Term[];
  body: Body;
  /** `else` branch, same kind and path. */
  else?: CompiledRule;
  default: boolean;
  file: string;
  location: Location;
}

/** All definitions of one data path. */
export interface RuleSet {
  path: string[];
  kind: RuleKind;
  /** Function arity (0 for non-functions). */
  arity: number;
  rules: CompiledRule[];
  defaultRule?: CompiledRule;
}

export interface CompiledQuery {
  body: Body;
  /** Query variables the result set reports: user name -> renamed local. */
  resultVars: Array<{ name: string; local: string }>;
}

export interface CompiledPolicy {
  /** Keyed by path joined with "/". */
  ruleSets: Map<string, RuleSet>;
  /** Package paths of all modules (no leading `data`), including packages without rules. */
  packages?: string[][];
  query?: CompiledQuery;
  /** Generated local -> the name the user wrote, for messages. */
  originalNames?: Map<string, string>;
}

export function pathKey(path: string[]): string {
  return path.join("/");
}
