// summary.md: what a reviewer reads in a PR comment or a step summary: totals, a row per
// control, then the failing subjects (capped per control) and what could not be evaluated.
import { escapeControlCharacters } from "../control-characters.ts";
import type { Finding } from "../../policy/engine/finding.ts";
import { summarizeControls, totals } from "../control-summary.ts";
import { subjectLabel } from "../subject-label.ts";
import type { FindingsOutput } from "./output.ts";


export const markdownOutput: FindingsOutput = {
  kind: "findings",
  name: "md",
  files: ["summary.md"],
  render: ({ findings, generatedAt, scope, warnings }) => ({ "summary.md": renderMarkdownSummary(findings, { generatedAt, scope, warnings }) }),
};

export interface MarkdownOptions {
  generatedAt: string;
  /** What was scanned (snapshot path or config). */
  scope: string;
  /** Failing subjects listed per control before "and N more". */
  maxSubjectsPerControl?: number;
  warnings?: readonly string[];
}

export function renderMarkdownSummary(findings: readonly Finding[], options: MarkdownOptions): string {
  const max = options.maxSubjectsPerControl ?? 25;
  const summaries = summarizeControls(findings);
  const t = totals(summaries);
  const out: string[] = [];
  out.push("# credgov findings", "");
  out.push(`Scope: ${cell(options.scope)} · evaluated at ${options.generatedAt}`, "");
  out.push(
    `**${t.failed} failing** (critical ${t.failedBySeverity.critical}, high ${t.failedBySeverity.high}, medium ${t.failedBySeverity.medium}, low ${t.failedBySeverity.low}, info ${t.failedBySeverity.info}) · ` +
      `${t.excepted} excepted · ${t.passed} passing subjects · ${t.errors} errors · ${t.notEvaluated} not evaluated · ${t.notApplicable} not applicable`,
    "",
  );
  out.push("| Control | Severity | Title | Fail | Excepted | Pass | Error | Not evaluated | Not applicable |", "|---|---|---|---:|---:|---:|---:|---:|---:|");
  for (const s of summaries) {
    out.push(`| ${s.controlId} | ${s.severity} | ${cell(s.title)} | ${s.failed} | ${s.excepted} | ${s.passed} | ${s.errors} | ${s.notEvaluated} | ${s.notApplicable} |`);
  }
  out.push("");
  const failing = findings.filter((f) => f.status === "fail");
  if (failing.length > 0) {
    out.push("## Failing subjects", "");
    for (const s of summaries) {
      const list = failing.filter((f) => f.controlId === s.controlId);
      if (list.length === 0) continue;
      out.push(`### ${s.controlId} ${cell(s.title)} (${s.severity})`, "");
      for (const f of list.slice(0, max)) {
        const tag = f.excepted ? ` _(excepted until ${f.excepted.expires}: ${cell(f.excepted.reason)}, ${cell(f.excepted.ticket)})_` : "";
        out.push(`- **${cell(subjectLabel(f.subject))}** ${f.subject.kind} \`${code(f.subject.id)}\`: ${cell(f.message)}${tag}`);
      }
      if (list.length > max) out.push(`- … and ${list.length - max} more (see findings.json)`);
      out.push("");
    }
  }
  const problems = findings.filter((f) => f.status === "error" || f.status === "not_evaluated");
  if (problems.length > 0) {
    out.push("## Not evaluated", "", "Controls below could not be (fully) evaluated; they are **not** passes.", "");
    for (const f of problems) out.push(`- **${f.controlId}** ${f.status === "error" ? "error" : "not evaluated"}: ${cell(f.message)}`);
    out.push("");
  }
  if (options.warnings && options.warnings.length > 0) {
    out.push("## Warnings", "");
    for (const w of options.warnings) out.push(`- ${cell(w)}`);
    out.push("");
  }
  return out.join("\n");
}

// Subject names come from directories: keep them from breaking tables or injecting markup.
function cell(text: string): string {
  return escapeControlCharacters(text.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ").replace(/</g, "&lt;"));
}

function code(text: string): string {
  return escapeControlCharacters(text.replace(/`/g, "'").replace(/[\r\n]+/g, " "));
}
