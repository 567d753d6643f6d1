import { describe, expect, it } from "vitest";
import { rotationEvidence } from "../../../src/report/evidence/rotation-report.ts";

describe("rotation report", () => {
  it("shows each item's subject, directory, credential, time and whether it was verified", () => {
    const r = rotationEvidence(
      {
        generatedAt: "2026-05-31T22:00:00Z",
        items: [
          { account: { name: "svc-sql" }, source: { id: "corp-ad" }, credentialType: "password", state: "committed", verifiedAt: "2026-05-31T21:58:00Z", linkedAccounts: [{ source: "entra", state: "agrees" }] },
          { account: { name: "app" }, source: "entra", credentialType: "clientSecret", state: "applied", at: "2026-05-31T21:59:00Z" },
          { subject: "bot", directory: "github", credential: "deployKey", verified: true },
        ],
      },
      "report.json",
    );
    expect(r.items).toEqual([
      { subject: "svc-sql", directory: "corp-ad", credential: "password", at: "2026-05-31T21:58:00Z", state: "committed", verified: true, agreement: "entra: agrees" },
      { subject: "app", directory: "entra", credential: "clientSecret", at: "2026-05-31T21:59:00Z", state: "applied", verified: false, agreement: null },
      { subject: "bot", directory: "github", credential: "deployKey", at: null, state: "unknown", verified: true, agreement: null },
    ]);
    expect([r.verified, r.total]).toEqual([2, 3]);
  });

  it("rejects a report without items, naming the file", () => {
    expect(() => rotationEvidence({ plan: {} }, "report.json")).toThrow(/no items array/);
  });
});
