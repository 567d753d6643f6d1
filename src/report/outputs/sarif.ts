// SARIF 2.1.0 as GitHub code scanning ingests it: one rule per control with markdown help and
// `security-severity`; one result per failing subject, located on a line of a repository file
// a reviewer can open (the exception that waived it, else the baseline line that declares what
// it judged, else the source's entry in credgov.yaml, else the control in its catalog), with the directory object itself as the logical location
// and stable `partialFingerprints`. Excepted findings carry a suppression; collection errors
// become tool execution notifications. GitHub rejects a run of more than 25,000 results or an
// upload over 10 MB gzip-compressed: past either limit the lowest-severity results are left out
// and the run's properties say how many, by severity.
// Locations are relative to %SRCROOT% (stated in originalUriBaseIds) when the file lies inside
// that root; a "../../" path would not resolve in code scanning, so outside files get an
// absolute file URI instead.
import { createHash } from "node:crypto";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import type { ArtifactLocation, Location, Log, Notification, ReportingDescriptor, Result, Run } from "sarif";
import type { CatalogControl, Severity } from "../../policy/catalog/types.ts";
import type { Finding } from "../../policy/engine/finding.ts";
import { severityRank } from "../control-summary.ts";
import { loadRepositoryLocations, type RepositoryLocation, type RepositoryLocations } from "../repository-locations.ts";
import type { FindingsOutput } from "./output.ts";


export const sarifOutput: FindingsOutput = {
  kind: "findings",
  name: "sarif",
  files: ["results.sarif"],
  render: (input) => {
    const sarif = renderSarif(input.findings, {
      toolVersion: input.toolVersion,
      controls: input.controls,
      locations: loadRepositoryLocations(input.repository ?? {}),
      rootDir: input.rootDir,
      category: input.sarifCategory,
    });
    const o = sarif.omitted;
    if (o.results > 0) {
      const left = Object.entries(o.bySeverity).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(", ");
      input.warn?.(
        `${input.shownAs("results.sarif")}: ${o.results} results left out to stay within GitHub's ${o.reason === "size" ? "10 MB upload size" : "25,000 results per run"} ` +
          `(lowest severity first: ${left}); findings.json has them all`,
      );
    }
    return { "results.sarif": sarif.text };
  },
};

const securitySeverity: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: "0.0" };
const level: Record<Severity, Result.level> = { critical: "error", high: "error", medium: "warning", low: "note", info: "note" };

/** GitHub code scanning's limits (docs: "SARIF support for code scanning", upload limits). */
export const githubLimits = { resultsPerRun: 25_000, gzippedBytes: 10 * 1024 * 1024, tagsPerRule: 20 } as const;

export const informationUri = "https://credgov.dev";

export interface SarifOptions {
  toolVersion: string;
  /** Catalog controls, for rationale (fullDescription); findings alone carry title and remediation. */
  controls?: readonly CatalogControl[];
  /** Lines of credgov.yaml, exceptions and catalogs that results point at. */
  locations?: RepositoryLocations;
  /** What %SRCROOT% stands for: the repository root the SARIF is uploaded for (default: the working directory). */
  rootDir?: string;
  /** Tells several uploads per commit apart (GitHub `category`, SARIF automationDetails.id). */
  category?: string;
  /** Results kept per run (default GitHub's 25,000). */
  maxResults?: number;
  /** Serialized size limit, gzip-compressed (default GitHub's 10 MB). */
  maxGzippedBytes?: number;
}

/** What a capped run left out, also stated in the run's properties. */
export interface SarifOmissions {
  results: number;
  bySeverity: Record<Severity, number>;
  reason?: "results-per-run" | "size";
}

export interface RenderedSarif {
  log: Log;
  /** The serialized log, as written to results.sarif. */
  text: string;
  omitted: SarifOmissions;
}

export function fingerprint(f: Finding): string {
  return createHash("sha256").update(`${f.controlId}\0${f.subject.source}\0${f.subject.id}`).digest("hex");
}

const srcRoot = "%SRCROOT%";

/** `{ uri, uriBaseId }` relative to the root when `path` is inside it, else an absolute file URI. */
export function artifactLocation(path: string, rootDir: string): ArtifactLocation {
  const absolute = resolve(rootDir, path);
  const rel = relative(resolve(rootDir), absolute);
  if (rel !== "" && rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel)) {
    return { uri: rel.split(sep).map(encodeURIComponent).join("/"), uriBaseId: srcRoot };
  }
  return { uri: pathToFileURL(absolute).href };
}

/** SARIF wants a base URI to end with a slash, or the last segment is dropped when resolving. */
function rootUri(rootDir: string): string {
  const href = pathToFileURL(resolve(rootDir)).href;
  return href.endsWith("/") ? href : `${href}/`;
}

export function renderSarif(findings: readonly Finding[], options: SarifOptions): RenderedSarif {
  const rootDir = options.rootDir ?? process.cwd();
  const rationale = new Map((options.controls ?? []).map((c) => [c.id, c.rationale]));
  const ruleIndex = new Map<string, number>();
  const rules: ReportingDescriptor[] = [];
  for (const f of findings) {
    if (ruleIndex.has(f.controlId)) continue;
    ruleIndex.set(f.controlId, rules.length);
    rules.push(rule(f, rationale.get(f.controlId)));
  }
  // Highest severity first, so a capped run keeps what matters most; stable within a severity.
  const failing = findings
    .filter((f) => f.status === "fail")
    .sort((a, b) => severityRank[b.severity] - severityRank[a.severity] || (a.controlId < b.controlId ? -1 : a.controlId > b.controlId ? 1 : 0));
  const results = failing.map((f) => result(f, ruleIndex.get(f.controlId) as number, options.locations, rootDir));
  const notifications: Notification[] = findings
    .filter((f) => f.status === "error" || f.status === "not_evaluated")
    .map((f) => ({
      level: f.status === "error" ? "error" : "warning",
      message: { text: f.message },
      associatedRule: { id: f.controlId, index: ruleIndex.get(f.controlId) },
    }));
  const run = (kept: number, omitted: SarifOmissions): Run => ({
    tool: { driver: { name: "credgov", informationUri, semanticVersion: options.toolVersion, version: options.toolVersion, rules } },
    automationDetails: { id: `${(options.category ?? "credgov").replace(/\/+$/, "")}/` },
    invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
    originalUriBaseIds: { [srcRoot]: { uri: rootUri(rootDir) } },
    results: results.slice(0, kept),
    ...(omitted.results > 0 ? { properties: { omittedResults: omitted.results, omittedResultsBySeverity: omitted.bySeverity, omittedBecause: omitted.reason } } : {}),
  });
  const serialize = (kept: number, reason?: SarifOmissions["reason"]): RenderedSarif => {
    const omitted = omissions(failing.slice(kept), reason);
    const log: Log = { $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs: [run(kept, omitted)] };
    return { log, text: `${JSON.stringify(log, null, 1)}\n`, omitted };
  };

  const maxResults = options.maxResults ?? githubLimits.resultsPerRun;
  const maxBytes = options.maxGzippedBytes ?? githubLimits.gzippedBytes;
  let kept = Math.min(results.length, maxResults);
  let rendered = serialize(kept, kept < results.length ? "results-per-run" : undefined);
  // Shrink by the measured ratio until the compressed log fits; each pass is one gzip of the text.
  for (let size = gzippedSize(rendered.text); size > maxBytes && kept > 0; size = gzippedSize(rendered.text)) {
    kept = Math.max(0, Math.min(kept - 1, Math.floor((kept * maxBytes * 0.95) / size)));
    rendered = serialize(kept, "size");
  }
  return rendered;
}

function gzippedSize(text: string): number {
  return gzipSync(text, { level: 6 }).length;
}

function omissions(left: readonly Finding[], reason: SarifOmissions["reason"]): SarifOmissions {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const f of left) bySeverity[f.severity]++;
  return { results: left.length, bySeverity, ...(left.length > 0 ? { reason } : {}) };
}

function physical(at: RepositoryLocation, rootDir: string): Location["physicalLocation"] {
  return { artifactLocation: artifactLocation(at.file, rootDir), region: { startLine: at.line } };
}

function result(f: Finding, ruleIndex: number, locations: RepositoryLocations | undefined, rootDir: string): Result {
  const primary = locations?.primary(f);
  const related: Location[] = [];
  const source = locations?.source(f.subject.source);
  const control = locations?.control(f.controlId);
  // Located on an exception or baseline line: the source's entry is where else to look.
  if (source && (primary?.file !== source.file || primary.line !== source.line)) related.push({ id: related.length + 1, physicalLocation: physical(source, rootDir), message: { text: `source ${f.subject.source}` } });
  if (control && control !== primary) related.push({ id: related.length + 1, physicalLocation: physical(control, rootDir), message: { text: `control ${f.controlId}` } });
  return {
    ruleId: f.controlId,
    ruleIndex,
    kind: "fail",
    level: level[f.severity],
    message: { text: f.message },
    locations: [
      {
        ...(primary ? { physicalLocation: physical(primary, rootDir) } : {}),
        // The directory object the finding is about: the thing to fix, though no file holds it.
        logicalLocations: [{ name: f.subject.name, fullyQualifiedName: f.subject.id, kind: "resource" }],
      },
    ],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { "credgovSubject/v1": fingerprint(f) },
    ...(f.excepted
      ? {
          suppressions: [
            {
              kind: "external",
              status: "accepted",
              justification: `${f.excepted.reason} (approved by ${f.excepted.approver}, ticket ${f.excepted.ticket}, expires ${f.excepted.expires})`,
            },
          ],
        }
      : {}),
    properties: { severity: f.severity, subject: f.subject, evidence: f.evidence },
  };
}

function rule(f: Finding, rationale: string | undefined): ReportingDescriptor {
  const m = f.mappings;
  const mappingLines = [
    m.nist_csf_2.length ? `- NIST CSF 2.0: ${m.nist_csf_2.join(", ")}` : "",
    m.owasp_nhi_2025.length ? `- OWASP NHI Top 10 (2025): ${m.owasp_nhi_2025.join(", ")}` : "",
    m.cis_v8.length ? `- CIS Controls v8: ${m.cis_v8.join(", ")}` : "",
    m.iso27001_2022.length ? `- ISO/IEC 27001:2022: ${m.iso27001_2022.join(", ")}` : "",
  ].filter(Boolean);
  const text = `${rationale ? `${rationale}\n\n` : ""}Remediation: ${f.remediation}`;
  const markdown = [
    `**${f.controlId}: ${f.title}**`,
    "",
    rationale ?? "",
    "",
    `**Remediation.** ${f.remediation}`,
    "",
    ...(mappingLines.length ? ["**Framework mappings**", "", ...mappingLines] : []),
  ].join("\n");
  const tags = ["security", "identity", ...m.nist_csf_2.map((id) => `nist-csf-2/${id}`), ...m.owasp_nhi_2025.map((id) => `owasp-nhi-2025/${id}`)];
  return {
    id: f.controlId,
    name: f.controlId.replace(/[^A-Za-z0-9]/g, ""),
    shortDescription: { text: f.title },
    fullDescription: { text: rationale ?? f.title },
    help: { text, markdown },
    defaultConfiguration: { level: level[f.severity] },
    properties: {
      "security-severity": securitySeverity[f.severity],
      precision: "high",
      tags: tags.slice(0, githubLimits.tagsPerRule),
    },
  };
}
