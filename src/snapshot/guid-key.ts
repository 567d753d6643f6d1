// Entra's onPremisesImmutableId is, by Entra Connect's default, the base64 of the AD objectGUID
// bytes (the same bytes as mS-DS-ConsistencyGuid). Collectors may record objectGUID either as
// those base64 bytes or as the usual string form; both become the base64 key here.

const guidPattern = /^\{?([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})\}?$/i;

/** Base64 of the 16 GUID bytes, or undefined when `value` is neither a GUID string nor 16 base64 bytes. */
export function guidKey(value: string): string | undefined {
  const m = guidPattern.exec(value.trim());
  if (m) {
    // The first three fields are little-endian in the byte form (Microsoft GUID layout).
    const le = (hex: string) => Buffer.from(hex, "hex").reverse();
    const bytes = Buffer.concat([le(m[1]), le(m[2]), le(m[3]), Buffer.from(m[4] + m[5], "hex")]);
    return bytes.toString("base64");
  }
  const bytes = Buffer.from(value.trim(), "base64");
  return bytes.length === 16 ? bytes.toString("base64") : undefined;
}
