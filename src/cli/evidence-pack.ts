// The evidence-pack flags shared by `report`, `evaluate` and `scan`, and the CLI side of the pack
// (src/report/evidence/run-evidence-pack.ts): checks --max-subjects, reads the trend from the
// history when one is named, logs to the terminal.
import type { Command } from "commander";
import type { CommandContext } from "./context.ts";
import { UserInputError } from "../errors.ts";
import { defaultMaxSubjects } from "../report/evidence/build-model.ts";
import { runEvidencePack as writePack, type EvidenceRun } from "../report/evidence/run-evidence-pack.ts";
import { signingKeyEnv } from "../report/evidence/signing-key.ts";
import { historyLocation } from "../history/location.ts";
import { recentScanTrend } from "../history/scan-trend.ts";

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

export async function runEvidencePack(
  run: Omit<EvidenceRun, "signingKeyFile" | "rotationReportFile" | "organisation" | "maxSubjects" | "trend" | "log"> & {
    /** Scan history (SQLite file or postgres:// URL) the summary's trend is drawn from. */
    history?: string;
  },
  options: EvidenceCliOptions,
  ctx: CommandContext,
): Promise<string[]> {
  const max = options.maxSubjects === undefined ? undefined : Number(options.maxSubjects);
  if (max !== undefined && (!Number.isInteger(max) || max < 0)) throw new UserInputError(`must be a whole number (got ${JSON.stringify(options.maxSubjects)})`, { field: "--max-subjects" });
  const trend = run.history && run.formats.length ? await recentScanTrend(historyLocation(run.history, undefined), trendScans, { mustExist: true }) : [];
  return writePack({
    ...run,
    signingKeyFile: options.signingKey,
    rotationReportFile: options.rotationReport,
    organisation: options.organisation,
    maxSubjects: max,
    trend,
    log: ctx.output,
  });
}
