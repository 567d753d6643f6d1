import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { UserInputError } from "../../../src/errors.ts";
import { rotationEvidence } from "../../../src/report/evidence/rotation-report.ts";

// Valid against schemas/rotation-report.schema.json (the report `credgov rotate` writes).
const report = JSON.parse(readFileSync(new URL("./rotation-report.fixture.json", import.meta.url), "utf8")) as Record<string, unknown>;

describe("rotation report", () => {
  it("shows each item's account, directory, credential, verification time and whether a bind proved the new secret", () => {
    const r = rotationEvidence(report, "report.json");
    expect(r.items).toEqual([
      { subject: "svc-sql", directory: "corp-ad", credential: "corp-ad:svc-sql:password", at: "2026-05-31T21:58:00.000Z", state: "committed", verified: true, agreement: "corp-ad: rotated (complete)" },
      { subject: "svc-batch", directory: "legacy-ldap", credential: "legacy-ldap:svc-batch:password", at: "2026-05-31T21:59:00.000Z", state: "failed", verified: false, agreement: "legacy-ldap: not-rotated (incomplete)" },
    ]);
    expect([r.verified, r.total, r.generatedAt]).toEqual([1, 2, "2026-05-31T22:00:00.000Z"]);
  });

  it("rejects a file that is not a rotation report, naming the file and the field", () => {
    const formatted = (data: unknown, file: string) => {
      try {
        rotationEvidence(data, file);
      } catch (error) {
        return (error as UserInputError).format();
      }
      return "accepted";
    };
    expect(formatted({ ...report, items: [{ id: "1" }] }, "report.json")).toMatch(/^report\.json items\.0: is not a credgov rotation report: \/items\/0 /);
    expect(formatted({ plan: {} }, "other.json")).toMatch(/^other\.json .*is not a credgov rotation report/);
  });
});
