// Builtin results that are integers beyond 2^53 would lose digits through JSON.stringify. The SDK
// loads an ArrayBuffer result as raw JSON text, so such numbers cross the boundary digit-exact.
export function exactInteger(value: bigint): number | ArrayBuffer {
  if (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(value);
  const bytes = new TextEncoder().encode(value.toString());
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** A decimal literal as an exact rational: mantissa * 10^exponent. Undefined when not a decimal number. */
export function parseDecimal(text: string): { mantissa: bigint; exponent: number } | undefined {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) return undefined;
  const digits = `${m[2]}${m[3] ?? ""}` || "0";
  const mantissa = BigInt(digits) * (m[1] === "-" ? -1n : 1n);
  const exponent = (m[4] ? Number(m[4]) : 0) - (m[3]?.length ?? 0);
  return { mantissa, exponent };
}
