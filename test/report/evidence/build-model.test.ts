import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/policy/catalog/load.ts";
import type { Finding } from "../../../src/policy/engine/finding.ts";
import type { PolicyException } from "../../../src/policy/exceptions/types.ts";
import { buildEvidenceModel, maxQueriesPerRow } from "../../../src/report/evidence/build-model.ts";
import { subjectCsvLines } from "../../../src/report/evidence/subject-csv.ts";
import type { Snapshot } from "../../../src/snapshot/types.ts";
import { loadFindingsFixture } from "../fixture.ts";

// findings.fixture.json is the engine's output for this snapshot (collection errors included).
const snapshot = JSON.parse(readFileSync(new URL("../../fixtures/snapshots/collection-errors.json", import.meta.url), "utf8")) as Snapshot;

function exception(control: string, subject: string, expires: string): PolicyException {
  return { control, subject, reason: "vendor appliance", approver: "ciso@corp.example", ticket: "SEC-1", expires, file: "exceptions.yaml", line: 2 };
}

describe("buildEvidenceModel", () => {
  const findings = loadFindingsFixture();
  const model = buildEvidenceModel({
    findings,
    snapshot,
    catalog: loadCatalog(),
    exceptions: [exception("CG-NHI-004", "corp-ad:svc-sql", "2099-12-31"), exception("CG-HYG-001", "carol*", "2020-01-01")],
    toolVersion: "9.9.9",
    nodeVersion: "v24.0.0",
    policyHash: "abc",
    generatedAt: "2026-06-01T00:00:00Z",
    maxSubjectsPerControl: 1,
  });

  it("counts what the findings say, per control and in total", () => {
    const fails = findings.filter((f) => f.status === "fail" && !f.excepted).length;
    expect(model.totals.failed).toBe(fails);
    expect(model.totals.excepted).toBe(findings.filter((f) => f.excepted).length);
    const nhi4 = model.controls.find((c) => c.id === "CG-NHI-004");
    expect(nhi4?.counts.failed).toBe(findings.filter((f) => f.controlId === "CG-NHI-004" && f.status === "fail" && !f.excepted).length);
    expect(model.totals.controls).toBe(new Set(findings.map((f) => f.controlId)).size);
  });

  it("caps the listed failing subjects and points at the CSV holding all of them", () => {
    const frag1 = model.controls.find((c) => c.id === "CG-FRAG-001");
    expect(frag1?.failingTotal).toBeGreaterThan(1);
    expect(frag1?.failing).toHaveLength(1);
    expect(frag1?.csvFile).toBe("subjects/CG-FRAG-001.csv");
  });

  it("names subjects as people read them, with the directory and the id kept apart", () => {
    const subjects = model.controls.flatMap((c) => c.failing);
    expect(subjects).toContainEqual(expect.objectContaining({ name: "svc-sql / corp-ad:svc-sql:password", directory: "corp-ad", kind: "password", id: "corp-ad:svc-sql:password" }));
  });

  it("reconciles each population with the source's queries: in scope = passing + failing, entries returned from the queries", () => {
    for (const c of model.controls) {
      for (const row of c.population) {
        expect(row.inScope, `${c.id} ${row.scope}`).toBe(row.passing + row.failing);
        const source = snapshot.sources.find((s) => s.id === row.scope);
        if (source) {
          expect(row.returned).toBe(source.queries.reduce((n, q) => n + q.resultCount, 0));
          expect(row.queries).toHaveLength(Math.min(source.queries.length, maxQueriesPerRow + 1));
          for (const q of source.queries.filter((x) => x.status !== "ok").slice(0, maxQueriesPerRow)) expect(row.queries.join("\n")).toContain(q.call);
        }
      }
    }
  });

  it("lists collection errors with the controls they left in error, never as passes", () => {
    const failed = snapshot.sources.filter((s) => s.errors.length > 0);
    expect(failed.length).toBeGreaterThan(0);
    for (const s of failed) {
      const entries = model.collectionErrors.filter((e) => e.source === s.id);
      expect(entries).toHaveLength(s.errors.length);
      const inError = findings.filter((f) => f.status === "error" && f.subject.source === s.id).map((f) => f.controlId);
      for (const e of entries) expect(e.controls).toEqual(expect.arrayContaining(inError));
      for (const id of inError) expect(model.controls.find((c) => c.id === id)?.status).not.toBe("pass");
    }
  });

  it("separates active and expired exceptions, counting the findings each covers", () => {
    expect(model.exceptions.active).toEqual([expect.objectContaining({ control: "CG-NHI-004", ticket: "SEC-1", matched: 1 })]);
    expect(model.exceptions.expired).toEqual([expect.objectContaining({ control: "CG-HYG-001", expires: "2020-01-01", matched: 1 })]);
  });

  it("maps controls into the four frameworks, NIST CSF as function → category → subcategory", () => {
    expect(model.frameworks.nist.map((f) => f.id)).toEqual(["GV", "ID", "PR", "DE", "RS", "RC"]);
    const aa = model.frameworks.nist.find((f) => f.id === "PR")?.categories.find((c) => c.id === "PR.AA");
    expect(aa?.name).toBe("Identity Management, Authentication, and Access Control");
    const aa01 = aa?.subcategories.find((s) => s.id === "PR.AA-01");
    expect(aa01?.controls).toContain("CG-RESET-001");
    expect(aa01?.status).toBe("fail");
    expect(model.frameworks.owasp.map((r) => r.id)).toEqual(Array.from({ length: 10 }, (_, i) => `NHI${i + 1}:2025`));
    expect(model.frameworks.cis.find((r) => r.id === "5.2")?.title).toMatch(/Unique Passwords/);
    expect(model.frameworks.iso.find((r) => r.id === "A.5.17")?.title).toBe("Authentication information");
  });

  it("charts sum to the totals", () => {
    const sum = (bars: Array<{ fail: number }>) => bars.reduce((n, b) => n + b.fail, 0);
    expect(sum(model.charts.byArea.bars)).toBe(model.totals.failed);
    expect(sum(model.charts.bySeverity.bars)).toBe(model.totals.failed);
  });
});

describe("population queries", () => {
  it("lists failed queries first and sums what is left beyond the first ten", () => {
    const queries = Array.from({ length: 25 }, (_, i) => ({ step: `repo-${i}`, call: `GET /repos/{org}/r${i}/keys`, resultCount: 2, status: i === 20 ? ("error" as const) : ("ok" as const) }));
    const source = { ...snapshot.sources[0], id: "gh", kind: "github" as const, queries, errors: [] };
    const finding = { ...loadFindingsFixture().find((f) => f.status === "pass")!, subject: { source: "gh", kind: "population", id: "x", name: "keys" }, evidence: { population: 3, passing: 3, failing: 0 } };
    const m = buildEvidenceModel({ findings: [finding], snapshot: { ...snapshot, sources: [source] }, catalog: loadCatalog(), toolVersion: "1", nodeVersion: "v24", policyHash: null, generatedAt: "2026-06-01T00:00:00Z" });
    const row = m.controls[0].population[0];
    expect(row.returned).toBe(50);
    expect(row.queries).toHaveLength(11);
    expect(row.queries[0]).toBe("GET /repos/{org}/r20/keys — 2 (error)");
    expect(row.queries[10]).toBe("… and 15 more queries returning 30 entries (all in snapshot.json, sources[].queries)");
  });
});

describe("subject CSV", () => {
  it("quotes separators and defuses spreadsheet formulas in directory data", () => {
    const f = loadFindingsFixture().find((x) => x.status === "fail") as Finding;
    const hostile: Finding = { ...f, subject: { ...f.subject, name: '=HYPERLINK("x"), a', id: "id,1" } };
    const lines = [...subjectCsvLines([hostile])];
    expect(lines[0]).toMatch(/^control,severity,subject,directory/);
    expect(lines[1]).toContain(`"'=HYPERLINK(""x""), a"`);
    expect(lines[1]).toContain(`"id,1"`);
  });
});
