// Per-control counts that the terminal table, summary.md and junit.xml all show. Pass
// findings carry a population (evidence.population / evidence.passing), so "passed" counts
// subjects, not pass records.
import type { Severity } from "../policy/catalog/types.ts";
import type { Finding } from "../policy/engine/finding.ts";

export interface ControlSummary {
  controlId: string;
  title: string;
  severity: Severity;
  failed: number;
  excepted: number;
  passed: number;
  errors: number;
  notEvaluated: number;
  notApplicable: number;
}

export const severityRank: Record<Severity, number> = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };

export function summarizeControls(findings: readonly Finding[]): ControlSummary[] {
  const byControl = new Map<string, ControlSummary>();
  for (const f of findings) {
    let s = byControl.get(f.controlId);
    if (!s) {
      s = { controlId: f.controlId, title: f.title, severity: f.severity, failed: 0, excepted: 0, passed: 0, errors: 0, notEvaluated: 0, notApplicable: 0 };
      byControl.set(f.controlId, s);
    }
    if (f.status === "fail") {
      if (f.excepted) s.excepted++;
      else s.failed++;
    } else if (f.status === "pass") {
      s.passed += passedSubjects(f);
    } else if (f.status === "error") {
      s.errors++;
    } else if (f.status === "not_applicable") {
      s.notApplicable++;
    } else {
      s.notEvaluated++;
    }
  }
  return [...byControl.values()].sort((a, b) => (a.controlId < b.controlId ? -1 : a.controlId > b.controlId ? 1 : 0));
}

/** Subjects a pass finding stands for: its population's passing count, else 1. */
export function passedSubjects(f: Finding): number {
  const passing = f.evidence.passing;
  return typeof passing === "number" && Number.isFinite(passing) && passing >= 0 ? passing : 1;
}

export interface Totals {
  failed: number;
  excepted: number;
  passed: number;
  errors: number;
  notEvaluated: number;
  notApplicable: number;
  failedBySeverity: Record<Severity, number>;
}

export function totals(summaries: readonly ControlSummary[]): Totals {
  const t: Totals = { failed: 0, excepted: 0, passed: 0, errors: 0, notEvaluated: 0, notApplicable: 0, failedBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } };
  for (const s of summaries) {
    t.failed += s.failed;
    t.excepted += s.excepted;
    t.passed += s.passed;
    t.errors += s.errors;
    t.notEvaluated += s.notEvaluated;
    t.notApplicable += s.notApplicable;
    t.failedBySeverity[s.severity] += s.failed;
  }
  return t;
}
