// The CLI side of the drift stage, shared by `drift` and `scan --baseline/--since`: resolves the
// earlier scan (a snapshot file, else the history), runs the stage, writes drift.json/md/sarif
// when an output folder is given and prints the summary.
import type { CommandContext } from "./context.ts";
import { packageVersion } from "../package-version.ts";
import type { CredgovConfig } from "../config/types.ts";
import type { Baseline } from "../drift/baseline/types.ts";
import type { DriftReport } from "../drift/drift-report.ts";
import { renderDriftSummary } from "../drift/outputs/drift-summary.ts";
import { writeDriftOutputs } from "../drift/outputs/write-drift-outputs.ts";
import { earlierScanFromSnapshot, runDrift, sinceIsSnapshotFile } from "../drift/run-drift.ts";
import { earlierScanFromHistory } from "../history/earlier-scan.ts";
import { historyLocation } from "../history/location.ts";
import type { Finding } from "../policy/engine/finding.ts";
import type { Snapshot } from "../snapshot/types.ts";

export interface DriftReportOptions {
  snapshotFile: string;
  snapshot: Snapshot;
  /** Findings of the snapshot, when the caller evaluated it already (scan). */
  findings?: readonly Finding[];
  config?: CredgovConfig;
  baseline?: Baseline;
  /** --since: last, a scan id of the history, or a snapshot file. */
  since?: string;
  /** --history flag. */
  history?: string;
  out?: string;
  now?: string;
}

export async function driftAndReport(options: DriftReportOptions, ctx: CommandContext): Promise<DriftReport> {
  const { since } = options;
  const earlier =
    since === undefined
      ? undefined
      : sinceIsSnapshotFile(since)
        ? await earlierScanFromSnapshot(since, options.config, options.now)
        : await earlierScanFromHistory(historyLocation(options.history, options.config), since, { log: ctx.output });
  const report = await runDrift({ ...options, earlier, log: ctx.output });
  if (options.out) {
    const written = await writeDriftOutputs(report, { dir: options.out, toolVersion: packageVersion });
    ctx.output.info(`wrote ${written.join(", ")}`);
  }
  ctx.output.result(renderDriftSummary(report));
  for (const source of report.summary.incompleteSources) ctx.output.warn(`incomplete: ${source} was not collected in full: what it left unknown may show as removed, added or changed`);
  return report;
}
