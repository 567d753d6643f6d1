import { describe, expect, it } from "vitest";
import type { CatalogControl } from "../../../src/policy/catalog/types.ts";
import { joinWithCatalog } from "../../../src/policy/engine/join-catalog.ts";
import type { RegoResult } from "../../../src/policy/engine/rego-result.ts";

const control = (id: string, pkg: string): CatalogControl => ({
  id,
  title: id,
  severity: "high",
  package: pkg,
  rationale: "",
  remediation: "",
  rotation: { eligible: false, rotator: null },
  mappings: { nist_csf_2: [], owasp_nhi_2025: [], cis_v8: [], iso27001_2022: [] },
});
const result = (controlId: string, id: string, status: RegoResult["status"], source = "corp"): RegoResult => ({
  control: controlId,
  status,
  subject: { source, kind: "account", id, name: id },
  evidence: {},
  message: `${id} ${status}`,
});

describe("joining policy results with the catalog", () => {
  it("drops a source's 'nothing to judge' when that source's subjects of the control were left unjudged", () => {
    const empty = (source: string): RegoResult => ({
      control: "CG-A-001",
      status: "not_applicable",
      subject: { source, kind: "population", id: `CG-A-001:${source}`, name: "accounts" },
      evidence: {},
      message: `CG-A-001 not applicable to ${source}`,
    });
    const findings = joinWithCatalog({
      catalog: { version: 1, controls: [control("CG-A-001", "credgov.a")] },
      results: [empty("corp"), result("CG-A-001", "u1", "not_evaluated"), empty("other")],
      failedPackages: new Map(),
      evaluatedPackages: new Set(["credgov.a"]),
      sourceKinds: new Map([["corp", "ad"], ["other", "ad"]]),
      warn: () => {},
    });
    expect(findings.map((f) => [f.status, f.subject.source, f.subject.id])).toEqual([
      ["not_evaluated", "corp", "u1"],
      ["not_applicable", "other", "CG-A-001:other"],
    ]);
  });

  it("makes a control that judged one subject twice `error`, never a verdict picked from the two", () => {
    const warnings: string[] = [];
    const findings = joinWithCatalog({
      catalog: { version: 1, controls: [control("CG-A-001", "credgov.a"), control("CG-B-001", "credgov.b")] },
      results: [
        result("CG-A-001", "u1", "pass"),
        result("CG-A-001", "u1", "fail"),
        result("CG-A-001", "u2", "pass"),
        // The same id in another source, and under another control, is another finding.
        result("CG-B-001", "u1", "pass"),
        result("CG-B-001", "u1", "fail", "other"),
        // A control no catalog defines: the first result is kept and the repeat is warned about.
        result("X-1", "u1", "pass"),
        result("X-1", "u1", "fail"),
      ],
      failedPackages: new Map(),
      evaluatedPackages: new Set(["credgov.a", "credgov.b"]),
      sourceKinds: new Map([["corp", "ad"]]),
      warn: (m) => warnings.push(m),
    });
    expect(findings.map((f) => [f.controlId, f.status, f.subject.source, f.subject.id])).toEqual([
      ["CG-A-001", "error", "", "credgov.a"],
      ["CG-B-001", "fail", "other", "u1"],
      ["CG-B-001", "pass", "corp", "u1"],
      ["X-1", "pass", "corp", "u1"],
    ]);
    expect(findings[0].message).toBe("CG-A-001 could not be evaluated: CG-A-001 emitted two results for subject u1 of source corp (a control judges a subject once)");
    expect(warnings.filter((w) => w.includes("two results"))).toEqual(["policy emitted two results for X-1 on subject u1; the first is reported"]);
  });
});
