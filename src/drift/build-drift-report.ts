// The drift stage: given a snapshot (and its findings), the baseline and/or an earlier scan,
// produce the drift report. Reading files and history is the caller's; this only compares.
import type { Finding } from "../policy/engine/finding.ts";
import type { Snapshot } from "../snapshot/types.ts";
import { checkBaseline, type BaselineCheckOptions } from "./baseline/check.ts";
import { compareWithBaseline } from "./baseline/compare.ts";
import type { Baseline } from "./baseline/types.ts";
import { baselineSection, driftReport, sinceSection, type DriftReport, type SinceSection } from "./drift-report.ts";
import { diffFindings, failingFindings, type FailingFinding } from "./finding-diff.ts";
import { diffWithIndex } from "./object-diff.ts";
import type { SnapshotIndex } from "./snapshot-index.ts";

export interface EarlierScan {
  against: SinceSection["against"];
  failing: FailingFinding[];
  /** The earlier snapshot, indexed (see snapshot-index.ts), or why it is not available. */
  snapshot: SnapshotIndex | string;
  /** Its sources that were not collected in full (`id (status)`), when known. */
  incompleteSources?: string[];
}

export interface DriftInputs {
  snapshotFile: string;
  snapshot: Snapshot;
  /** Findings of `snapshot`; needed with `since`. */
  findings?: readonly Finding[];
  baseline?: Baseline;
  since?: EarlierScan;
  /** How the policy library checks the baseline (catalog, thresholds, extra policies). */
  check: Omit<BaselineCheckOptions, "now">;
  /** Evaluation time for the baseline check (default: the snapshot's generatedAt). */
  now?: string;
  generatedAt?: string;
}

export async function buildDriftReport(inputs: DriftInputs): Promise<DriftReport> {
  const { snapshot } = inputs;
  const baseline = inputs.baseline
    ? baselineSection(inputs.baseline.file, compareWithBaseline(inputs.baseline, snapshot), await checkBaseline(inputs.baseline, { ...inputs.check, now: inputs.now ?? snapshot.generatedAt }))
    : undefined;
  let since: SinceSection | undefined;
  if (inputs.since) {
    const findings = diffFindings(inputs.since.failing, failingFindings(inputs.findings ?? []));
    const objects = typeof inputs.since.snapshot === "string" ? inputs.since.snapshot : diffWithIndex(inputs.since.snapshot, snapshot);
    since = sinceSection(inputs.since.against, findings, objects);
  }
  // A source not collected in full, now or in the earlier scan: what it left unknown would read
  // as removed or added, so the run is incomplete, as evaluate and scan say.
  const incompleteSources = [...incompleteSourcesOf(snapshot.sources), ...(inputs.since?.incompleteSources ?? []).map((s) => `${s} in the earlier scan`)];
  return driftReport({
    generatedAt: inputs.generatedAt ?? new Date().toISOString(),
    snapshot: { file: inputs.snapshotFile, generatedAt: snapshot.generatedAt },
    incompleteSources,
    ...(baseline ? { baseline } : {}),
    ...(since ? { since } : {}),
  });
}

/** The sources not collected in full, as `id (status)`. */
export function incompleteSourcesOf(sources: readonly { id: string; status: string }[]): string[] {
  return sources.filter((s) => s.status !== "ok").map((s) => `${s.id} (${s.status})`);
}
