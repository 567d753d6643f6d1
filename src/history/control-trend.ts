// Per-control trend for charts (the evidence pack): failing/passing subjects per recorded scan.
import type { HistoryStore, TrendPoint } from "./history-store.ts";

export type { TrendPoint };

export function controlTrend(store: HistoryStore, controlId: string, since?: string | Date): Promise<TrendPoint[]> {
  return store.controlTrend(controlId, since instanceof Date ? since.toISOString() : since);
}
