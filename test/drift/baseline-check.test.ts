// The policy library judges the baseline: a baseline that declares values weaker than the
// controls' thresholds fails those controls, located on the baseline lines; drift.sarif holds
// them (and the drift items) as valid SARIF 2.1.0.
import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { checkBaseline } from "../../src/drift/baseline/check.ts";
import { parseBaseline } from "../../src/drift/baseline/load.ts";
import { buildDriftReport } from "../../src/drift/build-drift-report.ts";
import { renderDriftSarif } from "../../src/drift/outputs/drift-sarif.ts";
import { renderDriftMarkdown } from "../../src/drift/outputs/drift-markdown.ts";
import { loadCatalog } from "../../src/policy/catalog/load.ts";
import { estate } from "./estate-fixture.ts";

const weak = `version: 1
directories:
  corp-ad:
    kind: ad
    passwordPolicies:
      - select: { scope: domain }
        minLength: 8
        maxAgeDays: 0
    settings:
      krbtgtMaxAgeDays: 400
  entra:
    kind: entra
    settings:
      ssprEnabled: all
      ssprForAdmins: true
      passwordWritebackEnabled: false
      onPremisesSyncEnabled: true
    credentials:
      maxLifetimeDays: 730
  gh:
    kind: github
    settings:
      twoFactorRequired: false
`;

const strong = `version: 1
directories:
  corp-ad:
    kind: ad
    passwordPolicies:
      - select: { scope: domain }
        minLength: 14
        maxAgeDays: 0
    settings:
      krbtgtMaxAgeDays: 180
  entra:
    kind: entra
    settings:
      ssprEnabled: all
      ssprForAdmins: false
      passwordWritebackEnabled: true
      onPremisesSyncEnabled: true
    credentials:
      maxLifetimeDays: 180
  gh:
    kind: github
    settings:
      twoFactorRequired: true
`;

const options = { catalog: loadCatalog(), thresholds: { minPasswordLength: 14, maxSecretLifetimeDays: 180, krbtgtMaxAgeDays: 180 }, now: "2026-11-01T00:00:00Z" };
const lineOf = (text: string, needle: string) => text.split("\n").findIndex((l) => l.includes(needle)) + 1;

describe("the policy library checks the baseline itself", () => {
  it("fails each control a weakened value violates, on the line that declares it", async () => {
    const checks = await checkBaseline(parseBaseline(weak, "baseline.yaml"), options);
    const byControl = Object.fromEntries(checks.map((c) => [c.finding.controlId, c.locations.map((l) => l.line)]));
    expect(byControl).toEqual({
      "CG-HYG-003": [lineOf(weak, "krbtgtMaxAgeDays")],
      "CG-HYG-004": [lineOf(weak, "minLength: 8")],
      "CG-NHI-001": [lineOf(weak, "maxLifetimeDays")],
      "CG-RESET-002": [lineOf(weak, "ssprForAdmins")],
      "CG-RESET-004": [lineOf(weak, "ssprEnabled"), lineOf(weak, "passwordWritebackEnabled"), lineOf(weak, "onPremisesSyncEnabled")],
      "CG-SAAS-001": [lineOf(weak, "twoFactorRequired")],
    });
    expect(checks.find((c) => c.finding.controlId === "CG-HYG-004")?.settings).toEqual(["passwordPolicies[0].minLength"]);
  }, 120_000);

  it("passes a baseline that meets every threshold", async () => {
    expect(await checkBaseline(parseBaseline(strong, "baseline.yaml"), options)).toEqual([]);
  }, 120_000);

  it("judges against the configured thresholds: a lower threshold accepts the same value", async () => {
    const checks = await checkBaseline(parseBaseline(weak, "baseline.yaml"), { ...options, thresholds: { ...options.thresholds, minPasswordLength: 8 } });
    expect(checks.map((c) => c.finding.controlId)).not.toContain("CG-HYG-004");
  }, 120_000);

  it("writes both kinds of result as valid SARIF located in the baseline", async () => {
    const baseline = parseBaseline(weak, "examples/baseline.yaml");
    const report = await buildDriftReport({ snapshotFile: "snapshot.json", snapshot: estate(), baseline, check: { catalog: options.catalog, thresholds: options.thresholds }, generatedAt: "2026-11-01T00:00:00Z" });
    expect(report.summary).toMatchObject({ drift: true, baselineWeakened: 6 });
    const sarif = renderDriftSarif(report, { toolVersion: "0.1.0", rootDir: process.cwd() }) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    const schema = JSON.parse(readFileSync(new URL("../fixtures/sarif-schema-2.1.0.json", import.meta.url), "utf8")) as Record<string, unknown>;
    delete schema.id;
    delete schema.$schema;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    const results = sarif.runs[0].results;
    expect(results.filter((r) => r.ruleId === "CG-DRIFT-BASELINE").length).toBe(report.summary.baselineDrift);
    const twoFactor = results.find((r) => r.ruleId === "CG-SAAS-001")!;
    expect(twoFactor.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: "examples/baseline.yaml", uriBaseId: "%SRCROOT%" }, region: { startLine: lineOf(weak, "twoFactorRequired"), startColumn: 7 } });
    const md = renderDriftMarkdown(report);
    expect(md).toContain("The baseline itself fails controls");
    expect(md).toContain("CG-SAAS-001");
  }, 120_000);
});

describe("baseline.yaml errors name file, line and field", () => {
  const cases: [string, string, RegExp][] = [
    ["version: 1\ndirectories:\n  corp-ad:\n    kind: novell\n", "kind", /b\.yaml:4:5 directories\.corp-ad\.kind: must be one of ad, ldap, entra, github/],
    ["version: 1\ndirectories:\n  corp-ad:\n    kind: ad\n    passwordPolicies:\n      - select: { scope: domain }\n        minLenght: 14\n", "typo", /b\.yaml:7:9 directories\.corp-ad\.passwordPolicies\[0\]\.minLenght: is not a known key here/],
    ["version: 1\ndirectories:\n  corp-ad:\n    kind: ad\n    settings:\n      krbtgtMaxAgeDays: soon\n", "type", /b\.yaml:6:7 directories\.corp-ad\.settings\.krbtgtMaxAgeDays: must be an integer/],
    ["version: 1\ndirectories:\n  corp-ad:\n    kind: ad\n    resetRights:\n      - targets: {}\n", "targets", /b\.yaml:6:\d+ directories\.corp-ad\.resetRights\[0\]\.targets: must name the targets/],
    ["version: 1\ndirectories:\n  corp-ad:\n    passwordPolicies: []\n", "missing kind", /b\.yaml:3:\d+ directories\.corp-ad\.kind: is required/],
    ["version: 1\ndirectories: [\n", "syntax", /b\.yaml:\d+:\d+ invalid YAML/],
  ];
  it.each(cases)("%#: %s", (text, _what, message) => {
    let error: unknown;
    try {
      parseBaseline(text, "b.yaml");
    } catch (e) {
      error = e;
    }
    expect((error as { format(): string }).format()).toMatch(message);
  });
});
