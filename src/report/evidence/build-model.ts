// Builds the evidence model from findings, the snapshot's sources and the catalog: a pure
// function (no I/O), so the PDF, the HTML and the tests all see the same numbers. Failing
// subjects are capped per control; the full lists go to CSV files beside the documents.
import type { Catalog, CatalogControl, Severity } from "../../policy/catalog/types.ts";
import type { Finding } from "../../policy/engine/finding.ts";
import { expiryTime } from "../../policy/exceptions/load.ts";
import { globToRegExp } from "../../policy/exceptions/subject-pattern.ts";
import type { PolicyException } from "../../policy/exceptions/types.ts";
import type { Snapshot } from "../../snapshot/types.ts";
import { passedSubjects } from "../control-summary.ts";
import { controlArea, controlAreas } from "./control-area.ts";
import { frameworkViews } from "./framework-views.ts";
import type { ChartSeries, CollectionErrorEvidence, ControlEvidence, ControlStatus, EvidenceModel, ExceptionEvidence, FailingSubject, PopulationRow, RotationEvidence, SourceEvidence, TrendPoint } from "./model.ts";
import { csfFunctions } from "./nist-csf-structure.ts";
import { subjectCsvPath } from "./subject-csv.ts";

export interface EvidenceInput {
  findings: readonly Finding[];
  /** The snapshot's header: sources, generation time and generator (accounts are not needed). */
  snapshot: Pick<Snapshot, "sources" | "generatedAt" | "generator"> | null;
  snapshotFile?: string | null;
  catalog: Catalog;
  /** Every exception loaded, so expired ones are shown too. */
  exceptions?: readonly PolicyException[];
  rotation?: RotationEvidence | null;
  trend?: readonly TrendPoint[];
  organisation?: string;
  toolVersion: string;
  nodeVersion: string;
  policyHash: string | null;
  generatedAt: string;
  maxSubjectsPerControl?: number;
  signing?: EvidenceModel["signing"];
  inputFiles?: EvidenceModel["inputFiles"];
  warnings?: readonly string[];
}

/** Failing subjects listed per control in the PDF and HTML (all of them are in the CSV). */
export const defaultMaxSubjects = 25;

const severityOrder: readonly Severity[] = ["critical", "high", "medium", "low", "info"];
export function buildEvidenceModel(input: EvidenceInput): EvidenceModel {
  const max = input.maxSubjectsPerControl ?? defaultMaxSubjects;
  const sources = (input.snapshot?.sources ?? []).map(sourceEvidence);
  const sourceById = new Map(sources.map((s) => [s.id, s]));
  const byControl = groupByControl(input.findings);
  const catalogIds = new Set(input.catalog.controls.map((c) => c.id));
  const controls: ControlEvidence[] = [];
  for (const control of input.catalog.controls) {
    if (!byControl.has(control.id)) continue; // a control of a package that was not evaluated
    controls.push(controlEvidence(control, byControl.get(control.id) ?? [], sourceById, max));
  }
  for (const [id, list] of byControl) {
    if (!catalogIds.has(id)) controls.push(controlEvidence(uncataloged(list[0]), list, sourceById, max));
  }
  controls.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const controlsByStatus: Record<ControlStatus, number> = { fail: 0, error: 0, not_evaluated: 0, excepted: 0, pass: 0, not_applicable: 0 };
  const totals = { failed: 0, excepted: 0, passed: 0, errors: 0, notEvaluated: 0, controls: controls.length, controlsByStatus };
  for (const c of controls) {
    controlsByStatus[c.status]++;
    totals.failed += c.counts.failed;
    totals.excepted += c.counts.excepted;
    totals.passed += c.counts.passed;
    totals.errors += c.counts.errors;
    totals.notEvaluated += c.counts.notEvaluated;
  }
  const times = sources.map((s) => s.collectedAt).filter(Boolean).sort();
  const frameworks = frameworkViews(controls);
  return {
    title: "Credential lifecycle evidence pack",
    organisation: input.organisation ?? organisationOf(sources),
    generatedAt: input.generatedAt,
    tool: { name: "credgov", version: input.toolVersion, node: input.nodeVersion },
    policyHash: input.policyHash,
    configHash: input.snapshot?.generator.configSha256 ?? null,
    snapshot: { generatedAt: input.snapshot?.generatedAt ?? null, file: input.snapshotFile ?? null },
    collectionWindow: times.length ? { start: times[0], end: times[times.length - 1] } : null,
    sources,
    totals,
    charts: {
      byArea: chartBy("Failing and passing subjects by area", controls, (c) => [c.area], controlAreas),
      bySeverity: chartBy("Results by severity", controls, (c) => [c.severity], severityOrder),
      byFunction: chartBy(
        "Results by NIST CSF 2.0 function",
        controls,
        (c) => [...new Set(c.mappings.nist_csf_2.map((id) => id.slice(0, 2)))].map((fn) => csfFunctions.find((f) => f.id === fn)?.name ?? fn),
        csfFunctions.map((f) => f.name),
      ),
      trend: [...(input.trend ?? [])],
    },
    controls,
    frameworks,
    exceptions: exceptionEvidence(input.exceptions ?? [], input.findings, input.generatedAt),
    collectionErrors: collectionErrors(sources, controls),
    rotation: input.rotation ?? null,
    maxSubjectsPerControl: max,
    signing: input.signing ?? null,
    inputFiles: input.inputFiles ?? [],
    warnings: [...(input.warnings ?? [])],
  };
}

function groupByControl(findings: readonly Finding[]): Map<string, Finding[]> {
  const map = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = map.get(f.controlId);
    if (list) list.push(f);
    else map.set(f.controlId, [f]);
  }
  return map;
}

function sourceEvidence(s: Snapshot["sources"][number]): SourceEvidence {
  return {
    id: s.id,
    kind: s.kind,
    transport: s.transport,
    endpoint: s.endpoint,
    namingContext: s.namingContext ?? null,
    collectedAt: s.collectedAt,
    status: s.status,
    counts: { ...s.counts },
    queries: s.queries.map((q) => ({ step: q.step, call: q.call, resultCount: q.resultCount, pages: q.pages ?? null, status: q.status ?? "ok" })),
    errors: s.errors.map((e) => ({ step: e.step, call: e.call ?? null, message: e.message, code: e.code ?? null })),
  };
}

function organisationOf(sources: readonly SourceEvidence[]): string {
  // DC=corp,DC=example reads as corp.example; tenants and organisations are names already.
  const names = [...new Set(sources.map((s) => s.namingContext).filter((n): n is string => !!n).map(dnsNameOf))];
  return names.length ? names.join(", ") : "(no source)";
}

function controlEvidence(control: CatalogControl, findings: readonly Finding[], sources: Map<string, SourceEvidence>, max: number): ControlEvidence {
  const counts = { failed: 0, excepted: 0, passed: 0, errors: 0, notEvaluated: 0 };
  const failing: FailingSubject[] = [];
  const failingBySource = new Map<string, number>();
  const passes: Finding[] = [];
  const problems: ControlEvidence["problems"] = [];
  let failingTotal = 0;
  for (const f of findings) {
    if (f.status === "fail") {
      if (f.excepted) counts.excepted++;
      else counts.failed++;
      failingTotal++;
      for (const scope of scopesOf(f)) failingBySource.set(scope, (failingBySource.get(scope) ?? 0) + 1);
      if (failing.length < max) failing.push(failingSubject(f));
    } else if (f.status === "pass") {
      counts.passed += passedSubjects(f);
      passes.push(f);
    } else if (f.status === "error") {
      counts.errors++;
      problems.push({ status: "error", scope: f.subject.source || f.subject.id, message: f.message });
    } else if (f.status === "not_applicable") {
      // Nothing to judge there: the control shows N/A only when nothing else applies.
    } else {
      counts.notEvaluated++;
      problems.push({ status: "not_evaluated", scope: f.subject.source || f.subject.id, message: f.message });
    }
  }
  const status: ControlStatus =
    counts.failed > 0 ? "fail" : counts.errors > 0 ? "error" : counts.notEvaluated > 0 ? "not_evaluated" : counts.excepted > 0 ? "excepted" : counts.passed > 0 ? "pass" : "not_applicable";
  return {
    id: control.id,
    title: control.title,
    area: controlArea(control.id),
    severity: control.severity,
    status,
    objective: `Find every instance of: ${lowerFirst(control.title)}.`,
    rationale: control.rationale,
    remediation: control.remediation,
    mappings: control.mappings,
    counts,
    population: populationRows(passes, failingBySource, problems, sources),
    failing,
    failingTotal,
    csvFile: failingTotal > 0 ? subjectCsvPath(control.id) : null,
    problems,
  };
}

/** Scopes a failing finding counts in: its source, or "estate" for cross-directory subjects. */
function scopesOf(f: Finding): string[] {
  return f.subject.source.includes(",") || f.subject.kind === "identity" ? ["estate"] : [f.subject.source || "estate"];
}

// The population of each scope: from the pass record when there is one (it carries the
// population and failing counts the policy computed), else every subject failed and the
// failing findings are the population.
function populationRows(passes: readonly Finding[], failingBySource: Map<string, number>, problems: ControlEvidence["problems"], sources: Map<string, SourceEvidence>): PopulationRow[] {
  const rows = new Map<string, PopulationRow>();
  for (const p of passes) {
    const scope = p.subject.source || "estate";
    const population = numberOr(p.evidence.population, passedSubjects(p));
    const failing = numberOr(p.evidence.failing, failingBySource.get(scope) ?? 0);
    rows.set(scope, { scope, what: p.subject.name, inScope: population, passing: population - failing, failing, returned: null, queries: [], status: "tested" });
  }
  for (const [scope, failing] of failingBySource) {
    if (!rows.has(scope)) rows.set(scope, { scope, what: "subjects", inScope: failing, passing: 0, failing, returned: null, queries: [], status: "tested" });
  }
  for (const problem of problems) {
    if (!rows.has(problem.scope) && sources.has(problem.scope)) {
      rows.set(problem.scope, { scope: problem.scope, what: "—", inScope: 0, passing: 0, failing: 0, returned: null, queries: [], status: problem.status });
    }
  }
  for (const row of rows.values()) {
    const source = sources.get(row.scope);
    if (source) {
      row.returned = source.queries.reduce((n, q) => n + q.resultCount, 0);
      row.queries = queryLines(source.queries);
    }
  }
  return [...rows.values()].sort((a, b) => (a.scope < b.scope ? -1 : a.scope > b.scope ? 1 : 0));
}

/** Queries listed per population row; a GitHub organisation issues one per repository. */
export const maxQueriesPerRow = 10;

// Failed or partial queries first (they explain an error), then in collection order; the rest
// are summed in one line; snapshot.json, which the pack holds, lists every one.
function queryLines(queries: SourceEvidence["queries"]): string[] {
  const ordered = [...queries.filter((q) => q.status !== "ok"), ...queries.filter((q) => q.status === "ok")];
  const lines = ordered.slice(0, maxQueriesPerRow).map((q) => `${q.call} — ${q.resultCount}${q.status !== "ok" ? ` (${q.status})` : ""}`);
  const rest = ordered.slice(maxQueriesPerRow);
  if (rest.length > 0) {
    lines.push(`… and ${rest.length} more queries returning ${rest.reduce((n, q) => n + q.resultCount, 0)} entries (all in snapshot.json, sources[].queries)`);
  }
  return lines;
}

function failingSubject(f: Finding): FailingSubject {
  return {
    name: f.subject.name || f.subject.id,
    directory: f.subject.source || "estate",
    kind: f.subject.kind,
    id: f.subject.id,
    message: f.message,
    evidence: compactEvidence(f.evidence),
    excepted: f.excepted ? { approver: f.excepted.approver, ticket: f.excepted.ticket, expires: f.excepted.expires } : null,
  };
}

/** "key: value; key: value", bounded: evidence values are shown, not dumped. */
export function compactEvidence(evidence: Record<string, unknown>, limit = 300): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(evidence)) {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    parts.push(`${key}: ${text}`);
  }
  const joined = parts.join("; ");
  return joined.length > limit ? `${joined.slice(0, limit - 1)}…` : joined;
}

function chartBy(title: string, controls: readonly ControlEvidence[], keys: (c: ControlEvidence) => string[], order: readonly string[]): ChartSeries {
  const bars = new Map(order.map((label) => [label, { label, fail: 0, pass: 0, other: 0 }]));
  for (const c of controls) {
    for (const key of keys(c)) {
      let bar = bars.get(key);
      if (!bar) {
        bar = { label: key, fail: 0, pass: 0, other: 0 };
        bars.set(key, bar);
      }
      bar.fail += c.counts.failed;
      bar.pass += c.counts.passed;
      bar.other += c.counts.errors + c.counts.notEvaluated + c.counts.excepted;
    }
  }
  return { title, bars: [...bars.values()] };
}

function exceptionEvidence(exceptions: readonly PolicyException[], findings: readonly Finding[], now: string): EvidenceModel["exceptions"] {
  const active: ExceptionEvidence[] = [];
  const expired: ExceptionEvidence[] = [];
  const nowMs = Date.parse(now);
  for (const e of exceptions) {
    const control = globToRegExp(e.control);
    const subject = globToRegExp(e.subject);
    const matched = findings.filter((f) => f.status === "fail" && control.test(f.controlId) && (subject.test(f.subject.id) || subject.test(f.subject.name))).length;
    const entry = { control: e.control, subject: e.subject, reason: e.reason, approver: e.approver, ticket: e.ticket, expires: e.expires, matched, where: `${e.file}:${e.line}` };
    if (expiryTime(e.expires) < nowMs) expired.push(entry);
    else active.push(entry);
  }
  // Excepted findings whose exception file was not given to the report still show who approved them.
  if (exceptions.length === 0) {
    const seen = new Map<string, ExceptionEvidence>();
    for (const f of findings) {
      if (!f.excepted) continue;
      const key = `${f.excepted.file}:${f.excepted.line}`;
      const entry = seen.get(key);
      if (entry) entry.matched++;
      else seen.set(key, { control: f.controlId, subject: f.subject.name, reason: f.excepted.reason, approver: f.excepted.approver, ticket: f.excepted.ticket, expires: f.excepted.expires, matched: 1, where: key });
    }
    active.push(...seen.values());
  }
  return { active, expired };
}

function collectionErrors(sources: readonly SourceEvidence[], controls: readonly ControlEvidence[]): CollectionErrorEvidence[] {
  const out: CollectionErrorEvidence[] = [];
  for (const s of sources) {
    const affected = controls.filter((c) => c.problems.some((p) => p.scope === s.id)).map((c) => c.id);
    for (const e of s.errors) out.push({ source: s.id, step: e.step, call: e.call, message: e.message, controls: affected });
    if (s.errors.length === 0 && s.status !== "ok") out.push({ source: s.id, step: "(source)", call: null, message: `source status ${s.status} without a recorded error`, controls: affected });
  }
  return out;
}

function dnsNameOf(namingContext: string): string {
  const parts = namingContext.split(",").map((p) => p.trim());
  if (parts.length > 0 && parts.every((p) => /^dc=/i.test(p))) return parts.map((p) => p.slice(3)).join(".");
  return namingContext;
}

function uncataloged(f: Finding): CatalogControl {
  return { id: f.controlId, title: f.title, severity: f.severity, package: "", rationale: "", remediation: f.remediation, rotation: { eligible: false, rotator: null }, mappings: f.mappings };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function lowerFirst(text: string): string {
  return text.length > 1 && text[1] === text[1].toLowerCase() ? text[0].toLowerCase() + text.slice(1) : text;
}
