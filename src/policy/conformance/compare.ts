// Result-set comparison with OPA's value semantics as they survive JSON: numbers compare by
// value (1 and 1.0 are equal), object key order never matters, and under `sort_bindings`
// array order does not matter either (sets cross the Wasm boundary as arrays in no fixed order).
// The rows of a result set are compared as a set, as OPA's own case runner does
// (topdown's testAssertResultSet puts both sides in an ast.Set): OPA does not define the
// order in which a query's solutions are produced.

/** A canonical string for a JSON value; equal values give equal strings. */
export function canonical(value: unknown, unordered: boolean): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number") return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
    return JSON.stringify(value) ?? "undefined";
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => canonical(v, unordered));
    if (unordered) items.sort();
    return `[${items.join(",")}]`;
  }
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k], unordered)}`).join(",")}}`;
}

/** A result set (an array of binding rows) as a canonical string of its distinct rows in sorted order. */
export function canonicalResultSet(rows: unknown, sortBindings: boolean): string {
  if (!Array.isArray(rows)) return canonical(rows, sortBindings);
  const distinct = [...new Set(rows.map((row) => canonical(row, sortBindings)))].sort();
  return `[${distinct.join(",")}]`;
}

export function resultsEqual(got: unknown, want: unknown, sortBindings: boolean): boolean {
  return canonicalResultSet(got, sortBindings) === canonicalResultSet(want, sortBindings);
}
