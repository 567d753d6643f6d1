// Failing and passing subjects of the most recent recorded scans, oldest first: the trend the
// evidence pack's executive summary draws.
import { existsSync } from "node:fs";
import { isPostgresUrl, openHistory, type HistoryLocation, type OpenOptions } from "./open.ts";

export interface ScanTrendPoint {
  at: string;
  failed: number;
  passed: number;
}

export async function recentScanTrend(location: HistoryLocation, scans: number, options: OpenOptions = {}): Promise<ScanTrendPoint[]> {
  // An optional SQLite history that does not exist yet has no trend; reading must not create it.
  if (!options.mustExist && !isPostgresUrl(location.target) && !existsSync(location.target)) return [];
  const store = await openHistory(location, options);
  try {
    return (await store.list(scans)).reverse().map((s) => ({ at: s.startedAt, failed: s.counts.failed, passed: s.counts.passed }));
  } finally {
    await store.close();
  }
}
