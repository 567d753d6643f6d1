import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import type { Log, Result } from "sarif";
import { afterAll, describe, expect, it } from "vitest";
import { builtinCatalogPath, loadCatalog } from "../../../src/policy/catalog/load.ts";
import type { Finding } from "../../../src/policy/engine/finding.ts";
import { loadRepositoryLocations } from "../../../src/report/repository-locations.ts";
import { artifactLocation, renderSarif } from "../../../src/report/outputs/sarif.ts";
import { loadFindingsFixture } from "../fixture.ts";
import { writeOutputs } from "../../../src/report/write-outputs.ts";
import { multitoolProblems, sarifValidator } from "../sarif-validators.ts";

const work = mkdtempSync(join(tmpdir(), "credgov-sarif-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// A repository: credgov.yaml naming the fixture's sources, and the exception file the excepted finding cites.
const configText = `version: 1
sources:
  - id: corp-ad
    kind: ad
    file: ad.ldif
  - id: corp-entra
    kind: entra
    dir: entra
  - id: legacy-ldap
    kind: ldap
    file: legacy.ldif
`;
writeFileSync(join(work, "credgov.yaml"), configText);
writeFileSync(join(work, "exceptions.yaml"), "exceptions:\n  - control: CG-RESET-005\n");
const configFile = join(work, "credgov.yaml");
const locations = loadRepositoryLocations({ configFile, catalogFiles: [builtinCatalogPath] });

describe("renderSarif", () => {
  const findings = loadFindingsFixture().map((f) => (f.excepted ? { ...f, excepted: { ...f.excepted, file: join(work, "exceptions.yaml") } } : f));
  const { log, text } = renderSarif(findings, { toolVersion: "0.1.0", controls: loadCatalog().controls, locations, rootDir: work });
  const run = log.runs[0];
  const results = run.results as Result[];

  it("is valid against the official SARIF 2.1.0 schema", () => {
    const validate = sarifValidator();
    const ok = validate(JSON.parse(text));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("uses a live validator: a result without a message is rejected", () => {
    const broken = JSON.parse(text) as Log;
    delete (broken.runs[0].results?.[0] as Partial<Result>).message;
    expect(sarifValidator()(broken)).toBe(false);
  });

  it("passes Microsoft's SARIF Multitool with GitHub's rules (Gh;Sarif), which does flag a log without informationUri", () => {
    const file = join(work, "results.sarif");
    writeFileSync(file, text);
    expect(multitoolProblems(file)).toEqual([]);
    const bad = JSON.parse(text) as Log;
    delete bad.runs[0].tool.driver.informationUri;
    writeFileSync(join(work, "bad.sarif"), JSON.stringify(bad));
    expect(multitoolProblems(join(work, "bad.sarif")).map((p) => p.ruleId)).toContain("SARIF2005");
  });

  it("has one result per failing finding, highest severity first, and none for passes or errors", () => {
    expect(results.length).toBe(findings.filter((f) => f.status === "fail").length);
    const rank = { critical: 4, high: 3, medium: 2, low: 1, info: 0 } as const;
    const severities = results.map((r) => rank[(r.properties as { severity: keyof typeof rank }).severity]);
    expect(severities).toEqual([...severities].sort((a, b) => b - a));
    expect(run.invocations?.[0].toolExecutionNotifications?.length).toBe(findings.filter((f) => f.status === "error" || f.status === "not_evaluated").length);
  });

  it("gives every rule help markdown and a security-severity GitHub understands", () => {
    for (const rule of run.tool.driver.rules ?? []) {
      expect(rule.help?.markdown).toContain("Remediation");
      const score = Number(rule.properties?.["security-severity"]);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(10);
      expect((rule.properties?.tags as string[]).length).toBeLessThanOrEqual(20);
    }
    const critical = run.tool.driver.rules?.find((r) => r.id === "CG-RESET-003");
    expect(Number(critical?.properties?.["security-severity"])).toBeGreaterThanOrEqual(9);
  });

  it("locates results on repository lines: the source's entry in credgov.yaml, the exception, or the control in the catalog", () => {
    const catalogLines = readFileSync(builtinCatalogPath, "utf8").split("\n");
    const configLines = configText.split("\n");
    const bySource = { config: 0, exception: 0, catalog: 0 };
    for (const r of results) {
      const finding = r.properties as unknown as { subject: Finding["subject"] };
      const loc = r.locations?.[0];
      const physical = loc?.physicalLocation;
      const line = physical?.region?.startLine as number;
      expect(loc?.logicalLocations?.[0]).toMatchObject({ name: finding.subject.name, fullyQualifiedName: finding.subject.id, kind: "resource" });
      if (r.suppressions) {
        expect(physical?.artifactLocation).toEqual({ uri: "exceptions.yaml", uriBaseId: "%SRCROOT%" });
        expect(line).toBe(2);
        bySource.exception++;
      } else if (physical?.artifactLocation?.uri === "credgov.yaml") {
        const first = finding.subject.source.split(",")[0];
        expect(configLines[line - 1]).toBe(`  - id: ${first}`);
        bySource.config++;
      } else {
        // gh-acme is not in this credgov.yaml: the control's entry in the catalog it came from.
        expect(physical?.artifactLocation?.uri).toBe(pathToFileURL(builtinCatalogPath).href);
        expect(catalogLines[line - 1]).toContain(`id: ${r.ruleId}`);
        expect(finding.subject.source).toBe("gh-acme");
        bySource.catalog++;
      }
      if (!r.suppressions && physical?.artifactLocation?.uri === "credgov.yaml") {
        const related = r.relatedLocations?.[0]?.physicalLocation;
        expect(catalogLines[(related?.region?.startLine as number) - 1]).toContain(`id: ${r.ruleId}`);
      }
    }
    expect(bySource).toEqual({ config: 24, exception: 1, catalog: 3 });
  });

  it("keeps stable, distinct fingerprints", () => {
    const again = renderSarif(findings, { toolVersion: "0.1.0", locations, rootDir: work }).log.runs[0].results as Result[];
    expect(again.map((r) => r.partialFingerprints)).toEqual(results.map((r) => r.partialFingerprints));
    expect(new Set(results.map((r) => r.partialFingerprints?.["credgovSubject/v1"])).size).toBe(results.length);
  });

  it("marks excepted findings as suppressed with the justification", () => {
    const excepted = results.filter((r) => r.suppressions);
    expect(excepted.length).toBe(1);
    expect(excepted[0].ruleId).toBe("CG-RESET-005");
    expect(excepted[0].suppressions?.[0].justification).toContain("SEC-1234");
  });

  it("states the category as automationDetails.id (--sarif-category)", () => {
    expect(run.automationDetails?.id).toBe("credgov/");
    const categorised = renderSarif(findings, { toolVersion: "0.1.0", category: "nightly/corp" });
    expect(categorised.log.runs[0].automationDetails?.id).toBe("nightly/corp/");
  });

  it("caps the run at maxResults, dropping the lowest severities, and says what it left out", () => {
    const capped = renderSarif(findings, { toolVersion: "0.1.0", maxResults: 10 });
    const kept = capped.log.runs[0].results as Result[];
    expect(kept.length).toBe(10);
    const failing = findings.filter((f) => f.status === "fail");
    expect(capped.omitted.results).toBe(failing.length - 10);
    // 1 critical + 14 high: the ten kept are the critical one and nine highs; every medium and low is left out.
    expect(kept.map((r) => (r.properties as { severity: string }).severity)).toEqual(["critical", ...new Array(9).fill("high")]);
    expect(capped.omitted.bySeverity).toEqual({ critical: 0, high: 5, medium: 11, low: 2, info: 0 });
    expect(capped.log.runs[0].properties).toEqual({ omittedResults: 18, omittedResultsBySeverity: capped.omitted.bySeverity, omittedBecause: "results-per-run" });
    expect(sarifValidator()(JSON.parse(capped.text))).toBe(true);
  });

  it("stays under the gzip-compressed size limit by leaving results out", () => {
    const full = renderSarif(findings, { toolVersion: "0.1.0" });
    const limit = Math.floor(gzipSync(full.text).length * 0.9);
    const small = renderSarif(findings, { toolVersion: "0.1.0", maxGzippedBytes: limit });
    expect(gzipSync(small.text).length).toBeLessThanOrEqual(limit);
    expect(small.omitted.results).toBeGreaterThan(0);
    expect(small.omitted.reason).toBe("size");
    expect((small.log.runs[0].results ?? []).length + small.omitted.results).toBe(findings.filter((f) => f.status === "fail").length);
  });

  it("states %SRCROOT% and keeps locations relative only inside it, absolute file URIs outside", () => {
    const root = "/work/repo";
    const inside = loadRepositoryLocations({ configFile, catalogFiles: [builtinCatalogPath] });
    const outsideRun = renderSarif(findings, { toolVersion: "0.1.0", rootDir: root, locations: inside }).log.runs[0];
    expect(outsideRun.originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///work/repo/" } });
    for (const r of outsideRun.results ?? []) expect(r.locations?.[0].physicalLocation?.artifactLocation?.uri).toMatch(/^file:\/\/\//);
  });

  it("treats a sibling folder whose name starts with .. as inside, and the root's parent as outside", () => {
    expect(artifactLocation("..x/snapshot.json", "/r")).toEqual({ uri: "..x/snapshot.json", uriBaseId: "%SRCROOT%" });
    expect(artifactLocation("../snapshot.json", "/r/sub")).toEqual({ uri: pathToFileURL("/r/snapshot.json").href });
    expect(artifactLocation("reports/my scan/credgov.yaml", "/r")).toEqual({ uri: "reports/my%20scan/credgov.yaml", uriBaseId: "%SRCROOT%" });
  });
});

describe("the sarif output", () => {
  it("writes results.sarif as renderSarif gives it, with the category asked for", async () => {
    const findings = loadFindingsFixture();
    const dir = mkdtempSync(join(tmpdir(), "credgov-sarif-out-"));
    const written = await writeOutputs(findings, { dir, formats: ["sarif"], toolVersion: "0.1.0", scope: "test", generatedAt: "2026-06-01T00:00:00Z", sarifCategory: "nightly" });
    expect(written).toEqual([join(dir, "results.sarif")]);
    expect(readFileSync(written[0], "utf8")).toBe(renderSarif(findings, { toolVersion: "0.1.0", category: "nightly", locations: loadRepositoryLocations({}) }).text);
    rmSync(dir, { recursive: true, force: true });
  });
});
