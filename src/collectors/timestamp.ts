// API timestamps -> the snapshot's ISO 8601 UTC form; anything unparseable, and the
// "0001-01-01" placeholder Graph returns for never-set values, is unknown (null).
import { isUtcDateTime } from "../json-schema/date-time-format.ts";

/** Start of 1602 UTC: anything earlier (years up to 1601, Windows' FILETIME epoch) is a placeholder. */
const firstKnownMs = Date.UTC(1602, 0, 1);
const firstKnownYear = 1602;

/** What completes a timestamp of 20, 22 or 23 characters (`:00Z`, `:00.5Z`, `:00.12Z`) to milliseconds, as Date pads them; by length - 20 (21 is not a valid length). */
const paddedFraction = [".000Z", "", "00Z", "0Z"];

export function isoTimestamp(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  // The form APIs send (`2024-05-01T10:00:00Z`, `...:00.1234567Z`), when it is a valid date, is
  // rewritten as text: what Date gives for it (the fraction cut to milliseconds, not rounded),
  // without a Date per value (collectors convert every timestamp of 100k+ items; new Date and
  // toISOString took about 0.8 µs each, this about a fifth of that). join() gives one flat
  // string, where `+` would keep a slice of the input and a pair (twice the memory, and more
  // for the garbage collector to copy, in snapshots that hold 100k+ of them).
  if (isUtcDateTime(value)) {
    const year = (value.charCodeAt(0) - 48) * 1000 + (value.charCodeAt(1) - 48) * 100 + (value.charCodeAt(2) - 48) * 10 + (value.charCodeAt(3) - 48);
    if (year < firstKnownYear) return null;
    const n = value.length;
    return n >= 24 ? [value.slice(0, 23), "Z"].join("") : [value.slice(0, n - 1), paddedFraction[n - 20]].join("");
  }
  const date = new Date(value);
  const ms = date.getTime();
  if (!(ms >= firstKnownMs)) return null; // NaN (unparseable) fails this too
  return date.toISOString();
}
