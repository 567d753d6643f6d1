// `--since last` or `--since SCAN_ID`: the recorded scan a drift run compares with, as the drift
// stage takes it (its failing findings and, when the history kept it, an index of its snapshot).
import { incompleteSourcesOf, type EarlierScan } from "../drift/build-drift-report.ts";
import { indexSnapshotBytes } from "../drift/snapshot-index.ts";
import { silentLog, type RunLog } from "../run-log.ts";
import { openHistory, type HistoryLocation } from "./open.ts";

export async function earlierScanFromHistory(location: HistoryLocation, since: string, options: { currentScanId?: string; log?: RunLog } = {}): Promise<EarlierScan> {
  const log = options.log ?? silentLog;
  const store = await openHistory(location);
  try {
    const scan = await store.resolve(since, "--since", options.currentScanId);
    log.info(`comparing with scan ${scan.id} (${scan.startedAt}) from ${store.location}`);
    const failing = await store.failing(scan.id);
    const bytes = await store.snapshot(scan.id);
    const snapshot = bytes ? await indexSnapshotBytes(bytes) : `scan ${scan.id} was recorded without its snapshot (history.keepSnapshots: false)`;
    if (typeof snapshot === "string") log.warn(`object-level changes are not available: ${snapshot}`);
    return { against: { kind: "scan", id: scan.id, generatedAt: scan.snapshotGeneratedAt }, failing, snapshot, incompleteSources: incompleteSourcesOf(scan.sources) };
  } finally {
    await store.close();
  }
}
