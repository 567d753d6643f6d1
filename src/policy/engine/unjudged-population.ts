// A control's `not_applicable` ("no <population> in this source") is wrong when the source's
// subjects are there but each was left unjudged (a per-subject `not_evaluated`: a fact the
// verdict needs is unknown). Coverage in Rego counts only judged subjects and cannot see the
// control's own results (nor, in a sharded run, another batch's), so the verdict is withdrawn
// here, where every result of the run is at hand; the subjects' own results remain.
import type { RegoResult } from "./rego-result.ts";

/** Subject kinds of run-level results, which stand for no subject of a population. */
const runLevelKinds = new Set(["population", "source", "estate", "policy"]);

export function withoutNotApplicableOverUnjudged(results: readonly RegoResult[]): RegoResult[] {
  const unjudgedIn = new Set<string>();
  const unjudgedControls = new Set<string>();
  for (const r of results) {
    if (r.status !== "not_evaluated" || runLevelKinds.has(r.subject.kind)) continue;
    unjudgedIn.add(`${r.control}\u0000${r.subject.source}`);
    unjudgedControls.add(r.control);
  }
  if (unjudgedControls.size === 0) return results as RegoResult[];
  return results.filter((r) => {
    if (r.status !== "not_applicable" || r.subject.kind !== "population") return true;
    // An estate-wide population (correlated identities) spans every source.
    const unjudged = r.subject.source === "estate" ? unjudgedControls.has(r.control) : unjudgedIn.has(`${r.control}\u0000${r.subject.source}`);
    return !unjudged;
  });
}
