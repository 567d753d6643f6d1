// Failing and passing subjects of the most recent recorded scans, oldest first: the trend the
// evidence pack's executive summary draws.
import { openHistory, type HistoryLocation, type OpenOptions } from "./open.ts";

export interface ScanTrendPoint {
  at: string;
  failed: number;
  passed: number;
}

export async function recentScanTrend(location: HistoryLocation, scans: number, options: OpenOptions = {}): Promise<ScanTrendPoint[]> {
  const store = await openHistory(location, options);
  try {
    return (await store.list(scans)).reverse().map((s) => ({ at: s.startedAt, failed: s.counts.failed, passed: s.counts.passed }));
  } finally {
    await store.close();
  }
}
