// Findings of two scans matched by stable fingerprints (control, source, subject id: the same
// key SARIF's partialFingerprints use): which failures are new, which were resolved, which persist.
import { createHash } from "node:crypto";
import type { Finding } from "../policy/engine/finding.ts";

/** What history keeps of a failing finding: enough to name it and to fingerprint it. */
export interface FailingFinding {
  controlId: string;
  source: string;
  subjectId: string;
  subjectName: string;
  severity: string;
  excepted?: boolean;
}

export interface FindingDiff {
  new: FailingFinding[];
  resolved: FailingFinding[];
  persisting: FailingFinding[];
}

export function findingFingerprint(f: Pick<FailingFinding, "controlId" | "source" | "subjectId">): string {
  return createHash("sha256").update(`${f.controlId}\0${f.source}\0${f.subjectId}`).digest("hex");
}

export function failingFindings(findings: readonly Finding[]): FailingFinding[] {
  return findings
    .filter((f) => f.status === "fail")
    .map((f) => ({ controlId: f.controlId, source: f.subject.source, subjectId: f.subject.id, subjectName: f.subject.name, severity: f.severity, ...(f.excepted ? { excepted: true } : {}) }));
}

export function diffFindings(before: readonly FailingFinding[], after: readonly FailingFinding[]): FindingDiff {
  const key = (f: FailingFinding) => `${f.controlId}\0${f.source}\0${f.subjectId}`;
  const old = new Set(before.map(key));
  const current = new Set(after.map(key));
  return {
    new: after.filter((f) => !old.has(key(f))),
    resolved: before.filter((f) => !current.has(key(f))),
    persisting: after.filter((f) => old.has(key(f))),
  };
}
