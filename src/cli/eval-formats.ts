// `credgov policy eval --format`: the result set printed the ways `opa eval --format` prints it
// (OPA's internal/presentation package): json (the whole result set), values (one JSON array of
// expression values a solution), bindings (one JSON object of bindings a solution), raw (values a
// solution on one line, strings unquoted: for scripts), pretty (for people: a single value as
// JSON, "undefined", or a table of the bindings, laid out by credgov rather than OPA's table
// writer).
import type { QueryResult } from "../policy/bundle/eval-query.ts";

export const EVAL_FORMATS = ["json", "values", "bindings", "raw", "pretty"] as const;
export type EvalFormat = (typeof EVAL_FORMATS)[number];

export function isEvalFormat(s: string): s is EvalFormat {
  return (EVAL_FORMATS as readonly string[]).includes(s);
}

/** Go's json.Encoder with a two-space indent, as OPA's presentation.JSON writes. */
const indented = (x: unknown): string => `${JSON.stringify(x, null, 2)}\n`;

/** OPA's field order; empty bindings are left out (`bindings,omitempty`). */
function resultJson(rs: QueryResult[]): unknown {
  if (rs.length === 0) return {};
  return {
    result: rs.map((r) => ({
      ...(Object.keys(r.bindings).length > 0 ? { bindings: r.bindings } : {}),
      expressions: r.expressions.map((e) => ({ value: e.value, location: e.location, text: e.text })),
    })),
  };
}

function raw(rs: QueryResult[]): string {
  return rs.map((r) => `${r.expressions.map((e) => (typeof e.value === "string" ? e.value : JSON.stringify(e.value))).join(" ")}\n`).join("");
}

function table(rs: QueryResult[]): string {
  const keys = [...new Set(rs.flatMap((r) => Object.keys(r.bindings)))].sort();
  const rows = rs.map((r) => keys.map((k) => (k in r.bindings ? JSON.stringify(r.bindings[k]) : "")));
  const widths = keys.map((k, i) => Math.max(k.length, ...rows.map((row) => row[i].length)));
  const rule = `+${widths.map((w) => "-".repeat(w + 2)).join("+")}+\n`;
  const line = (cells: string[]): string => `|${cells.map((c, i) => ` ${c.padEnd(widths[i])} `).join("|")}|\n`;
  return rule + line(keys) + rule + rows.map(line).join("") + rule;
}

function pretty(rs: QueryResult[]): string {
  if (rs.length === 0) return "undefined\n";
  const [first] = rs;
  const allBoolean = first.expressions.every((e) => typeof e.value === "boolean");
  if (rs.length === 1 && Object.keys(first.bindings).length === 0 && (first.expressions.length === 1 || allBoolean)) return indented(first.expressions[0].value);
  if (rs.every((r) => Object.keys(r.bindings).length === 0)) return rs.map((r) => indented(r.expressions.map((e) => e.value))).join("");
  return table(rs);
}

export function formatEvalResult(rs: QueryResult[], format: EvalFormat): string {
  switch (format) {
    case "json":
      return indented(resultJson(rs));
    case "values":
      return rs.map((r) => indented(r.expressions.map((e) => e.value))).join("");
    case "bindings":
      return rs.map((r) => indented(r.bindings)).join("");
    case "raw":
      return raw(rs);
    case "pretty":
      return pretty(rs);
  }
}
