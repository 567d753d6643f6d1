// Values printed the way OPA prints terms (ast.Term.String): what template strings and
// strings.render_template show for non-string values. Sets cannot be told from arrays after the
// JSON crossing, so they print as arrays.
export function regoText(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return numberText(value);
  if (typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(regoText).join(", ")}]`;
  const entries = Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}: ${regoText((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(", ")}}`;
}

/** Go prints big integral numbers in full; JavaScript switches to exponent form at 1e21. */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  return String(n);
}
