/**
 * Renders AST nodes as compact text so parser tests can state the expected tree in
 * one readable line: operators appear as the calls they became (`eq(x, plus(a, 1))`).
 */
import type { Body, Expr, Rule, Term, Value } from "../../../../src/policy/rego/ast.ts";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function renderTerm(t: Term): string {
  return renderValue(t.value);
}

function renderValue(v: Value): string {
  switch (v.type) {
    case "null":
      return "null";
    case "boolean":
      return String(v.value);
    case "number":
      return v.value;
    case "string":
      return JSON.stringify(v.value);
    case "var":
      return v.value;
    case "ref":
      return v.value
        .map((p, i) => {
          if (i === 0) return renderTerm(p);
          if (p.value.type === "string" && IDENT.test(p.value.value)) return `.${p.value.value}`;
          return `[${renderTerm(p)}]`;
        })
        .join("");
    case "array":
      return `[${v.value.map(renderTerm).join(", ")}]`;
    case "set":
      return v.value.length === 0 ? "set()" : `{${v.value.map(renderTerm).join(", ")}}`;
    case "object":
      return `{${v.value.map(([k, x]) => `${renderTerm(k)}: ${renderTerm(x)}`).join(", ")}}`;
    case "call":
      return `${renderTerm(v.value[0])}(${v.value.slice(1).map(renderTerm).join(", ")})`;
    case "arraycomprehension":
      return `[${renderTerm(v.term)} | ${renderBody(v.body)}]`;
    case "setcomprehension":
      return `{${renderTerm(v.term)} | ${renderBody(v.body)}}`;
    case "objectcomprehension":
      return `{${renderTerm(v.key)}: ${renderTerm(v.value)} | ${renderBody(v.body)}}`;
    case "templatestring":
      return `$"${v.parts.map((p) => ("terms" in p ? `{${renderExpr(p)}}` : p.value.type === "string" ? p.value.value : renderTerm(p))).join("")}"`;
  }
}

export function renderExpr(e: Expr): string {
  let s: string;
  const t = e.terms;
  if (Array.isArray(t)) {
    s = `${renderTerm(t[0])}(${t.slice(1).map(renderTerm).join(", ")})`;
  } else if (!("type" in t)) {
    s = renderTerm(t);
  } else if (t.type === "some") {
    s = `some ${t.symbols.map(renderTerm).join(", ")}`;
  } else {
    const vars = t.key ? `${renderTerm(t.key)}, ${renderTerm(t.value)}` : renderTerm(t.value);
    s = `every ${vars} in ${renderTerm(t.domain)} { ${renderBody(t.body)} }`;
  }
  if (e.negated) s = `not ${s}`;
  for (const w of e.with) s += ` with ${renderTerm(w.target)} as ${renderTerm(w.value)}`;
  return s;
}

export function renderBody(b: Body): string {
  return b.map(renderExpr).join("; ");
}

export function renderRule(r: Rule): string {
  const h = r.head;
  let s = r.default ? "default " : "";
  s += h.ref.map((p, i) => (i === 0 ? renderTerm(p) : p.value.type === "string" && IDENT.test(p.value.value) ? `.${p.value.value}` : `[${renderTerm(p)}]`)).join("");
  if (h.args) s += `(${h.args.map(renderTerm).join(", ")})`;
  return s + renderTail(r);
}

/** Everything after the head ref and args: value, body and the else chain. */
function renderTail(r: Rule): string {
  const h = r.head;
  let s = "";
  if (h.contains && h.key) s += ` contains ${renderTerm(h.key)}`;
  if (h.value) s += ` ${h.assign ? ":=" : "="} ${renderTerm(h.value)}`;
  s += ` if { ${renderBody(r.body)} }`;
  if (r.else) s += ` else${renderTail(r.else)}`;
  return s;
}
