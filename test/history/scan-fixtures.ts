// Scans to record in history tests: a real fixture snapshot and findings built per test.
import { readFileSync } from "node:fs";
import type { Finding } from "../../src/policy/engine/finding.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";
import { scanRecord, type ScanRecord } from "../../src/history/scan-record.ts";

export const fixtureSnapshot: Snapshot = JSON.parse(readFileSync(new URL("../fixtures/snapshots/all-controls.json", import.meta.url), "utf8")) as Snapshot;

export function finding(controlId: string, status: Finding["status"], subjectId: string, extra: Partial<Finding> = {}): Finding {
  return {
    controlId,
    title: `${controlId} title`,
    severity: "high",
    status,
    subject: { source: "corp-ad", kind: "service", id: subjectId, name: subjectId.replace(/^.*:/, "") },
    message: `${controlId} ${status} on ${subjectId}`,
    evidence: status === "pass" ? { passing: 7 } : {},
    mappings: { nist_csf_2: [], owasp_nhi_2025: [], cis_v8: [], iso27001_2022: [] },
    remediation: "fix it",
    rotation: { eligible: false, rotator: null },
    ...extra,
  };
}

export function record(id: string, startedAt: string, findings: Finding[], extra: Partial<ScanRecord> = {}): ScanRecord {
  return {
    ...scanRecord({
      id,
      startedAt,
      finishedAt: startedAt.replace(/:00\.000Z$/, ":30.000Z"),
      toolVersion: "0.1.0",
      host: "ci-runner",
      configSha256: "c".repeat(64),
      policySha256: "p".repeat(64),
      snapshotSha256: "s".repeat(64),
      exitCode: 1,
      snapshot: fixtureSnapshot,
      findings,
    }),
    ...extra,
  };
}
