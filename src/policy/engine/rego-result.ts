// What each policy package's `results` rule yields, checked before it is trusted: a policy
// from an extra directory or a bundle may emit anything.
import type { FindingStatus, FindingSubject } from "./finding.ts";
import { findingStatuses } from "./finding.ts";

export interface RegoResult {
  control: string;
  status: FindingStatus;
  subject: FindingSubject;
  evidence: Record<string, unknown>;
  message: string;
}

/** Returns the result, or a sentence saying what is wrong with it. */
export function checkRegoResult(value: unknown): RegoResult | string {
  if (!value || typeof value !== "object" || Array.isArray(value)) return "result is not an object";
  const r = value as Record<string, unknown>;
  if (typeof r.control !== "string" || r.control === "") return "result has no control id";
  if (!findingStatuses.includes(r.status as FindingStatus)) return `result for ${r.control} has status ${JSON.stringify(r.status)}`;
  const s = r.subject as Record<string, unknown> | undefined;
  if (!s || typeof s !== "object" || typeof s.id !== "string") return `result for ${r.control} has no subject id`;
  const subject: FindingSubject = {
    source: typeof s.source === "string" ? s.source : "",
    kind: typeof s.kind === "string" ? s.kind : "",
    id: s.id,
    name: typeof s.name === "string" ? s.name : s.id,
  };
  const evidence = r.evidence && typeof r.evidence === "object" && !Array.isArray(r.evidence) ? (r.evidence as Record<string, unknown>) : {};
  return {
    control: r.control,
    status: r.status as FindingStatus,
    subject,
    evidence,
    message: typeof r.message === "string" ? r.message : `${r.control} ${String(r.status)}`,
  };
}
