// The drift report: the estate against the declared baseline, the baseline against the
// policy library, and this scan against an earlier one. drift.json is this object; drift.md
// and drift.sarif are rendered from it.
import type { BaselineCheck } from "./baseline/check.ts";
import type { DriftItem } from "./baseline/drift-item.ts";
import type { BaselineLocation } from "./baseline/types.ts";
import type { FailingFinding, FindingDiff } from "./finding-diff.ts";
import type { ObjectDiff } from "./object-diff.ts";

export interface BaselineCheckEntry {
  controlId: string;
  title: string;
  severity: string;
  message: string;
  remediation: string;
  settings: string[];
  locations: BaselineLocation[];
  evidence: Record<string, unknown>;
}

export interface BaselineSection {
  file: string;
  /** Where the estate differs from the baseline (or could not be compared). */
  items: DriftItem[];
  /** Controls of the policy library the baseline itself fails: it declares something too weak. */
  checks: BaselineCheckEntry[];
}

export interface SinceSection {
  against: { kind: "scan" | "snapshot"; id?: string; file?: string; generatedAt: string };
  findings: { new: FailingFinding[]; resolved: FailingFinding[]; persisting: FailingFinding[] };
  /** Absent when the earlier scan's snapshot was not kept; `objectsUnavailable` says why. */
  objects?: ObjectDiff;
  objectsUnavailable?: string;
}

export interface DriftReport {
  version: 1;
  generatedAt: string;
  snapshot: { file: string; generatedAt: string };
  baseline?: BaselineSection;
  since?: SinceSection;
  summary: DriftSummary;
}

export interface DriftSummary {
  /** True when anything counts as drift: `--fail-on-drift` exits 1. */
  drift: boolean;
  baselineDrift: number;
  baselineUnknown: number;
  baselineWeakened: number;
  newFindings: number;
  resolvedFindings: number;
  persistingFindings: number;
  objectChanges: number;
  /** Sources not collected in full (`id (status)`), now or in the earlier scan: the run is incomplete (exit 3). */
  incompleteSources: string[];
}

export function baselineSection(file: string, items: DriftItem[], checks: BaselineCheck[]): BaselineSection {
  return {
    file,
    items,
    checks: checks.map((c) => ({
      controlId: c.finding.controlId,
      title: c.finding.title,
      severity: c.finding.severity,
      message: c.finding.message,
      remediation: c.finding.remediation,
      settings: c.settings,
      locations: c.locations,
      evidence: c.finding.evidence,
    })),
  };
}

export function sinceSection(against: SinceSection["against"], findings: FindingDiff, objects: ObjectDiff | string): SinceSection {
  return { against, findings, ...(typeof objects === "string" ? { objectsUnavailable: objects } : { objects }) };
}

export function driftReport(input: { generatedAt: string; snapshot: DriftReport["snapshot"]; baseline?: BaselineSection; since?: SinceSection; incompleteSources?: string[] }): DriftReport {
  const { incompleteSources = [], ...parts } = input;
  const items = parts.baseline?.items ?? [];
  const summary: DriftSummary = {
    drift: false,
    baselineDrift: items.filter((i) => i.status === "drift").length,
    baselineUnknown: items.filter((i) => i.status === "unknown").length,
    baselineWeakened: parts.baseline?.checks.length ?? 0,
    newFindings: parts.since?.findings.new.length ?? 0,
    resolvedFindings: parts.since?.findings.resolved.length ?? 0,
    persistingFindings: parts.since?.findings.persisting.length ?? 0,
    objectChanges: parts.since?.objects?.changes.length ?? 0,
    incompleteSources,
  };
  summary.drift = summary.baselineDrift + summary.baselineWeakened + summary.newFindings + summary.objectChanges > 0;
  return { version: 1, ...parts, summary };
}
