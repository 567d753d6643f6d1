// API timestamps -> the snapshot's ISO 8601 UTC form; anything unparseable, and the
// "0001-01-01" placeholder Graph returns for never-set values, is unknown (null).

/** Start of 1602 UTC: anything earlier (years up to 1601, Windows' FILETIME epoch) is a placeholder. */
const firstKnownMs = Date.UTC(1602, 0, 1);

export function isoTimestamp(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  // One parse and one Date per value: collectors call this for every timestamp of 100k+ items.
  const date = new Date(value);
  const ms = date.getTime();
  if (!(ms >= firstKnownMs)) return null; // NaN (unparseable) fails this too
  return date.toISOString();
}
