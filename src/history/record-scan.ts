// Records a finished scan: hashes the snapshot file, compresses it when history keeps
// snapshots, and stores the record. Called by `scan` after its outputs are written.
import { createHash, randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { readFileBytes } from "../io/read-file-bytes.ts";
import type { Finding } from "../policy/engine/finding.ts";
import type { Snapshot } from "../snapshot/types.ts";
import type { HistoryStore } from "./history-store.ts";
import { openHistory, type HistoryLocation } from "./open.ts";
import { newScanId, scanRecord, type ScanRecord } from "./scan-record.ts";

const gzipAsync = promisify(gzip);

export interface RecordScanOptions {
  startedAt: Date;
  finishedAt: Date;
  snapshotFile: string;
  snapshot: Snapshot;
  findings: readonly Finding[];
  policySha256: string | null;
  exitCode: number;
  toolVersion: string;
  keepSnapshot: boolean;
}

export async function recordScan(store: HistoryStore, options: RecordScanOptions): Promise<ScanRecord> {
  // The snapshot's JSON (a snapshot.json.gz gunzipped, a 1M-account one past 2 GiB read): the
  // same snapshot has the same hash however it was stored, and history gzips it once.
  const bytes = await readFileBytes(options.snapshotFile);
  const record = scanRecord({
    id: newScanId(options.startedAt, () => randomBytes(3).toString("hex")),
    startedAt: options.startedAt.toISOString(),
    finishedAt: options.finishedAt.toISOString(),
    toolVersion: options.toolVersion,
    host: hostname(),
    configSha256: options.snapshot.generator.configSha256 ?? null,
    policySha256: options.policySha256,
    snapshotSha256: createHash("sha256").update(bytes).digest("hex"),
    exitCode: options.exitCode,
    snapshot: options.snapshot,
    findings: options.findings,
    ...(options.keepSnapshot ? { snapshotGzip: new Uint8Array(await gzipAsync(bytes)) } : {}),
  });
  await store.record(record);
  return record;
}

/** Opens the history at `location`, records the scan and closes it; returns the scan's id and where it went. */
export async function recordScanAt(location: HistoryLocation, options: RecordScanOptions): Promise<{ id: string; location: string }> {
  const store = await openHistory(location);
  try {
    const record = await recordScan(store, options);
    return { id: record.id, location: store.location };
  } finally {
    await store.close();
  }
}
