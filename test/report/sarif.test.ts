import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/policy/catalog/load.ts";
import { artifactLocation, renderSarif } from "../../src/report/sarif.ts";
import { subjectLines } from "../../src/report/subject-lines.ts";
import { loadFindingsFixture } from "./fixture.ts";

// The official OASIS schema is draft-04; ajv 8 reads it as draft-07 once its draft-04 `id`
// and `$schema` header are dropped (it uses no other draft-04-only keyword).
function sarifValidator() {
  const schema = JSON.parse(readFileSync(new URL("../fixtures/sarif-schema-2.1.0.json", import.meta.url), "utf8")) as Record<string, unknown>;
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  return ajv.compile(schema);
}

interface SarifResult {
  ruleId: string;
  level: string;
  locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
  partialFingerprints: Record<string, string>;
  suppressions?: Array<{ kind: string; justification: string }>;
}

describe("renderSarif", () => {
  const findings = loadFindingsFixture();
  const snapshotText = readFileSync(new URL("../fixtures/snapshots/collection-errors.json", import.meta.url), "utf8");
  const sarif = renderSarif(findings, {
    toolVersion: "0.1.0",
    controls: loadCatalog().controls,
    lines: subjectLines(snapshotText),
  }) as { runs: Array<{ tool: { driver: { rules: Array<Record<string, any>> } }; results: SarifResult[]; invocations: Array<{ toolExecutionNotifications: unknown[] }> }> };
  const run = sarif.runs[0];

  it("is valid against the official SARIF 2.1.0 schema", () => {
    const validate = sarifValidator();
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("uses a live validator: a result without a message is rejected", () => {
    const broken = JSON.parse(JSON.stringify(sarif)) as typeof sarif;
    delete (broken.runs[0].results[0] as Partial<SarifResult> & { message?: unknown }).message;
    expect(sarifValidator()(broken)).toBe(false);
  });

  it("has one result per failing finding and none for passes or errors", () => {
    expect(run.results.length).toBe(findings.filter((f) => f.status === "fail").length);
    expect(run.invocations[0].toolExecutionNotifications.length).toBe(findings.filter((f) => f.status === "error" || f.status === "not_evaluated").length);
  });

  it("gives every rule help markdown and a security-severity GitHub understands", () => {
    for (const rule of run.tool.driver.rules) {
      expect(rule.help.markdown).toContain("Remediation");
      const score = Number(rule.properties["security-severity"]);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(10);
    }
    const critical = run.tool.driver.rules.find((r) => r.id === "CG-RESET-003");
    expect(Number(critical?.properties["security-severity"])).toBeGreaterThanOrEqual(9);
  });

  it("locates every result on the subject's line of the snapshot, with a stable fingerprint", () => {
    const lines = snapshotText.split("\n");
    const fingerprints = new Set<string>();
    for (const r of run.results) {
      const loc = r.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toBe("snapshot.json");
      expect(loc.region.startLine).toBeGreaterThan(1);
      expect(lines[loc.region.startLine - 1]).toContain('"id"');
      fingerprints.add(Object.values(r.partialFingerprints)[0]);
    }
    // Distinct subjects/controls -> distinct fingerprints; rendering twice gives the same ones.
    const again = renderSarif(findings, { toolVersion: "0.1.0" }) as typeof sarif;
    expect(again.runs[0].results.map((r) => Object.values(r.partialFingerprints)[0])).toEqual(run.results.map((r) => Object.values(r.partialFingerprints)[0]));
    expect(fingerprints.size).toBeGreaterThan(run.results.length / 2);
  });

  it("marks excepted findings as suppressed with the justification", () => {
    const excepted = run.results.filter((r) => r.suppressions);
    expect(excepted.length).toBe(1);
    expect(excepted[0].ruleId).toBe("CG-RESET-005");
    expect(excepted[0].suppressions?.[0].justification).toContain("SEC-1234");
  });

  // Regression: a snapshot outside the working directory was recorded as "../../tmp/x/snapshot.json".
  it("states %SRCROOT% and keeps locations relative only inside it, absolute file URIs outside", () => {
    const root = "/work/repo";
    type Located = { runs: Array<{ originalUriBaseIds: Record<string, { uri: string }>; artifacts: Array<{ location: unknown }>; results: SarifResult[] }> };
    const inside = renderSarif(findings, { toolVersion: "0.1.0", rootDir: root, artifactPath: join(root, "reports", "my scan", "snapshot.json") }) as Located;
    expect(inside.runs[0].originalUriBaseIds).toEqual({ "%SRCROOT%": { uri: "file:///work/repo/" } });
    const insideLoc = { uri: "reports/my%20scan/snapshot.json", uriBaseId: "%SRCROOT%" };
    expect(inside.runs[0].artifacts[0].location).toEqual(insideLoc);
    for (const r of inside.runs[0].results) expect(r.locations[0].physicalLocation.artifactLocation).toEqual(insideLoc);

    const outside = renderSarif(findings, { toolVersion: "0.1.0", rootDir: root, artifactPath: "/tmp/qa-demo/snapshot.json" }) as Located;
    const outsideLoc = { uri: "file:///tmp/qa-demo/snapshot.json" };
    expect(outside.runs[0].artifacts[0].location).toEqual(outsideLoc);
    for (const r of outside.runs[0].results) expect(r.locations[0].physicalLocation.artifactLocation).toEqual(outsideLoc);

    const validate = sarifValidator();
    for (const doc of [inside, outside]) {
      validate(doc);
      expect(validate.errors ?? []).toEqual([]);
    }
  });

  it("treats a sibling folder whose name starts with .. as inside, and the root's parent as outside", () => {
    expect(artifactLocation("..x/snapshot.json", "/r")).toEqual({ uri: "..x/snapshot.json", uriBaseId: "%SRCROOT%" });
    expect(artifactLocation("../snapshot.json", "/r/sub")).toEqual({ uri: pathToFileURL("/r/snapshot.json").href });
    expect(artifactLocation("snapshot.json", "/r")).toEqual({ uri: "snapshot.json", uriBaseId: "%SRCROOT%" });
  });
});
