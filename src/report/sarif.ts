// SARIF 2.1.0 as GitHub code scanning wants it: one rule per control with markdown help and
// `security-severity`, one result per failing subject with a physical location (the line of
// the subject in snapshot.json) and stable `partialFingerprints`. Excepted findings carry a
// suppression; collection errors become tool execution notifications, not results.
// Locations are relative to %SRCROOT% (stated in originalUriBaseIds) when the snapshot lies
// inside that root; a "../../" path would not resolve in code scanning, so outside files get
// an absolute file URI instead.
import { createHash } from "node:crypto";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import type { CatalogControl, Severity } from "../policy/catalog/types.ts";
import type { Finding } from "../policy/engine/finding.ts";

const securitySeverity: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: "0.0" };
const level: Record<Severity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note", info: "note" };

export interface SarifOptions {
  toolVersion: string;
  /** Catalog controls, for rationale (fullDescription); findings alone carry title and remediation. */
  controls?: readonly CatalogControl[];
  /** The snapshot the locations point into, absolute or relative to rootDir (default snapshot.json). */
  artifactPath?: string;
  /** What %SRCROOT% stands for: the repository root the SARIF is uploaded for (default: the working directory). */
  rootDir?: string;
  /** Subject id -> line in the snapshot file (see subject-lines.ts); line 1 when absent. */
  lines?: Map<string, number>;
  /** Distinguishes several uploads per commit (GitHub `category`). */
  automationId?: string;
}

export function fingerprint(f: Finding): string {
  return createHash("sha256").update(`${f.controlId}\0${f.subject.source}\0${f.subject.id}`).digest("hex");
}

const srcRoot = "%SRCROOT%";

/** `{ uri, uriBaseId }` relative to the root when `path` is inside it, else an absolute file URI. */
export function artifactLocation(path: string, rootDir: string): { uri: string; uriBaseId?: string } {
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

export function renderSarif(findings: readonly Finding[], options: SarifOptions): object {
  const rootDir = options.rootDir ?? process.cwd();
  const artifact = artifactLocation(options.artifactPath ?? "snapshot.json", rootDir);
  const rationale = new Map((options.controls ?? []).map((c) => [c.id, c.rationale]));
  const ruleIndex = new Map<string, number>();
  const rules: object[] = [];
  for (const f of findings) {
    if (ruleIndex.has(f.controlId)) continue;
    ruleIndex.set(f.controlId, rules.length);
    rules.push(rule(f, rationale.get(f.controlId)));
  }
  const results = findings
    .filter((f) => f.status === "fail")
    .map((f) => ({
      ruleId: f.controlId,
      ruleIndex: ruleIndex.get(f.controlId),
      kind: "fail",
      level: level[f.severity],
      message: { text: f.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifact,
            region: { startLine: options.lines?.get(f.subject.id) ?? 1 },
          },
          logicalLocations: [{ name: f.subject.name, fullyQualifiedName: f.subject.id, kind: f.subject.kind }],
        },
      ],
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
    }));
  const notifications = findings
    .filter((f) => f.status === "error" || f.status === "not_evaluated")
    .map((f) => ({
      level: f.status === "error" ? "error" : "warning",
      message: { text: f.message },
      associatedRule: { id: f.controlId, index: ruleIndex.get(f.controlId) },
    }));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "credgov",
            semanticVersion: options.toolVersion,
            version: options.toolVersion,
            rules,
          },
        },
        automationDetails: { id: options.automationId ?? "credgov/" },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        originalUriBaseIds: { [srcRoot]: { uri: rootUri(rootDir) } },
        artifacts: [{ location: artifact }],
        results,
      },
    ],
  };
}

function rule(f: Finding, rationale: string | undefined): object {
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
      tags: ["security", "identity", ...m.nist_csf_2.map((id) => `nist-csf-2/${id}`), ...m.owasp_nhi_2025.map((id) => `owasp-nhi-2025/${id}`)],
    },
  };
}
