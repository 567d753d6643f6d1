// Value identity for JSON-crossed Rego values: key order never matters, numbers compare by value.
export function canonicalKey(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "undefined";
  if (Array.isArray(v)) return `[${v.map(canonicalKey).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalKey(o[k])}`).join(",")}}`;
}

export function regoEqual(a: unknown, b: unknown): boolean {
  return canonicalKey(a) === canonicalKey(b);
}
