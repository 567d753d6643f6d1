// The table printed after evaluate/scan: one row per control, colour only when the output
// allows it (TTY, no NO_COLOR).
import type { Finding } from "../policy/engine/finding.ts";
import { summarizeControls, totals } from "./control-summary.ts";
import { escapeControlCharacters } from "./control-characters.ts";

const severityColour: Record<string, number> = { critical: 35, high: 31, medium: 33, low: 36, info: 2 };

export function renderTerminalTable(findings: readonly Finding[], color: boolean): string {
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const summaries = summarizeControls(findings);
  const header = ["CONTROL", "SEVERITY", "FAIL", "EXCEPTED", "PASS", "ERROR", "N/E", "N/A", "TITLE"];
  const rows = summaries.map((s) => [s.controlId, s.severity, String(s.failed), String(s.excepted), String(s.passed), String(s.errors), String(s.notEvaluated), String(s.notApplicable), escapeControlCharacters(s.title)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const pad = (text: string, i: number) => (i >= 2 && i <= 7 ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const lines = [header.map(pad).join("  ").trimEnd()];
  for (const [r, s] of rows.map((r, i) => [r, summaries[i]] as const)) {
    const cells = r.map(pad);
    cells[1] = paint(severityColour[s.severity] ?? 0, cells[1]);
    if (s.failed > 0) cells[2] = paint(31, cells[2]);
    if (s.errors > 0) cells[5] = paint(33, cells[5]);
    lines.push(cells.join("  ").trimEnd());
  }
  const t = totals(summaries);
  lines.push("");
  lines.push(`${t.failed} failing (${t.failedBySeverity.critical} critical, ${t.failedBySeverity.high} high, ${t.failedBySeverity.medium} medium, ${t.failedBySeverity.low} low), ${t.excepted} excepted, ${t.passed} passing subjects, ${t.errors} errors, ${t.notEvaluated} not evaluated, ${t.notApplicable} not applicable`);
  return lines.join("\n");
}
