// What history keeps of one scan. Findings are kept per control: the counts a trend needs in
// the row itself, and the failing subjects (the fingerprint keys) as one compressed list, so a
// year of daily scans of a 100k-account estate stays small and a trend reads a few hundred rows.
import type { Finding } from "../policy/engine/finding.ts";
import { summarizeControls } from "../report/control-summary.ts";
import type { Snapshot } from "../snapshot/types.ts";
import { failingFindings, type FailingFinding } from "../drift/finding-diff.ts";

export interface SourceStatus {
  id: string;
  kind: string;
  status: string;
  counts: Record<string, number>;
}

export interface ScanCounts {
  accounts: number;
  credentials: number;
  resetPaths: number;
  passwordPolicies: number;
  identities: number;
  failed: number;
  excepted: number;
  passed: number;
  errors: number;
  notEvaluated: number;
}

export interface ControlRecord {
  controlId: string;
  severity: string;
  failed: number;
  excepted: number;
  passed: number;
  errors: number;
  notEvaluated: number;
  failing: FailingFinding[];
}

export interface ScanSummary {
  id: string;
  startedAt: string;
  finishedAt: string;
  toolVersion: string;
  host: string | null;
  configSha256: string | null;
  policySha256: string | null;
  snapshotSha256: string;
  snapshotGeneratedAt: string;
  exitCode: number;
  sources: SourceStatus[];
  counts: ScanCounts;
  hasSnapshot: boolean;
}

export interface ScanRecord extends Omit<ScanSummary, "hasSnapshot"> {
  controls: ControlRecord[];
  /** gzip of snapshot.json, when history keeps snapshots. */
  snapshotGzip?: Uint8Array;
}

export interface ScanRecordInput {
  id: string;
  startedAt: string;
  finishedAt: string;
  toolVersion: string;
  host?: string | null;
  configSha256?: string | null;
  policySha256?: string | null;
  snapshotSha256: string;
  exitCode: number;
  snapshot: Pick<Snapshot, "generatedAt" | "sources" | "accounts" | "credentials" | "resetPaths" | "passwordPolicies" | "identities">;
  findings: readonly Finding[];
  snapshotGzip?: Uint8Array;
}

export function scanRecord(input: ScanRecordInput): ScanRecord {
  const failing = new Map<string, FailingFinding[]>();
  for (const f of failingFindings(input.findings)) {
    const list = failing.get(f.controlId) ?? [];
    list.push(f);
    failing.set(f.controlId, list);
  }
  const controls = summarizeControls(input.findings).map((s) => ({
    controlId: s.controlId,
    severity: s.severity,
    failed: s.failed,
    excepted: s.excepted,
    passed: s.passed,
    errors: s.errors,
    notEvaluated: s.notEvaluated,
    failing: failing.get(s.controlId) ?? [],
  }));
  const sum = (field: "failed" | "excepted" | "passed" | "errors" | "notEvaluated") => controls.reduce((n, c) => n + c[field], 0);
  const { snapshot } = input;
  return {
    id: input.id,
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    toolVersion: input.toolVersion,
    host: input.host ?? null,
    configSha256: input.configSha256 ?? null,
    policySha256: input.policySha256 ?? null,
    snapshotSha256: input.snapshotSha256,
    snapshotGeneratedAt: snapshot.generatedAt,
    exitCode: input.exitCode,
    sources: snapshot.sources.map((s) => ({ id: s.id, kind: s.kind, status: s.status, counts: s.counts })),
    counts: {
      accounts: snapshot.accounts.length,
      credentials: snapshot.credentials.length,
      resetPaths: snapshot.resetPaths.length,
      passwordPolicies: snapshot.passwordPolicies.length,
      identities: snapshot.identities.length,
      failed: sum("failed"),
      excepted: sum("excepted"),
      passed: sum("passed"),
      errors: sum("errors"),
      notEvaluated: sum("notEvaluated"),
    },
    controls,
    ...(input.snapshotGzip ? { snapshotGzip: input.snapshotGzip } : {}),
  };
}

/** Sortable, unique without coordination between machines: start time plus randomness. */
export function newScanId(startedAt: Date, random: () => string): string {
  return `${startedAt.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z")}-${random()}`;
}
