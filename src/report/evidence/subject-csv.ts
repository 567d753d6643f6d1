// The full list of failing subjects of each control, as CSV beside the PDF and the HTML
// (which show the first N): an auditor samples from it. RFC 4180 quoting; one row per finding.
import type { Finding } from "../../policy/engine/finding.ts";

export function subjectCsvPath(controlId: string): string {
  return `subjects/${controlId.replace(/[^A-Za-z0-9._-]/g, "_")}.csv`;
}

const header = ["control", "severity", "subject", "directory", "kind", "subject_id", "message", "evidence", "excepted_until", "approver", "ticket"];

/** CSV lines (with the header) of the failing findings of one control. */
export function* subjectCsvLines(findings: Iterable<Finding>): Generator<string> {
  yield `${header.join(",")}\r\n`;
  for (const f of findings) {
    if (f.status !== "fail") continue;
    yield `${[
      f.controlId,
      f.severity,
      f.subject.name,
      f.subject.source,
      f.subject.kind,
      f.subject.id,
      f.message,
      JSON.stringify(f.evidence),
      f.excepted?.expires ?? "",
      f.excepted?.approver ?? "",
      f.excepted?.ticket ?? "",
    ]
      .map(csvField)
      .join(",")}\r\n`;
  }
}

// A leading =, +, - or @ makes spreadsheets run the cell as a formula; directory data is
// attacker-influenced, so such cells are prefixed with a quote mark (OWASP CSV injection).
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
