// `rego.metadata.rule()` and `rego.metadata.chain()` are known at compile time: like OPA, the
// compiler replaces the calls with the annotations (METADATA comment blocks) as constants.
import type { Annotations, Location, Module, Rule, Term } from "../ast.ts";
import { transformRule, visitRule } from "../visit.ts";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function jsonTerm(v: unknown, location: Location): Term {
  if (v === null || v === undefined) return { value: { type: "null" }, location };
  if (typeof v === "boolean") return { value: { type: "boolean", value: v }, location };
  if (typeof v === "number") return { value: { type: "number", value: String(v) }, location };
  if (typeof v === "string") return { value: { type: "string", value: v }, location };
  if (v instanceof Date) return { value: { type: "string", value: v.toISOString() }, location };
  if (Array.isArray(v)) return { value: { type: "array", value: v.map((x) => jsonTerm(x, location)) }, location };
  const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => [jsonTerm(k, location), jsonTerm(x, location)] as [Term, Term]);
  return { value: { type: "object", value: entries }, location };
}

/** "Jane Doe <jane@example.com>" -> {name, email}, as OPA normalises authors. */
function author(a: unknown): Json {
  if (typeof a !== "string") return a as Json;
  const m = /^(.*?)\s*<([^>]+)>\s*$/.exec(a.trim());
  if (m) return m[1] ? { name: m[1], email: m[2] } : { email: m[2] };
  return a.includes("@") && !a.includes(" ") ? { email: a } : { name: a.trim() };
}

function annotationValue(a: Annotations): Json {
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(a.raw)) {
    if (k === "authors" && Array.isArray(v)) out.authors = v.map(author);
    else if (k === "related_resources" && Array.isArray(v)) out.related_resources = v.map((r) => (typeof r === "string" ? { ref: r } : (r as Json)));
    else out[k] = v as Json;
  }
  out.scope = a.scope;
  return out;
}

export interface MetadataContext {
  /** Package path without `data`. */
  packagePath: string[];
  /** All modules, for package- and document-scoped annotations. */
  modules: Module[];
  rulePath: string[];
  /** Annotations of other rules of the same path (document scope). */
  documentAnnotations: Annotations[];
}

function packageOf(m: Module): string[] {
  return m.package.path.slice(1).map((t) => String((t.value as { value: unknown }).value));
}

function chainFor(rule: Rule, ctx: MetadataContext): Json[] {
  const chain: Json[] = [];
  const own = rule.annotations && rule.annotations.scope === "rule" ? rule.annotations : undefined;
  chain.push(own ? { path: ctx.rulePath, annotations: annotationValue(own) } : { path: ctx.rulePath });
  for (const d of ctx.documentAnnotations) chain.push({ path: ctx.rulePath, annotations: annotationValue(d) });
  const pkg = ctx.packagePath;
  for (let len = pkg.length; len >= 1; len--) {
    const prefix = pkg.slice(0, len);
    for (const m of ctx.modules) {
      if (packageOf(m).join(".") !== prefix.join(".")) continue;
      for (const a of m.annotations) {
        if ((len === pkg.length && a.scope === "package") || a.scope === "subpackages") chain.push({ path: prefix, annotations: annotationValue(a) });
      }
    }
  }
  return chain;
}

/** Returns the rule with metadata calls replaced by constants (the same object when it has none). */
export function inlineMetadata(rule: Rule, ctx: MetadataContext): Rule {
  if (!hasMetadataCall(rule)) return rule;
  return transformRule(rule, {
    term: (t) => {
      const name = metadataCall(t);
      if (name === "rego.metadata.rule") {
        const own = rule.annotations && rule.annotations.scope === "rule" ? rule.annotations : ctx.documentAnnotations[0];
        return jsonTerm(own ? annotationValue(own) : {}, t.location);
      }
      if (name === "rego.metadata.chain") return jsonTerm(chainFor(rule, ctx), t.location);
      return undefined;
    },
  });
}

/** `rego.metadata.rule` or `rego.metadata.chain` when the term calls one of them. */
function metadataCall(t: Term): string | undefined {
  if (t.value.type !== "call") return undefined;
  const name = callName(t.value.value[0]);
  return name === "rego.metadata.rule" || name === "rego.metadata.chain" ? name : undefined;
}

function hasMetadataCall(rule: Rule): boolean {
  let found = false;
  visitRule(rule, { term: (t) => !(found ||= t.value.type === "call" && callName(t.value.value[0])?.startsWith("rego.metadata.") === true) });
  return found;
}

function callName(op: Term | undefined): string | undefined {
  if (!op) return undefined;
  if (op.value.type === "var") return op.value.value;
  if (op.value.type !== "ref") return undefined;
  return op.value.value.map((t, i) => (i === 0 && t.value.type === "var" ? t.value.value : t.value.type === "string" ? t.value.value : "?")).join(".");
}
