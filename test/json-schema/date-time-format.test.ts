// The fast date-time check accepts exactly what ajv-formats' check accepts: listed edge cases
// (leap years, leap seconds, offsets, lower-case separators, fractions) and a seeded sweep of
// mutated timestamps.
import { describe, expect, it } from "vitest";
import { fullFormats } from "ajv-formats/dist/formats.js";
import { withFastDateTime } from "../../src/json-schema/date-time-format.ts";
import { createAjv } from "../../src/json-schema/ajv.ts";

const full = (fullFormats["date-time"] as { validate: (value: string) => boolean }).validate;
const fast = withFastDateTime(full);

const cases = [
  "2024-01-01T00:00:00Z",
  "2024-02-29T23:59:59.1234567Z",
  "2023-02-29T00:00:00Z",
  "1900-02-29T00:00:00Z",
  "2000-02-29T00:00:00Z",
  "2024-13-01T00:00:00Z",
  "2024-00-10T00:00:00Z",
  "2024-01-32T00:00:00Z",
  "2024-04-31T00:00:00Z",
  "2024-01-01T24:00:00Z",
  "2024-01-01T23:60:00Z",
  "2016-12-31T23:59:60Z",
  "2024-01-01T23:59:60Z",
  "2024-01-01t00:00:00z",
  "2024-01-01 00:00:00Z",
  "2024-01-01T00:00:00+02:00",
  "2024-01-01T00:00:00.Z",
  "2024-01-01T00:00:00",
  "0001-01-01T00:00:00Z",
  "20240101T000000Z",
  "2024-1-01T00:00:00Z",
  "2024-01-01T00:00:0aZ",
  "2024-01-01T00:00:00.12a4Z",
  "",
];

describe("date-time format", () => {
  it.each(cases)("%j: same answer as ajv-formats", (value) => {
    expect(fast(value)).toBe(full(value));
  });

  it("agrees with ajv-formats on 50,000 mutated timestamps", () => {
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = "0123456789-T:.Z+t ";
    const disagreements: string[] = [];
    for (let k = 0; k < 50_000; k++) {
      const iso = new Date(random() * 4e13 - 1e13).toISOString();
      let value = random() < 0.5 ? iso : iso.replace(/\.\d+/, "");
      const r = random();
      if (r < 0.6) {
        const i = Math.floor(random() * value.length);
        value = value.slice(0, i) + alphabet[Math.floor(random() * alphabet.length)] + value.slice(i + 1);
      } else if (r < 0.7) value = value.slice(0, Math.floor(random() * value.length));
      if (fast(value) !== full(value)) disagreements.push(value);
    }
    expect(disagreements).toEqual([]);
  });

  it("is the format credgov's validators use", () => {
    const validate = createAjv().compile({ type: "string", format: "date-time" });
    expect([validate("2024-05-01T10:00:00Z"), validate("2024-02-30T10:00:00Z"), validate("2016-12-31T23:59:60Z"), validate("yesterday")]).toEqual([true, false, true, false]);
  });
});
