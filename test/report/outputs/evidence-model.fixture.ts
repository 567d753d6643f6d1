// The evidence model the document formats (pdf, html) render in their tests: built from the
// report fixture's findings and the snapshot they came from, as the pack builds it.
import { readFileSync } from "node:fs";
import { loadCatalog } from "../../../src/policy/catalog/load.ts";
import { buildEvidenceModel } from "../../../src/report/evidence/build-model.ts";
import type { EvidenceModel } from "../../../src/report/evidence/model.ts";
import type { Snapshot } from "../../../src/snapshot/types.ts";
import { loadFindingsFixture } from "../fixture.ts";

export function evidenceModelFixture(): EvidenceModel {
  const snapshot = JSON.parse(readFileSync(new URL("../../fixtures/snapshots/collection-errors.json", import.meta.url), "utf8")) as Snapshot;
  return buildEvidenceModel({
    findings: loadFindingsFixture(),
    snapshot,
    catalog: loadCatalog(),
    organisation: "Fixture Org",
    toolVersion: "9.9.9",
    nodeVersion: "v24.0.0",
    policyHash: "abc",
    generatedAt: "2026-06-01T00:00:00Z",
    maxSubjectsPerControl: 3,
  });
}
