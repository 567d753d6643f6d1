// rego.parse_module(filename, source): the module's AST in OPA's JSON form (package, imports,
// rules; terms as {"type", "value"}; expressions with index, terms and negated), parsed by
// credgov's own parser. A parse error is a builtin error naming the first problem.
import type { Body, Expr, Head, Module, Rule, Term } from "../../rego/ast.ts";
import { isCallExpr, isEveryExpr, isSomeExpr } from "../../rego/ast.ts";
import { parseModule } from "../../rego/parser.ts";
import { BuiltinError, str } from "./builtin-error.ts";

type Json = Record<string, unknown>;

function term(t: Term): Json {
  const v = t.value;
  switch (v.type) {
    case "null":
      return { type: "null" };
    case "boolean":
    case "string":
    case "var":
      return { type: v.type, value: v.value };
    case "number":
      return { type: "number", value: Number(v.value) };
    case "ref":
    case "array":
    case "set":
    case "call":
      return { type: v.type, value: v.value.map(term) };
    case "object":
      return { type: "object", value: v.value.map(([k, x]) => [term(k), term(x)]) };
    case "arraycomprehension":
    case "setcomprehension":
      return { type: v.type, value: { term: term(v.term), body: body(v.body) } };
    case "objectcomprehension":
      return { type: v.type, value: { key: term(v.key), value: term(v.value), body: body(v.body) } };
    case "templatestring":
      return { type: "templatestring", value: v.parts.map((p) => ("terms" in p ? expr(p) : term(p))) };
  }
}

function expr(e: Expr): Json {
  const out: Json = { index: e.index };
  if (e.negated) out.negated = true;
  if (isCallExpr(e)) out.terms = e.terms.map(term);
  else if (isSomeExpr(e)) out.terms = { symbols: e.terms.symbols.map(term) };
  else if (isEveryExpr(e)) {
    const ev = e.terms;
    out.terms = { ...(ev.key ? { key: term(ev.key) } : {}), value: term(ev.value), domain: term(ev.domain), body: body(ev.body) };
  } else out.terms = term(e.terms as Term);
  if (e.with.length > 0) out.with = e.with.map((w) => ({ target: term(w.target), value: term(w.value) }));
  return out;
}

function body(b: Body): Json[] {
  return b.map(expr);
}

function head(h: Head): Json {
  const out: Json = { name: h.name, ref: h.ref.map(term) };
  if (h.args) out.args = h.args.map(term);
  if (h.key) out.key = term(h.key);
  if (h.value) out.value = term(h.value);
  if (h.assign) out.assign = true;
  return out;
}

function rule(r: Rule): Json {
  const out: Json = { head: head(r.head), body: body(r.body) };
  if (r.default) out.default = true;
  if (r.else) out.else = rule(r.else);
  return out;
}

export function moduleJson(m: Module): Json {
  const out: Json = { package: { path: m.package.path.map(term) }, rules: m.rules.map(rule) };
  if (m.imports.length > 0) out.imports = m.imports.map((i) => ({ path: term(i.path), ...(i.alias ? { alias: i.alias } : {}) }));
  return out;
}

export const regoParseBuiltins = {
  "rego.parse_module": (filename: unknown, source: unknown): Json => {
    const name = "rego.parse_module";
    const parsed = parseModule(str(name, source, 2), str(name, filename, 1));
    if (!parsed.module) throw new BuiltinError(name, parsed.errors.map((e) => e.message).join("; "));
    return moduleJson(parsed.module);
  },
};
