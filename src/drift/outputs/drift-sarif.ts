// drift.sarif: baseline drift items and baseline checks as SARIF 2.1.0 results located on the
// baseline's lines, so a pull request that changes baseline.yaml is annotated where it drifts
// or where it declares a value weaker than a control allows.
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { artifactLocation } from "../../report/outputs/sarif.ts";
import type { BaselineLocation } from "../baseline/types.ts";
import type { DriftReport } from "../drift-report.ts";

const level: Record<string, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note", info: "note" };
const securitySeverity: Record<string, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0", info: "0.0" };

const driftRule = {
  id: "CG-DRIFT-BASELINE",
  name: "EstateDriftsFromBaseline",
  shortDescription: { text: "The estate differs from the declared baseline" },
  fullDescription: { text: "A collected setting, password policy, reset right, owner or secret lifetime differs from what baseline.yaml declares." },
  help: { text: "Bring the estate back to the baseline, or change the baseline in a reviewed pull request." },
  defaultConfiguration: { level: "error" },
  properties: { "security-severity": "7.0", tags: ["security", "identity", "drift"] },
};

export function renderDriftSarif(report: DriftReport, options: { toolVersion: string; rootDir?: string }): object {
  const rootDir = options.rootDir ?? process.cwd();
  const rules: object[] = [driftRule];
  const ruleIndex = new Map<string, number>([[driftRule.id, 0]]);
  const results: object[] = [];
  const artifacts = new Map<string, object>();
  const located = (l: BaselineLocation) => {
    const artifact = artifactLocation(l.file, rootDir);
    artifacts.set(JSON.stringify(artifact), { location: artifact });
    return { physicalLocation: { artifactLocation: artifact, region: { startLine: l.line, startColumn: l.column } } };
  };
  for (const c of report.baseline?.checks ?? []) {
    if (!ruleIndex.has(c.controlId)) {
      ruleIndex.set(c.controlId, rules.length);
      rules.push({
        id: c.controlId,
        name: c.controlId.replace(/[^A-Za-z0-9]/g, ""),
        shortDescription: { text: c.title },
        help: { text: `Remediation: ${c.remediation}` },
        defaultConfiguration: { level: level[c.severity] ?? "warning" },
        properties: { "security-severity": securitySeverity[c.severity] ?? "5.0", tags: ["security", "identity", "baseline"] },
      });
    }
    results.push({
      ruleId: c.controlId,
      ruleIndex: ruleIndex.get(c.controlId),
      level: level[c.severity] ?? "warning",
      message: { text: `The baseline declares ${c.settings.join(", ")} weaker than ${c.controlId} allows: ${c.message}` },
      locations: c.locations.map(located),
      partialFingerprints: { "credgovBaseline/v1": hash(`${c.controlId}\0${c.settings.join(",")}`) },
      properties: { severity: c.severity, evidence: c.evidence },
    });
  }
  for (const i of report.baseline?.items ?? []) {
    if (i.status !== "drift") continue;
    results.push({
      ruleId: driftRule.id,
      ruleIndex: 0,
      level: "error",
      message: { text: i.message },
      locations: [located(i.baseline)],
      partialFingerprints: { "credgovDrift/v1": hash(i.key) },
      properties: { source: i.source, setting: i.setting, expected: i.expected, actual: i.actual, subject: i.subject, evidence: i.evidence },
    });
  }
  const notifications = (report.baseline?.items ?? [])
    .filter((i) => i.status === "unknown")
    .map((i) => ({ level: "warning", message: { text: `${i.source} ${i.setting}: ${i.message}` } }));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "credgov", semanticVersion: options.toolVersion, version: options.toolVersion, rules } },
        automationDetails: { id: "credgov-drift/" },
        invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
        originalUriBaseIds: { "%SRCROOT%": { uri: rootUri(rootDir) } },
        artifacts: [...artifacts.values()],
        results,
      },
    ],
  };
}

function hash(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function rootUri(rootDir: string): string {
  const href = pathToFileURL(resolve(rootDir)).href;
  return href.endsWith("/") ? href : `${href}/`;
}
