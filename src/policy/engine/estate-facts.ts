// Merges the library's estate facts (policies/lib/lib.rego `estate_facts`) computed by the
// batches of a sharded evaluation. Every account is in exactly one batch, so: numbers add up
// (a count of accounts), arrays are unioned (a set of policy ids; Rego sets arrive as sorted
// arrays), objects merge key by key (a value by source id). Anything else keeps the first value.
export function mergeEstateFacts(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return a + b;
  if (Array.isArray(a) && Array.isArray(b)) {
    const seen = new Map<string, unknown>();
    for (const v of [...a, ...b]) seen.set(JSON.stringify(v), v);
    return [...seen.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, v]) => v);
  }
  if (isObject(a) && isObject(b)) {
    // No prototype: a source id may be any string, "__proto__" included.
    const out: Record<string, unknown> = Object.assign(Object.create(null) as Record<string, unknown>, a);
    for (const [key, value] of Object.entries(b)) out[key] = key in out ? mergeEstateFacts(out[key], value) : value;
    return out;
  }
  return a === undefined ? b : a;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
