// drift.md: what a reviewer reads: the totals, then each section with its items (capped).
import type { DriftReport } from "../drift-report.ts";
import type { ObjectKind } from "../object-diff.ts";

const maxRows = 50;

export function renderDriftMarkdown(report: DriftReport): string {
  const s = report.summary;
  const out: string[] = ["# credgov drift", ""];
  out.push(`Snapshot: ${cell(report.snapshot.file)} (collected ${report.snapshot.generatedAt}) · reported at ${report.generatedAt}`, "");
  out.push(s.drift ? "**Drift detected.**" : "**No drift.**", "");
  if (s.incompleteSources.length > 0) out.push(`**Incomplete:** not collected in full: ${s.incompleteSources.join(", ")}; what they left unknown may show as removed, added or changed.`, "");
  if (report.baseline) {
    const b = report.baseline;
    out.push(`## Baseline ${cell(b.file)}`, "");
    out.push(`${s.baselineDrift} drift item(s) · ${s.baselineUnknown} not judged (not collected) · ${s.baselineWeakened} baseline value(s) weaker than a control allows`, "");
    if (b.checks.length > 0) {
      out.push("### The baseline itself fails controls", "", "| Line | Setting | Control | Severity | Finding |", "|---:|---|---|---|---|");
      for (const c of b.checks) out.push(`| ${c.locations.map((l) => l.line).join(", ")} | ${cell(c.settings.join(", "))} | ${c.controlId} | ${c.severity} | ${cell(c.message)} |`);
      out.push("");
    }
    if (b.items.length > 0) {
      out.push("### Estate vs baseline", "", "| Line | Source | Setting | Expected | Actual | Subject | Status |", "|---:|---|---|---|---|---|---|");
      for (const i of b.items.slice(0, maxRows * 4)) {
        out.push(`| ${i.baseline.line} | ${cell(i.source)} | ${cell(i.setting)} | ${cell(value(i.expected))} | ${cell(value(i.actual))} | ${cell(i.subject.name)} | ${i.status} |`);
      }
      if (b.items.length > maxRows * 4) out.push("", `… and ${b.items.length - maxRows * 4} more (see drift.json)`);
      out.push("");
    }
  }
  if (report.since) {
    const since = report.since;
    const against = since.against.kind === "scan" ? `scan ${since.against.id}` : `snapshot ${since.against.file}`;
    out.push(`## Since ${cell(against)} (collected ${since.against.generatedAt})`, "");
    out.push(`Failing findings: **${s.newFindings} new**, ${s.resolvedFindings} resolved, ${s.persistingFindings} persisting.`, "");
    for (const [title, list] of [["New failing findings", since.findings.new], ["Resolved findings", since.findings.resolved]] as const) {
      if (list.length === 0) continue;
      out.push(`### ${title}`, "", "| Control | Severity | Subject | Source |", "|---|---|---|---|");
      for (const f of list.slice(0, maxRows)) out.push(`| ${f.controlId} | ${f.severity} | ${cell(f.subjectName)} | ${cell(f.source)} |`);
      if (list.length > maxRows) out.push(`| … | | ${list.length - maxRows} more | |`);
      out.push("");
    }
    if (since.objects) {
      out.push("### Objects", "", "| Kind | Added | Removed | Changed | Unchanged |", "|---|---:|---:|---:|---:|");
      for (const [kind, c] of Object.entries(since.objects.counts)) out.push(`| ${kind} | ${c.added} | ${c.removed} | ${c.changed} | ${c.unchanged} |`);
      out.push("");
      const byKind = new Map<ObjectKind, typeof since.objects.changes>();
      for (const change of since.objects.changes) byKind.set(change.kind, [...(byKind.get(change.kind) ?? []), change]);
      for (const [kind, changes] of byKind) {
        out.push(`#### ${kind}`, "");
        for (const c of changes.slice(0, maxRows)) {
          if (c.change === "changed") {
            const fields = (c.fields ?? []).map((f) => `${f.field}: ${value(f.before)} → ${value(f.after)}`).join("; ");
            out.push(`- changed **${cell(c.name)}** (${cell(c.source)}): ${cell(fields)}`);
          } else {
            out.push(`- ${c.change} **${cell(c.name)}** (${cell(c.source)})`);
          }
        }
        if (changes.length > maxRows) out.push(`- … and ${changes.length - maxRows} more (see drift.json)`);
        out.push("");
      }
    } else if (since.objectsUnavailable) {
      out.push(`Object-level changes: not available (${cell(since.objectsUnavailable)}).`, "");
    }
  }
  return `${out.join("\n")}\n`;
}

function value(v: unknown): string {
  if (v === undefined || v === null) return "—";
  const text = typeof v === "string" ? v : JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}
