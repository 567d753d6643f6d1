// A password time the directory does not record is neither a pass nor a fail, end to end: a
// hand-made AD export scanned as a user would. Two domain admins with never-expiring
// passwords: one set years ago (fails CG-HYG-006), one awaiting a change at next logon
// (pwdLastSet 0: AD keeps no time, so it is not_evaluated, and the run stays complete since
// no collection could supply the time). The same admin without pwdLastSet at all is a
// filtered export: a collection gap, CG-HYG-006 in error for the domain, exit 3.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { daysToAdDuration } from "../../src/collectors/ldap-common/ad-duration.ts";
import { isoToFiletime } from "../../src/collectors/ldap-common/filetime.ts";
import { toLdif, type BuilderEntry } from "../collectors/ldap-common/ldif-builder.ts";
import { BASE, domainEntry, user } from "../collectors/ad/synthetic-estate.ts";
import { credgov } from "./run-credgov.ts";

const neverExpires = "66048"; // NORMAL_ACCOUNT | DONT_EXPIRE_PASSWORD
const domain = domainEntry({ minPwdLength: "14", pwdHistoryLength: "24", maxPwdAge: daysToAdDuration(0).toString() });
const krbtgt = user(`CN=krbtgt,CN=Users,${BASE}`, "krbtgt", 502, { userAccountControl: "514", pwdLastSet: isoToFiletime(new Date().toISOString()).toString() });
const oldAdmin = user(`CN=adm-old,CN=Users,${BASE}`, "adm-old", 1101, { userAccountControl: neverExpires, adminCount: "1", pwdLastSet: isoToFiletime("2020-01-01T00:00:00Z").toString() });
const pendingAdmin = (pwdLastSet: string | undefined) => {
  const entry = user(`CN=adm-pending,CN=Users,${BASE}`, "adm-pending", 1102, { userAccountControl: neverExpires, adminCount: "1" });
  if (pwdLastSet === undefined) delete entry.pwdLastSet;
  else entry.pwdLastSet = pwdLastSet;
  return entry;
};

function scan(name: string, entries: BuilderEntry[]) {
  const dir = mkdtempSync(join(tmpdir(), `credgov-${name}-`));
  writeFileSync(join(dir, "corp.ldif"), toLdif(entries));
  writeFileSync(join(dir, "credgov.yaml"), "version: 1\nsources:\n  - id: corp-ad\n    kind: ad\n    file: corp.ldif\n");
  const r = credgov(dir, "scan", "--config", "credgov.yaml", "--out", "out", "--format", "json", "--fail-on", "none", "--no-history");
  const findings = JSON.parse(readFileSync(join(dir, "out", "findings.json"), "utf8")) as { controlId: string; status: string; subject: { id: string }; evidence: Record<string, unknown> }[];
  const hyg006 = findings.filter((f) => f.controlId === "CG-HYG-006").map((f) => [f.status, f.subject.id, f.evidence.notRecordedBySource ?? null]);
  return { code: r.code, stderr: r.stderr, hyg006 };
}

describe("an unknown password time, end to end", () => {
  it("AD pwdLastSet 0 on a never-expiring admin: not_evaluated, the other admin fails, the run is complete", () => {
    const r = scan("pending", [domain, krbtgt, oldAdmin, pendingAdmin("0")]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.hyg006).toEqual([
      ["fail", "corp-ad:00000000-0000-4000-8000-00000000044d", null],
      ["not_evaluated", "corp-ad:00000000-0000-4000-8000-00000000044e", true],
    ]);
  }, 240_000);

  it("pwdLastSet left out of the export: a gap, CG-HYG-006 in error for the domain, exit 3", () => {
    const r = scan("filtered", [domain, krbtgt, oldAdmin, pendingAdmin(undefined)]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/pwdLastSet/);
    expect(r.hyg006.filter(([status]) => status === "pass")).toEqual([]);
    expect(r.hyg006).toContainEqual(["error", "corp-ad", null]);
  }, 240_000);
});
