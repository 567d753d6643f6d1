// The CI gate: exit 1 when a non-excepted failing finding is at or above --fail-on.
import { UserInputError } from "../errors.ts";
import { severities, type Severity } from "../policy/catalog/types.ts";
import type { Finding } from "../policy/engine/finding.ts";
import { severityRank } from "./control-summary.ts";

export type FailOn = Severity | "none";

export function parseFailOn(value: string, field = "--fail-on"): FailOn {
  const v = value.toLowerCase();
  if (v === "none" || (severities as readonly string[]).includes(v)) return v as FailOn;
  throw new UserInputError(`must be one of ${severities.join(", ")}, none (got ${JSON.stringify(value)})`, { field });
}

export function gatingFindings(findings: readonly Finding[], failOn: FailOn): Finding[] {
  if (failOn === "none") return [];
  const min = severityRank[failOn];
  return findings.filter((f) => f.status === "fail" && !f.excepted && severityRank[f.severity] >= min);
}
