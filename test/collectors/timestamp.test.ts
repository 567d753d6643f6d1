// isoTimestamp rewrites the form APIs send as text instead of going through Date: it must give
// exactly what Date gives (or null where Date gives a placeholder or nothing), for listed edge
// cases (fractions of every length, leap days, rollovers, placeholders) and a seeded sweep of
// mutated timestamps.
import { describe, expect, it } from "vitest";
import { isoTimestamp } from "../../src/collectors/timestamp.ts";

/** The conversion through Date alone, as it was before the text path. */
function throughDate(value: unknown): string | null {
  if (typeof value !== "string" || value === "") return null;
  const date = new Date(value);
  return date.getTime() >= Date.UTC(1602, 0, 1) ? date.toISOString() : null;
}

const cases: unknown[] = [
  "2024-01-01T00:00:00Z",
  "2024-01-01T00:00:00.5Z",
  "2024-01-01T00:00:00.12Z",
  "2024-01-01T00:00:00.123Z",
  "2024-01-01T00:00:00.9999Z",
  "2024-02-29T23:59:59.1234567Z",
  "2023-02-29T00:00:00Z",
  "2100-02-29T00:00:00Z",
  "2000-02-29T00:00:00Z",
  "2024-04-31T10:00:00Z",
  "2024-01-01T24:00:00Z",
  "2016-12-31T23:59:60Z",
  "2024-13-01T00:00:00Z",
  "2024-01-01T00:00:00.Z",
  "2024-01-01T00:00:00+02:00",
  "2024-01-01t00:00:00z",
  "2024-01-01",
  "0001-01-01T00:00:00Z",
  "1601-12-31T23:59:59.999Z",
  "1602-01-01T00:00:00Z",
  "9999-12-31T23:59:59.9999999Z",
  "not a date",
  "",
  null,
  undefined,
  42,
];

describe("isoTimestamp", () => {
  it.each(cases)("%j: what Date gives", (value) => {
    expect(isoTimestamp(value)).toBe(throughDate(value));
  });

  it("gives what Date gives for 50,000 mutated timestamps", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = "0123456789-T:.Z+ ";
    const disagreements: string[] = [];
    for (let k = 0; k < 50_000; k++) {
      const iso = new Date(random() * 4e13 - 1e13).toISOString();
      // Fractions of 0 to 9 digits, as Graph and GitHub send them.
      const digits = Math.floor(random() * 10);
      let value = iso.slice(0, 19) + (digits === 0 ? "" : "." + String(Math.floor(random() * 1e9)).padStart(9, "0").slice(0, digits)) + "Z";
      const r = random();
      if (r < 0.5) {
        const i = Math.floor(random() * value.length);
        value = value.slice(0, i) + alphabet[Math.floor(random() * alphabet.length)] + value.slice(i + 1);
      } else if (r < 0.6) value = value.slice(0, Math.floor(random() * value.length));
      if (isoTimestamp(value) !== throughDate(value)) disagreements.push(value);
    }
    expect(disagreements).toEqual([]);
  });
});
