// API timestamps -> the snapshot's ISO 8601 UTC form; anything unparseable, and the
// "0001-01-01" placeholder Graph returns for never-set values, is unknown (null).
export function isoTimestamp(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  const ms = Date.parse(value);
  if (Number.isNaN(ms) || new Date(ms).getUTCFullYear() <= 1601) return null;
  return new Date(ms).toISOString();
}
