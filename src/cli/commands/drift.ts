// `credgov drift`: compare a snapshot with the declared baseline or an earlier scan, write
// drift.json/md/sarif; also the drift step `scan` runs with --baseline or --since.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode, UserInputError } from "../../errors.ts";
import { prepareOutputDir } from "../output-path.ts";
import { loadConfig } from "../../config/load.ts";
import type { CredgovConfig } from "../../config/types.ts";
import { loadBaseline } from "../../drift/baseline/load.ts";
import type { Baseline } from "../../drift/baseline/types.ts";
import { buildDriftReport, type EarlierScan } from "../../drift/build-drift-report.ts";
import type { DriftReport } from "../../drift/drift-report.ts";
import { failingFindings } from "../../drift/finding-diff.ts";
import { indexSnapshotBytes, indexSnapshotFile } from "../../drift/snapshot-index.ts";
import { writeDriftOutputs } from "../../drift/outputs/write-drift-outputs.ts";
import { historyLocation } from "../../history/location.ts";
import { openHistory } from "../../history/open.ts";
import { loadCatalog } from "../../policy/catalog/load.ts";
import { evaluateSnapshot, type Finding } from "../../policy/engine/index.ts";
import { readSnapshot } from "../../snapshot/store.ts";
import type { Snapshot } from "../../snapshot/types.ts";
import { collectToFile } from "../collect-to-file.ts";
import { checkRfc3339 } from "../evaluation-settings.ts";

const { version } = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };

interface DriftCliOptions {
  snapshot?: string;
  config?: string;
  baseline?: string;
  since?: string;
  history?: string;
  out?: string;
  failOnDrift?: boolean;
  now?: string;
}

/** What `drift` and `scan --baseline/--since` share: settings for the comparison. */
export interface DriftRunOptions {
  snapshotFile: string;
  snapshot: Snapshot;
  /** Findings of the snapshot, when the caller evaluated it already (scan). */
  findings?: readonly Finding[];
  config?: CredgovConfig;
  baseline?: Baseline;
  since?: string;
  /** --history flag. */
  history?: string;
  /** A scan id to skip when resolving `last` (the scan being recorded). */
  currentScanId?: string;
  out?: string;
  now?: string;
}

/** Builds the drift report, writes drift.json/md/sarif when `out` is set, prints the summary. */
export async function runDrift(options: DriftRunOptions, ctx: CommandContext): Promise<DriftReport> {
  const check = { catalog: loadCatalog(), thresholds: options.config?.thresholds, policyDirs: options.config?.policies.dirs, warn: (m: string) => ctx.output.warn(m) };
  let earlier: EarlierScan | undefined;
  let findings = options.findings;
  if (options.since !== undefined) {
    earlier = await earlierScan(options.since, options, ctx);
    findings ??= await evaluate(options.snapshot, options.config, options.now);
  }
  const report = await buildDriftReport({ snapshotFile: options.snapshotFile, snapshot: options.snapshot, findings, baseline: options.baseline, since: earlier, check, now: options.now });
  if (options.out) {
    const written = await writeDriftOutputs(report, { dir: options.out, toolVersion: version });
    ctx.output.info(`wrote ${written.join(", ")}`);
  }
  ctx.output.result(renderDriftSummary(report));
  return report;
}

async function earlierScan(since: string, options: DriftRunOptions, ctx: CommandContext): Promise<EarlierScan> {
  if (since !== "last" && existsSync(since) && statSync(since).isFile()) {
    // Its findings first, then its objects: the parsed snapshot is let go before indexing.
    const failing = failingFindings(await evaluate(await readSnapshot(since), options.config, options.now));
    const index = await indexSnapshotFile(since);
    return { against: { kind: "snapshot", file: since, generatedAt: index.generatedAt }, failing, snapshot: index };
  }
  const store = await openHistory(historyLocation(options.history, options.config));
  try {
    const scan = await store.resolve(since, "--since", options.currentScanId);
    ctx.output.info(`comparing with scan ${scan.id} (${scan.startedAt}) from ${store.location}`);
    const failing = await store.failing(scan.id);
    const bytes = await store.snapshot(scan.id);
    const snapshot = bytes ? await indexSnapshotBytes(bytes) : `scan ${scan.id} was recorded without its snapshot (history.keepSnapshots: false)`;
    if (typeof snapshot === "string") ctx.output.warn(`object-level changes are not available: ${snapshot}`);
    return { against: { kind: "scan", id: scan.id, generatedAt: scan.snapshotGeneratedAt }, failing, snapshot };
  } finally {
    await store.close();
  }
}

async function evaluate(snapshot: Snapshot, config: CredgovConfig | undefined, now: string | undefined): Promise<Finding[]> {
  const evaluation = await evaluateSnapshot(snapshot, { catalog: loadCatalog(), thresholds: config?.thresholds, policyDirs: config?.policies.dirs, now });
  return evaluation.findings;
}

export function renderDriftSummary(report: DriftReport): string {
  const s = report.summary;
  const lines: string[] = [];
  if (report.baseline) {
    for (const c of report.baseline.checks) {
      lines.push(`${report.baseline.file}:${c.locations[0]?.line ?? 1} ${c.settings.join(", ")}: weaker than ${c.controlId} allows: ${c.message}`);
    }
    const shown = report.baseline.items.slice(0, 40);
    for (const i of shown) lines.push(`${i.status === "drift" ? "drift  " : "unknown"} ${i.source} ${i.setting}: ${i.message}`);
    if (report.baseline.items.length > shown.length) lines.push(`... and ${report.baseline.items.length - shown.length} more (see drift.json)`);
    lines.push(`baseline: ${s.baselineDrift} drift, ${s.baselineUnknown} not judged, ${s.baselineWeakened} weaker than the controls allow`);
  }
  if (report.since) {
    const against = report.since.against.kind === "scan" ? `scan ${report.since.against.id}` : report.since.against.file;
    const objects = report.since.objects
      ? Object.entries(report.since.objects.counts)
          .map(([kind, c]) => `${kind} +${c.added} -${c.removed} ~${c.changed}`)
          .join(", ")
      : "object changes not available";
    lines.push(`since ${against}: ${s.newFindings} new, ${s.resolvedFindings} resolved, ${s.persistingFindings} persisting failing findings; ${objects}`);
  }
  lines.push(s.drift ? "drift detected" : "no drift");
  return lines.join("\n");
}

/** Exit code of a drift run: 3 when part of the baseline could not be judged, 1 on drift with --fail-on-drift. */
export function driftExitCode(report: DriftReport, failOnDrift: boolean): ExitCode {
  if (report.summary.baselineUnknown > 0) return ExitCode.collectionIncomplete;
  return failOnDrift && report.summary.drift ? ExitCode.findings : ExitCode.ok;
}

export function registerDrift(program: Command, ctx: CommandContext): void {
  program
    .command("drift")
    .description("compare a snapshot with the declared baseline or an earlier scan")
    .option("-s, --snapshot <file>", "snapshot to compare (default: collect now from --config)")
    .option("-c, --config <file>", "credgov.yaml: sources for a live scan, thresholds, history")
    .option("--baseline <file>", "baseline.yaml declaring the desired settings (schemas/baseline.schema.json)")
    .option("--since <ref>", "an earlier scan: last, a scan id from the history, or a snapshot file")
    .option("--history <file|url>", "history database: an SQLite file or postgres:// URL (default: the config's, else .credgov/history.db)")
    .option("-o, --out <dir>", "write drift.json, drift.md and drift.sarif here")
    .option("--fail-on-drift", "exit 1 when anything drifted")
    .option("--now <time>", "evaluation time for the baseline check, RFC 3339 (default: the snapshot's generatedAt)")
    .addHelpText(
      "after",
      `
Drift is: a baseline value the estate does not meet, a baseline value weaker than a control's
threshold (the policy library checks the baseline itself), a new failing finding, or an
added, removed or changed account, credential, reset path, password policy, identity or setting.
Exit codes: 0 no drift (or drift without --fail-on-drift), 1 drift with --fail-on-drift,
2 usage or input error, 3 part of the baseline could not be judged (data not collected).

Examples:
  $ credgov drift --baseline baseline.yaml --snapshot snapshot.json --out reports/drift --fail-on-drift
  $ credgov drift --config credgov.yaml --baseline baseline.yaml          (collects live first)
  $ credgov drift --snapshot today.json --since last --config credgov.yaml
  $ credgov drift --snapshot today.json --since yesterday.json`,
    )
    .action(async (options: DriftCliOptions) => {
      if (!options.baseline && options.since === undefined) throw new UserInputError("give --baseline <file> and/or --since <last|SCAN_ID|SNAPSHOT>", { field: "--baseline" });
      if (!options.snapshot && !options.config) throw new UserInputError("give --snapshot <file>, or --config <file> to collect now", { field: "--snapshot" });
      const now = checkRfc3339(options.now);
      const config = options.config ? loadConfig(options.config) : undefined;
      const baseline = options.baseline ? loadBaseline(options.baseline) : undefined;
      if (options.out) prepareOutputDir(options.out);
      let snapshotFile = options.snapshot;
      if (!snapshotFile) {
        snapshotFile = join(options.out ?? config!.output.dir, "snapshot.json");
        prepareOutputDir(options.out ?? config!.output.dir);
        const collected = await collectToFile({ config: config!, configFile: options.config!, out: snapshotFile }, ctx);
        if (collected === ExitCode.collectionIncomplete) ctx.output.warn("collection was incomplete: settings of the failed sources are reported as not judged");
      }
      const snapshot = await readSnapshot(snapshotFile);
      const report = await runDrift({ snapshotFile, snapshot, config, baseline, since: options.since, history: options.history, out: options.out, now }, ctx);
      ctx.exitCode = driftExitCode(report, options.failOnDrift ?? false);
    });
}
