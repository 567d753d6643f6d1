// The evidence-pack flags shared by `report`, `evaluate` and `scan`, and the CLI side of the pack
// (src/report/evidence/load-pack-context.ts): checks --max-subjects, reads the trend from the
// history (the one `report --history` names, or the configured one for scan and evaluate), logs.
// The pack is written with the other outputs (src/report/write-outputs.ts).
import type { Command } from "commander";
import type { CommandContext } from "./context.ts";
import { UserInputError } from "../errors.ts";
import { defaultMaxSubjects } from "../report/evidence/build-model.ts";
import { loadPackContext, type PackSources } from "../report/evidence/load-pack-context.ts";
import type { PackContext } from "../report/evidence/write-evidence-pack.ts";
import type { Finding } from "../policy/engine/finding.ts";
import { signingKeyEnv } from "../report/evidence/signing-key.ts";
import type { HistoryLocation } from "../history/open.ts";
import { recentScanTrend } from "../history/scan-trend.ts";
import { summarizeControls } from "../report/control-summary.ts";
import type { TrendPoint } from "../report/evidence/model.ts";

export interface EvidenceCliOptions {
  signingKey?: string;
  rotationReport?: string;
  organisation?: string;
  maxSubjects?: string;
}

export function addEvidenceOptions(command: Command): Command {
  return command
    .option("--signing-key <file>", `Ed25519 private key (PEM) that signs manifest.json (default: $${signingKeyEnv}, PEM text)`)
    .option("--rotation-report <file>", "rotation report JSON shown as rotation proof in the pdf/html pack")
    .option("--organisation <name>", "organisation named on the pack's cover (default: the sources' domains)")
    .option("--max-subjects <n>", `failing subjects listed per control in pdf/html; all are in subjects/*.csv (default ${defaultMaxSubjects})`);
}

/** Scans drawn in the trend: the most recent ones, oldest first. */
const trendScans = 90;

export async function evidencePackContext(
  run: Omit<PackSources, "signingKeyFile" | "rotationReportFile" | "organisation" | "maxSubjects" | "trend" | "log"> & {
    /** The findings of the run (this run's trend point). */
    findings: readonly Finding[];
    /**
     * Scan history the summary's trend is drawn from: `report --history` names one (it must
     * exist); scan and evaluate pass the configured one (none yet: no trend, nothing created).
     */
    history?: { location: HistoryLocation; required: boolean };
    /** This run is the trend's last point (scan, evaluate): the history does not hold it yet. */
    currentRun?: boolean;
  },
  options: EvidenceCliOptions,
  ctx: CommandContext,
): Promise<PackContext> {
  const max = options.maxSubjects === undefined ? undefined : Number(options.maxSubjects);
  if (max !== undefined && (!Number.isInteger(max) || max < 0)) throw new UserInputError(`must be a whole number (got ${JSON.stringify(options.maxSubjects)})`, { field: "--max-subjects" });
  const trend: TrendPoint[] = run.history && run.documents ? await recentScanTrend(run.history.location, trendScans, { mustExist: run.history.required }) : [];
  // A trend of one point says nothing: this run is appended only to a history behind it.
  if (run.currentRun && trend.length > 0 && trend.at(-1)?.at !== run.generatedAt) trend.push(currentPoint(run.findings, run.generatedAt));
  return loadPackContext({
    ...run,
    signingKeyFile: options.signingKey,
    rotationReportFile: options.rotationReport,
    organisation: options.organisation,
    maxSubjects: max,
    trend,
    log: ctx.output,
  });
}

/** The run being reported, counted as the history counts a scan (failing and passing subjects). */
function currentPoint(findings: readonly Finding[], at: string): TrendPoint {
  const controls = summarizeControls(findings);
  return { at, failed: controls.reduce((n, c) => n + c.failed, 0), passed: controls.reduce((n, c) => n + c.passed, 0) };
}
