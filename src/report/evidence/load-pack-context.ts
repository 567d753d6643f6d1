// Loads what the evidence pack shows beside the findings: the snapshot's header (sources,
// queries, collection window), a rotation report, the signing key; says what is missing. The
// pack itself is written with the other outputs (src/report/write-outputs.ts).
import { existsSync } from "node:fs";
import type { Catalog } from "../../policy/catalog/types.ts";
import type { PolicyException } from "../../policy/exceptions/types.ts";
import { silentLog, type RunLog } from "../../run-log.ts";
import type { TrendPoint } from "./model.ts";
import { readRotationReport } from "./rotation-report.ts";
import { loadSigningKey, signingKeyEnv } from "./signing-key.ts";
import { readSnapshotHeader } from "./snapshot-header.ts";
import type { PackContext } from "./write-evidence-pack.ts";

export interface PackSources {
  snapshotFile: string | null;
  catalog: Catalog;
  exceptions: readonly PolicyException[];
  toolVersion: string;
  policyHash: string | null;
  generatedAt: string;
  warnings: readonly string[];
  /** Documents (pdf, html) are written: without a snapshot they show no sources, which is said. */
  documents: boolean;
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

export async function loadPackContext(run: PackSources): Promise<PackContext> {
  const log = run.log ?? silentLog;
  const signingKey = loadSigningKey(run.signingKeyFile);
  let snapshot = null;
  if (run.snapshotFile && existsSync(run.snapshotFile)) snapshot = await readSnapshotHeader(run.snapshotFile);
  else if (run.documents) log.warn(`no snapshot at ${run.snapshotFile ?? "(none given)"}: the pack shows no sources, queries or collection window (give --snapshot)`);
  const rotation = run.rotationReportFile ? await readRotationReport(run.rotationReportFile) : null;
  if (!signingKey) log.warn(`manifest.json is not signed: give --signing-key or set ${signingKeyEnv}`);
  else log.info(`signing manifest.json with Ed25519 key ${signingKey.fingerprint}`);
  return {
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
  };
}
