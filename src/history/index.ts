// Public API of the scan history.
export { HistoryStore, type ScanDetail, type ControlCounts, type PruneOptions } from "./history-store.ts";
export { controlTrend, type TrendPoint } from "./control-trend.ts";
export { openHistory, isPostgresUrl, type HistoryLocation } from "./open.ts";
export { scanRecord, newScanId, type ScanRecord, type ScanSummary, type ScanRecordInput } from "./scan-record.ts";
