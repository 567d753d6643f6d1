// The evidence-pack flags shared by `report`, `evaluate` and `scan`, and the call that turns
// them into a pack (PDF/HTML + subject CSVs + manifest + signature) next to the other outputs.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import type { CommandContext } from "./context.ts";
import { UserInputError } from "../errors.ts";
import type { Catalog } from "../policy/catalog/types.ts";
import type { Finding } from "../policy/engine/finding.ts";
import type { PolicyException } from "../policy/exceptions/types.ts";
import { defaultMaxSubjects } from "../report/evidence/build-model.ts";
import { readRotationReport } from "../report/evidence/rotation-report.ts";
import { loadSigningKey, signingKeyEnv } from "../report/evidence/signing-key.ts";
import { readSnapshotHeader } from "../report/evidence/snapshot-header.ts";
import { writeEvidencePack, type EvidenceFormat } from "../report/evidence/write-evidence-pack.ts";
import type { TrendPoint } from "../report/evidence/model.ts";
import { historyLocation } from "../history/location.ts";
import { openHistory } from "../history/open.ts";

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

export interface EvidenceRun {
  dir: string;
  /** pdf and/or html; empty with `manifest` alone writes only manifest.json (+ signature). */
  formats: readonly EvidenceFormat[];
  findings: readonly Finding[];
  snapshotFile: string | null;
  catalog: Catalog;
  exceptions: readonly PolicyException[];
  toolVersion: string;
  policyHash: string | null;
  generatedAt: string;
  warnings: readonly string[];
  /** Scan history (SQLite file or postgres:// URL) the summary's trend is drawn from. */
  history?: string;
}

/** Scans drawn in the trend: the most recent ones, oldest first. */
const trendScans = 90;

async function readTrend(history: string): Promise<TrendPoint[]> {
  const store = await openHistory(historyLocation(history, undefined));
  try {
    return (await store.list(trendScans)).reverse().map((s) => ({ at: s.startedAt, failed: s.counts.failed, passed: s.counts.passed }));
  } finally {
    await store.close();
  }
}

export async function runEvidencePack(run: EvidenceRun, options: EvidenceCliOptions, ctx: CommandContext): Promise<string[]> {
  const signingKey = loadSigningKey(options.signingKey);
  const max = options.maxSubjects === undefined ? undefined : Number(options.maxSubjects);
  if (max !== undefined && (!Number.isInteger(max) || max < 0)) throw new UserInputError(`must be a whole number (got ${JSON.stringify(options.maxSubjects)})`, { field: "--max-subjects" });
  let snapshot = null;
  if (run.snapshotFile && existsSync(run.snapshotFile)) snapshot = await readSnapshotHeader(run.snapshotFile);
  else if (run.formats.length) ctx.output.warn(`no snapshot at ${run.snapshotFile ?? "(none given)"}: the pack shows no sources, queries or collection window (give --snapshot)`);
  const rotation = options.rotationReport ? await readRotationReport(options.rotationReport) : null;
  const trend = run.history && run.formats.length ? await readTrend(run.history) : [];
  if (!signingKey) ctx.output.warn(`manifest.json is not signed: give --signing-key or set ${signingKeyEnv}`);
  const { written } = await writeEvidencePack({
    dir: run.dir,
    formats: run.formats,
    findings: run.findings,
    snapshot,
    snapshotFile: run.snapshotFile,
    catalog: run.catalog,
    exceptions: run.exceptions,
    rotation,
    trend,
    organisation: options.organisation,
    toolVersion: run.toolVersion,
    policyHash: run.policyHash,
    generatedAt: run.generatedAt,
    maxSubjectsPerControl: max,
    signingKey,
    warnings: run.warnings,
  });
  if (signingKey) ctx.output.info(`signed manifest.json with Ed25519 key ${signingKey.fingerprint}`);
  // One line for the subject lists, not one path per control.
  const csvs = written.filter((f) => /[\\/]subjects[\\/][^\\/]+\.csv$/.test(f));
  return [...written.filter((f) => !csvs.includes(f)), ...(csvs.length ? [`${join(run.dir, "subjects")} (${csvs.length} CSV files)`] : [])];
}
