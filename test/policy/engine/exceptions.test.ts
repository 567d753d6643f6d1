import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/errors.ts";
import type { Finding } from "../../../src/policy/engine/index.ts";
import { applyExceptions } from "../../../src/policy/exceptions/apply.ts";
import { parseExceptions } from "../../../src/policy/exceptions/load.ts";

function finding(controlId: string, id: string, status: Finding["status"] = "fail"): Finding {
  return {
    controlId,
    title: controlId,
    severity: "high",
    status,
    subject: { source: "corp-ad", kind: "service", id, name: id.split(":")[1] ?? id },
    message: "m",
    evidence: {},
    mappings: { nist_csf_2: [], owasp_nhi_2025: [], cis_v8: [], iso27001_2022: [] },
    remediation: "r",
    rotation: { eligible: false, rotator: null },
  };
}

const file = `exceptions:
  - control: CG-RESET-005
    subject: "corp-ad:svc-legacy-*"
    reason: vendor appliance cannot use a gMSA
    approver: ciso@corp.example
    ticket: SEC-42
    expires: 2026-12-31
  - control: CG-NHI-*
    subject: old-app
    reason: decommissioning
    approver: it-lead@corp.example
    ticket: SEC-43
    expires: 2026-01-31
`;

describe("exceptions", () => {
  const exceptions = parseExceptions(file, "exceptions.yaml");
  const now = new Date("2026-06-01T00:00:00Z");

  it("parses entries with their line numbers", () => {
    expect(exceptions.map((e) => [e.control, e.line])).toEqual([
      ["CG-RESET-005", 2],
      ["CG-NHI-*", 8],
    ]);
  });

  it("marks matching failing findings excepted (by subject id or name glob) and keeps their status", () => {
    const out = applyExceptions([finding("CG-RESET-005", "corp-ad:svc-legacy-erp"), finding("CG-RESET-005", "corp-ad:svc-sql")], exceptions, now);
    expect(out.findings[0].status).toBe("fail");
    expect(out.findings[0].excepted).toEqual({ reason: "vendor appliance cannot use a gMSA", approver: "ciso@corp.example", ticket: "SEC-42", expires: "2026-12-31", file: "exceptions.yaml", line: 2 });
    expect(out.findings[1].excepted).toBeUndefined();
    expect(out.exceptedCount).toBe(1);
  });

  it("never excepts passes or errors", () => {
    const out = applyExceptions([finding("CG-RESET-005", "corp-ad:svc-legacy-x", "error")], exceptions, now);
    expect(out.findings[0].excepted).toBeUndefined();
  });

  it("stops applying expired exceptions and warns about them", () => {
    const out = applyExceptions([finding("CG-NHI-001", "corp-entra:old-app")], exceptions, now);
    expect(out.findings[0].excepted).toBeUndefined();
    expect(out.warnings.join("\n")).toMatch(/exceptions\.yaml:8: exception for CG-NHI-\* old-app \(ticket SEC-43\) expired on 2026-01-31 and no longer applies \(1 failing finding would have matched\)/);
  });

  it("applies a date-only expiry through the end of that day", () => {
    const lastDay = applyExceptions([finding("CG-RESET-005", "corp-ad:svc-legacy-x")], exceptions, new Date("2026-12-31T23:00:00Z"));
    expect(lastDay.findings[0].excepted).toBeDefined();
    const dayAfter = applyExceptions([finding("CG-RESET-005", "corp-ad:svc-legacy-x")], exceptions, new Date("2027-01-01T00:00:01Z"));
    expect(dayAfter.findings[0].excepted).toBeUndefined();
  });

  it("warns about exceptions that match nothing", () => {
    const out = applyExceptions([], exceptions, now);
    expect(out.warnings.some((w) => w.includes("matched no failing finding"))).toBe(true);
  });

  it("rejects an exception without an expiry, naming file, line and field", () => {
    const error = (() => {
      try {
        parseExceptions("exceptions:\n  - control: CG-RESET-005\n    subject: x\n    reason: r\n    approver: a\n    ticket: t\n", "exceptions.yaml");
      } catch (e) {
        return e;
      }
    })() as UserInputError;
    expect(error).toBeInstanceOf(UserInputError);
    expect(error.format()).toMatch(/^exceptions\.yaml:2:\d+ exceptions\[0\]\.expires: /);
  });

  it("rejects a malformed expiry date", () => {
    expect(() => parseExceptions(file.replace("2026-12-31", "next year"), "exceptions.yaml")).toThrow(/date \(YYYY-MM-DD\) or an RFC 3339 time/);
    expect(() => parseExceptions(file.replace("2026-12-31", "2026-13-45"), "exceptions.yaml")).toThrow(/not a valid date/);
  });
});
