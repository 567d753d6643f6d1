// JSON text as Go's encoding/json writes it: object keys sorted, and <, >, & escaped as \u003c
// etc. Builtins that produce JSON text (json.marshal, io.jwt.encode_sign) must match byte for byte.
export function goJSON(value: unknown): string {
  return stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function stringify(v: unknown): string {
  if (v === null || typeof v !== "object") return JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(stringify).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${stringify(o[k])}`).join(",")}}`;
}
