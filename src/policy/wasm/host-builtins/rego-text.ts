// Values printed the way OPA prints terms (ast.Term.String): what print(), template strings and
// strings.render_template show for non-string values. Sets cross the host boundary tagged
// (set-codec.ts), so they print as OPA's sets do: {1, 2} in sorted order, set() when empty.
import { compareValues } from "./rego-order.ts";
import { isRegoSet } from "./set-codec.ts";

export function regoText(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return numberText(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return String(value);
  if (isRegoSet(value)) {
    const items = value as unknown[];
    return items.length === 0 ? "set()" : `{${[...items].sort(compareValues).map(regoText).join(", ")}}`;
  }
  if (Array.isArray(value)) return `[${value.map(regoText).join(", ")}]`;
  const entries = Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}: ${regoText((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(", ")}}`;
}

/** Go prints big integral numbers in full; JavaScript switches to exponent form at 1e21. */
export function numberText(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) >= 1e21) return BigInt(n).toString();
  return String(n);
}
