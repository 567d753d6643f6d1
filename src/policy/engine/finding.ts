// The Findings contract (ARCHITECTURE.md): every output format is rendered from Finding[].
import type { Mappings, Rotator, Severity } from "../catalog/types.ts";

/** not_applicable: nothing to judge (no source of the kind, an empty population); never incomplete. */
export type FindingStatus = "fail" | "pass" | "error" | "not_evaluated" | "not_applicable";

export const findingStatuses: readonly FindingStatus[] = ["fail", "pass", "error", "not_evaluated", "not_applicable"];

export interface FindingSubject {
  source: string;
  kind: string;
  id: string;
  name: string;
}

/**
 * An exception that matched a failing finding. Excepted findings keep status `fail` (the
 * control did fail; auditors see it) and carry this record; `--fail-on` ignores them.
 */
export interface ExceptionRecord {
  reason: string;
  approver: string;
  ticket: string;
  expires: string;
  /** Position of the exception in its file, for auditors. */
  file: string;
  line: number;
}

export interface Finding {
  controlId: string;
  title: string;
  severity: Severity;
  status: FindingStatus;
  subject: FindingSubject;
  message: string;
  evidence: Record<string, unknown>;
  mappings: Mappings;
  remediation: string;
  rotation: { eligible: boolean; rotator: Exclude<Rotator, "by-source"> | null };
  excepted?: ExceptionRecord;
}
