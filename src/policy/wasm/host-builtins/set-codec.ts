// Sets across the host boundary. The module hands host builtins their arguments as JSON with
// every set tagged as {"\u0000set": [...]} and parses a result's tags back into sets (see
// runtime/src/json.c). Builtins see sets as arrays, as before; an array that arrived as a set
// (or that a builtin marks with regoSet) goes back as a set, so values a builtin passes
// through keep their type (providers.aws.sign_req returns the request's body unchanged).
// Integers beyond 2^53 arrive tagged as {"\u0000int": "digits"}: a builtin that takes exact
// integers gets a bigint, any other the nearest double, as JSON.parse would give it.
const SET_TAG = "\u0000set";
const INT_TAG = "\u0000int";
const sets = new WeakSet<unknown[]>();

/** Marks an array a builtin returns as a Rego set. */
export function regoSet<T>(items: T[]): T[] {
  sets.add(items);
  return items;
}

export function isRegoSet(v: unknown): boolean {
  return Array.isArray(v) && sets.has(v);
}

/** Tagged JSON (as parsed by the SDK) -> plain values, sets as marked arrays, big integers as
 * bigints when `exactIntegers`, else as numbers. */
export function decodeSets(v: unknown, exactIntegers = false): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = decodeSets(v[i], exactIntegers);
    return v;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1 && keys[0] === SET_TAG && Array.isArray(o[SET_TAG])) return regoSet(decodeSets(o[SET_TAG], exactIntegers) as unknown[]);
  if (keys.length === 1 && keys[0] === INT_TAG && typeof o[INT_TAG] === "string") return exactIntegers ? BigInt(o[INT_TAG]) : Number(o[INT_TAG]);
  for (const k of keys) o[k] = decodeSets(o[k], exactIntegers);
  return o;
}

/** Plain values -> tagged JSON for the module, marked arrays as sets. */
export function encodeSets(v: unknown): unknown {
  if (typeof v === "bigint") return { [INT_TAG]: v.toString() };
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) {
    const items = v.map(encodeSets);
    return sets.has(v) ? { [SET_TAG]: items } : items;
  }
  // Exact numbers and other values with their own JSON form (toJSON) pass as they are.
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = encodeSets(x);
  return out;
}
