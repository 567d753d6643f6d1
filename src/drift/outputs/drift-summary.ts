// The few lines a terminal shows after a drift run: baseline items (the first 40), what changed
// since the earlier scan, and the verdict. drift.json/md/sarif carry everything.
import type { DriftReport } from "../drift-report.ts";

export function renderDriftSummary(report: DriftReport): string {
  const s = report.summary;
  const lines: string[] = [];
  if (report.baseline) {
    for (const c of report.baseline.checks) {
      lines.push(`${report.baseline.file}:${c.locations[0]?.line ?? 1} ${c.settings.join(", ")}: weaker than ${c.controlId} allows: ${c.message}`);
    }
    const shown = report.baseline.items.slice(0, 40);
    for (const i of shown) lines.push(`${i.status === "drift" ? "drift  " : "unknown"} ${i.source} ${i.setting}: ${i.message}`);
    if (report.baseline.items.length > shown.length) lines.push(`... and ${report.baseline.items.length - shown.length} more (see drift.json)`);
    lines.push(`baseline: ${s.baselineDrift} drift, ${s.baselineUnknown} not judged, ${s.baselineWeakened} weaker than the controls allow`);
  }
  if (report.since) {
    const against = report.since.against.kind === "scan" ? `scan ${report.since.against.id}` : report.since.against.file;
    const objects = report.since.objects
      ? Object.entries(report.since.objects.counts)
          .map(([kind, c]) => `${kind} +${c.added} -${c.removed} ~${c.changed}`)
          .join(", ")
      : "object changes not available";
    lines.push(`since ${against}: ${s.newFindings} new, ${s.resolvedFindings} resolved, ${s.persistingFindings} persisting failing findings; ${objects}`);
  }
  lines.push(s.drift ? "drift detected" : "no drift");
  return lines.join("\n");
}
