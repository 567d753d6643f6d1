// JUnit XML for CI test reporters, in the shape the strictest consumer checks (Jenkins xUnit
// plugin's junit-10.xsd): one testsuite per control, one testcase per subject; a fail is a
// <failure>, a collection error an <error>, not_evaluated, not_applicable and excepted fails are <skipped>
// with the reason. Pass records stand for their whole population. The policy library is
// evaluated in one call, so the run's time is on <testsuites>; suites and cases state 0.
import { create } from "xmlbuilder2";
import type { Finding } from "../../policy/engine/finding.ts";
import { passedSubjects, summarizeControls } from "../control-summary.ts";
import type { FindingsOutput } from "./output.ts";


export const junitOutput: FindingsOutput = {
  kind: "findings",
  name: "junit",
  files: ["junit.xml"],
  render: ({ findings, generatedAt, durationSeconds }) => ({ "junit.xml": renderJunit(findings, { timestamp: generatedAt, durationSeconds }) }),
};

export interface JunitOptions {
  timestamp: string;
  /** Seconds the evaluation took. */
  durationSeconds?: number;
}

export function renderJunit(findings: readonly Finding[], options: JunitOptions): string {
  const summaries = summarizeControls(findings);
  const byControl = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = byControl.get(f.controlId) ?? [];
    list.push(f);
    byControl.set(f.controlId, list);
  }
  const totals = { tests: 0, failures: 0, errors: 0 };
  for (const s of summaries) {
    totals.tests += byControl.get(s.controlId)?.length ?? 0;
    totals.failures += s.failed;
    totals.errors += s.errors;
  }
  // junit-10.xsd: <testsuites> has no `skipped`; `time` is SUREFIRE_TIME (at most 3 decimals).
  const root = create({ version: "1.0", encoding: "UTF-8" }).ele("testsuites", {
    name: "credgov",
    time: seconds(options.durationSeconds ?? 0),
    tests: String(totals.tests),
    failures: String(totals.failures),
    errors: String(totals.errors),
  });
  for (const s of summaries) {
    const cases = byControl.get(s.controlId) ?? [];
    const suite = root.ele("testsuite", {
      name: text(`${s.controlId} ${s.title}`),
      tests: String(cases.length),
      failures: String(s.failed),
      errors: String(s.errors),
      skipped: String(s.notEvaluated + s.notApplicable + s.excepted),
      time: "0",
      timestamp: options.timestamp,
    });
    for (const f of cases) {
      const name = `${f.subject.source ? `${f.subject.source} ` : ""}${f.subject.kind} ${f.subject.name} (${f.subject.id})`;
      const testcase = suite.ele("testcase", { classname: s.controlId, name: text(name), time: "0" });
      if (f.status === "pass") {
        testcase.ele("system-out").txt(text(`${f.message} (population ${String(f.evidence.population ?? passedSubjects(f))})`));
      } else if (f.status === "fail" && f.excepted) {
        testcase.ele("skipped", { message: text(`excepted: ${f.excepted.reason} (${f.excepted.approver}, ${f.excepted.ticket}, until ${f.excepted.expires})`) });
      } else if (f.status === "fail") {
        testcase.ele("failure", { message: text(f.message), type: f.severity }).txt(text(JSON.stringify(f.evidence, null, 2)));
      } else if (f.status === "error") {
        testcase.ele("error", { message: text(f.message), type: "collection" });
      } else {
        testcase.ele("skipped", { message: text(f.message) });
      }
    }
  }
  return `${root.end({ prettyPrint: true })}\n`;
}

function seconds(value: number): string {
  return Math.max(0, value).toFixed(3);
}

// XML 1.0 forbids most control characters even escaped; directory data can contain them.
// eslint-disable-next-line no-control-regex -- matching exactly those characters is the point
const forbiddenInXml = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

function text(value: string): string {
  return value.replace(forbiddenInXml, "\uFFFD");
}
