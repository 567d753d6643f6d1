// The drift stage as a library function: a snapshot compared with a declared baseline and/or
// an earlier scan -> a drift report. The earlier scan is a snapshot file (earlierScanFromSnapshot
// here) or a scan recorded in the history (src/history/earlier-scan.ts, which sits above this
// folder). Writing drift.json/md/sarif is outputs/write-drift-outputs.ts's.
import { existsSync, statSync } from "node:fs";
import { ExitCode } from "../errors.ts";
import type { CredgovConfig } from "../config/types.ts";
import { loadCatalog } from "../policy/catalog/load.ts";
import { evaluateSnapshot } from "../policy/engine/evaluate.ts";
import type { Finding } from "../policy/engine/finding.ts";
import { silentLog, type RunLog } from "../run-log.ts";
import { readSnapshot } from "../snapshot/store.ts";
import type { Snapshot } from "../snapshot/types.ts";
import type { Baseline } from "./baseline/types.ts";
import { buildDriftReport, incompleteSourcesOf, type EarlierScan } from "./build-drift-report.ts";
import type { DriftReport } from "./drift-report.ts";
import { failingFindings } from "./finding-diff.ts";
import { indexSnapshotFile } from "./snapshot-index.ts";

export interface DriftRunOptions {
  snapshotFile: string;
  snapshot: Snapshot;
  /** Findings of the snapshot, when the caller evaluated it already (scan). */
  findings?: readonly Finding[];
  config?: CredgovConfig;
  baseline?: Baseline;
  /** The earlier scan to compare with (its failing findings and objects). */
  earlier?: EarlierScan;
  now?: string;
  log?: RunLog;
}

export async function runDrift(options: DriftRunOptions): Promise<DriftReport> {
  const log = options.log ?? silentLog;
  const check = { catalog: loadCatalog(), thresholds: options.config?.thresholds, policyDirs: options.config?.policies.dirs, warn: (m: string) => log.warn(m) };
  let findings = options.findings;
  if (options.earlier) findings ??= await evaluate(options.snapshot, options.config, options.now);
  return buildDriftReport({ snapshotFile: options.snapshotFile, snapshot: options.snapshot, findings, baseline: options.baseline, since: options.earlier, check, now: options.now });
}

/** Exit code of a drift run: 3 when part of the baseline could not be judged or a source was not collected in full, 1 on drift with --fail-on-drift. */
export function driftExitCode(report: DriftReport, failOnDrift: boolean): ExitCode {
  if (report.summary.baselineUnknown > 0 || report.summary.incompleteSources.length > 0) return ExitCode.collectionIncomplete;
  return failOnDrift && report.summary.drift ? ExitCode.findings : ExitCode.ok;
}

/** `--since` names a snapshot file (rather than `last` or a scan id of the history). */
export function sinceIsSnapshotFile(since: string): boolean {
  return since !== "last" && existsSync(since) && statSync(since).isFile();
}

/** An earlier snapshot file: its failing findings (evaluated now) and an index of its objects. */
export async function earlierScanFromSnapshot(file: string, config: CredgovConfig | undefined, now: string | undefined): Promise<EarlierScan> {
  // Its findings first, then its objects: the parsed snapshot is let go before indexing.
  const earlier = await readSnapshot(file);
  const failing = failingFindings(await evaluate(earlier, config, now));
  const incompleteSources = incompleteSourcesOf(earlier.sources);
  const index = await indexSnapshotFile(file);
  return { against: { kind: "snapshot", file, generatedAt: index.generatedAt }, failing, snapshot: index, incompleteSources };
}

async function evaluate(snapshot: Snapshot, config: CredgovConfig | undefined, now: string | undefined): Promise<Finding[]> {
  const evaluation = await evaluateSnapshot(snapshot, { catalog: loadCatalog(), thresholds: config?.thresholds, policyDirs: config?.policies.dirs, now });
  return evaluation.findings;
}
