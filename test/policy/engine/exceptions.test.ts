import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/errors.ts";
import { userInputErrorThrownBy } from "../../user-input-error.ts";
import type { Finding } from "../../../src/policy/engine/index.ts";
import { applyExceptions } from "../../../src/policy/exceptions/apply.ts";
import { parseExceptions } from "../../../src/policy/exceptions/load.ts";
import { compileGlob } from "../../../src/policy/exceptions/subject-pattern.ts";

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
    expect(() => parseExceptions(file.replace("2026-12-31", "2026-13-45"), "exceptions.yaml")).toThrow(/not a valid calendar date/);
  });
});

describe("exceptions: hardening", () => {
  const entry = (fields: string) => `exceptions:\n  - control: CG-RESET-005\n    subject: "corp-ad:svc-legacy-*"\n    reason: r\n    approver: a\n    ticket: T-1\n${fields}`;
  const now = new Date("2026-06-01T00:00:00Z");
  const error = userInputErrorThrownBy;

  it("matches a pathological glob in linear time (it used to hang evaluation)", () => {
    const [exception] = parseExceptions(entry("    expires: 2026-12-31\n").replace('"corp-ad:svc-legacy-*"', '"*?*?*?*?*?*?*?*?*?#"').replace("\n    ticket", "\n    allowBroad: true\n    ticket"), "exceptions.yaml", now);
    // A backtracking matcher would not finish on this subject (nine stars over 100,000 characters).
    const subject = `corp-ad:${"a".repeat(100_000)}`;
    const out = applyExceptions([finding("CG-RESET-005", subject)], [exception], now);
    expect(out.findings[0].excepted).toBeUndefined();
    expect(applyExceptions([finding("CG-RESET-005", `${subject}#`)], [exception], now).findings[0].excepted).toBeDefined();
  });

  it("matches globs exactly: * any run, ? one character, the rest literal", () => {
    const cases: [string, string, boolean][] = [
      ["corp-ad:svc-*", "corp-ad:svc-sql", true],
      ["corp-ad:svc-*", "corp-ad:sv", false],
      ["*:svc-?ql", "corp-ad:svc-sql", true],
      ["*:svc-?ql", "corp-ad:svc-sqll", false],
      ["a*b*c", "abc", true],
      ["a*b*c", "acb", false],
      ["corp.ad", "corpXad", false],
      ["x?", "x😀", true],
    ];
    for (const [pattern, subject, expected] of cases) expect(compileGlob(pattern).test(subject), `${pattern} ~ ${subject}`).toBe(expected);
  });

  it("rejects a subject pattern * (broad) without allowBroad, naming file, line and entry", () => {
    const e = error(() => parseExceptions(entry("    expires: 2026-12-31\n").replace('"corp-ad:svc-legacy-*"', '"*"'), "exceptions.yaml", now));
    expect(e.format()).toMatch(/^exceptions\.yaml:2:\d+ exceptions\[0\]: this exception is broad: subject pattern "\*" has fewer than 3 literal characters; narrow it, or set allowBroad: true/);
  });

  it("rejects an exception expiring in 9999 without allowBroad; with it, the exception is listed with what it excepted", () => {
    expect(error(() => parseExceptions(entry("    expires: 9999-12-31\n"), "exceptions.yaml", now)).message).toMatch(/long-lived: it expires 9999-12-31, more than 366 days from now/);
    const accepted = parseExceptions(entry("    expires: 9999-12-31\n    allowBroad: true\n"), "exceptions.yaml", now);
    const out = applyExceptions([finding("CG-RESET-005", "corp-ad:svc-legacy-erp")], accepted, now);
    expect(out.findings[0].excepted).toBeDefined();
    expect(out.warnings).toContainEqual(expect.stringMatching(/^exceptions\.yaml:2: allowBroad exception for CG-RESET-005 corp-ad:svc-legacy-\* until 9999-12-31 \(long-lived: .*\) excepted 1 failing finding\(s\)$/));
  });

  it("accepts only calendar dates: 2026-02-30 and 2026-04-31T10:00:00Z are refused", () => {
    for (const bad of ["2026-02-30", "2026-04-31T10:00:00Z", "2026-01-01T24:00:00Z", "2025-02-29"]) {
      expect(error(() => parseExceptions(entry(`    expires: "${bad}"\n`), "exceptions.yaml", now)).format(), bad).toMatch(/exceptions\.yaml:\d+:\d+ exceptions\[0\]\.expires: .* is not a valid calendar date/);
    }
    expect(parseExceptions(entry("    expires: 2028-02-29\n    allowBroad: true\n"), "exceptions.yaml", now)).toHaveLength(1);
  });

  it("reports a YAML alias bomb and an unresolved alias with file and line (not an internal error)", () => {
    const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`), "exceptions: []"].join("\n");
    const e = error(() => parseExceptions(bomb, "exceptions.yaml", now));
    expect(e.format()).toMatch(/^exceptions\.yaml:2:\d+ YAML aliases expand too far/);
    expect(error(() => parseExceptions("exceptions: *nothing\n", "exceptions.yaml", now)).format()).toMatch(/^exceptions\.yaml:1:\d+ invalid YAML alias/);
  });
});
