// JUnit XML for CI test reporters: one testsuite per control, one testcase per subject; a
// fail is a <failure>, a collection error an <error>, not_evaluated, not_applicable and excepted fails are
// <skipped> with the reason. Pass records stand for their whole population.
import type { Finding } from "../policy/engine/finding.ts";
import { passedSubjects, summarizeControls } from "./control-summary.ts";

export function renderJunit(findings: readonly Finding[], options: { timestamp: string }): string {
  const summaries = summarizeControls(findings);
  const byControl = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byControl.get(f.controlId) ?? [];
    list.push(f);
    byControl.set(f.controlId, list);
  }
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suites: string[] = [];
  for (const s of summaries) {
    const cases: string[] = [];
    for (const f of byControl.get(s.controlId) ?? []) {
      const name = `${f.subject.source ? `${f.subject.source} ` : ""}${f.subject.kind} ${f.subject.name} (${f.subject.id})`;
      const open = `    <testcase classname="${xml(s.controlId)}" name="${xml(name)}"`;
      if (f.status === "pass") {
        cases.push(`${open}>\n      <system-out>${xml(`${f.message} (population ${String(f.evidence.population ?? passedSubjects(f))})`)}</system-out>\n    </testcase>`);
      } else if (f.status === "fail" && f.excepted) {
        cases.push(`${open}>\n      <skipped message="${xml(`excepted: ${f.excepted.reason} (${f.excepted.approver}, ${f.excepted.ticket}, until ${f.excepted.expires})`)}"/>\n    </testcase>`);
      } else if (f.status === "fail") {
        cases.push(`${open}>\n      <failure message="${xml(f.message)}" type="${f.severity}">${xml(JSON.stringify(f.evidence, null, 2))}</failure>\n    </testcase>`);
      } else if (f.status === "error") {
        cases.push(`${open}>\n      <error message="${xml(f.message)}" type="collection"/>\n    </testcase>`);
      } else {
        cases.push(`${open}>\n      <skipped message="${xml(f.message)}"/>\n    </testcase>`);
      }
    }
    const suiteSkipped = s.notEvaluated + s.notApplicable + s.excepted;
    tests += cases.length;
    failures += s.failed;
    errors += s.errors;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="${xml(`${s.controlId} ${s.title}`)}" tests="${cases.length}" failures="${s.failed}" errors="${s.errors}" skipped="${suiteSkipped}" timestamp="${xml(options.timestamp)}">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="credgov" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n${suites.join("\n")}\n</testsuites>\n`;
}

// XML 1.0 forbids most control characters even escaped; directory data can contain them.
// eslint-disable-next-line no-control-regex -- matching exactly those characters is the point
const forbiddenInXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function xml(text: string): string {
  return text
    .replace(forbiddenInXml, "\uFFFD")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}
