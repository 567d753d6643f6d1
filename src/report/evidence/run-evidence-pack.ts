// The evidence pack as a report-stage function: loads what the pack shows beside the findings
// (the snapshot's header, a rotation report, the signing key), writes the PDF/HTML, subject
// CSVs and manifest, and returns the files written with the subject CSVs as one entry.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Catalog } from "../../policy/catalog/types.ts";
import type { Finding } from "../../policy/engine/finding.ts";
import type { PolicyException } from "../../policy/exceptions/types.ts";
import { silentLog, type RunLog } from "../../run-log.ts";
import type { TrendPoint } from "./model.ts";
import { readRotationReport } from "./rotation-report.ts";
import { loadSigningKey, signingKeyEnv } from "./signing-key.ts";
import { readSnapshotHeader } from "./snapshot-header.ts";
import { writeEvidencePack, type EvidenceFormat } from "./write-evidence-pack.ts";

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
  /** Ed25519 private key (PEM file) that signs manifest.json; default: the key in $CREDGOV_SIGNING_KEY. */
  signingKeyFile?: string;
  /** Rotation report JSON shown as rotation proof. */
  rotationReportFile?: string;
  /** Organisation named on the cover (default: the sources' domains). */
  organisation?: string;
  /** Failing subjects listed per control in pdf/html. */
  maxSubjects?: number;
  /** Failing and passing subjects of earlier scans, oldest first (the summary's trend). */
  trend?: readonly TrendPoint[];
  log?: RunLog;
}

export async function runEvidencePack(run: EvidenceRun): Promise<string[]> {
  const log = run.log ?? silentLog;
  const signingKey = loadSigningKey(run.signingKeyFile);
  let snapshot = null;
  if (run.snapshotFile && existsSync(run.snapshotFile)) snapshot = await readSnapshotHeader(run.snapshotFile);
  else if (run.formats.length) log.warn(`no snapshot at ${run.snapshotFile ?? "(none given)"}: the pack shows no sources, queries or collection window (give --snapshot)`);
  const rotation = run.rotationReportFile ? await readRotationReport(run.rotationReportFile) : null;
  if (!signingKey) log.warn(`manifest.json is not signed: give --signing-key or set ${signingKeyEnv}`);
  const { written } = await writeEvidencePack({
    dir: run.dir,
    formats: run.formats,
    findings: run.findings,
    snapshot,
    snapshotFile: run.snapshotFile,
    catalog: run.catalog,
    exceptions: run.exceptions,
    rotation,
    trend: run.trend ?? [],
    organisation: run.organisation,
    toolVersion: run.toolVersion,
    policyHash: run.policyHash,
    generatedAt: run.generatedAt,
    maxSubjectsPerControl: run.maxSubjects,
    signingKey,
    warnings: run.warnings,
  });
  if (signingKey) log.info(`signed manifest.json with Ed25519 key ${signingKey.fingerprint}`);
  // One line for the subject lists, not one path per control.
  const csvs = written.filter((f) => /[\\/]subjects[\\/][^\\/]+\.csv$/.test(f));
  return [...written.filter((f) => !csvs.includes(f)), ...(csvs.length ? [`${join(run.dir, "subjects")} (${csvs.length} CSV files)`] : [])];
}
