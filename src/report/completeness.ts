// The incomplete-run rule (exit 3, ARCHITECTURE.md "Exit codes"): a run is incomplete when a
// source was not collected in full, or a control could not be judged: an `error` finding, or a
// `not_evaluated` one (data that should have been collected is null, or no policy result came
// for the control). `not_applicable` (nothing to judge) never makes a run incomplete, nor does
// a subject's `not_evaluated` whose evidence says `notRecordedBySource: true`: the fact it lacks
// is one the source keeps no value for (AD pwdLastSet 0 records no time), so no collection
// could supply it; the finding still shows the subject unjudged (policies/README.md).
import type { Finding } from "../policy/engine/finding.ts";
import type { Source } from "../snapshot/types.ts";

/** Sentences saying why the run is incomplete; empty when it is complete. */
export function incompleteness(findings: readonly Finding[], sources: readonly Pick<Source, "id" | "status">[]): string[] {
  const reasons: string[] = [];
  const notOk = sources.filter((s) => s.status !== "ok");
  if (notOk.length > 0) reasons.push(`source(s) not collected in full: ${notOk.map((s) => `${s.id} (${s.status})`).join(", ")}`);
  const errors = controlsWith(findings, "error");
  if (errors.length > 0) reasons.push(`${errors.length} control(s) could not be evaluated (error): ${errors.join(", ")}`);
  const unjudged = controlsWith(
    findings.filter((f) => f.evidence.notRecordedBySource !== true),
    "not_evaluated",
  );
  if (unjudged.length > 0) reasons.push(`${unjudged.length} control(s) not evaluated for lack of data: ${unjudged.join(", ")}`);
  return reasons;
}

function controlsWith(findings: readonly Finding[], status: Finding["status"]): string[] {
  return [...new Set(findings.filter((f) => f.status === status).map((f) => f.controlId))].sort();
}
