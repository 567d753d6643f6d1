import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadCatalog, parseCatalog } from "../../../src/policy/catalog/load.ts";
import type { Finding } from "../../../src/policy/engine/index.ts";
import { evaluateFixture } from "./fixtures.ts";

const TIMEOUT = 240_000;

function subjects(findings: Finding[], control: string, status: Finding["status"]): string[] {
  return findings.filter((f) => f.controlId === control && f.status === status).map((f) => f.subject.id).sort();
}

/** A policy package `credgov.NAME` in a folder of its own, and the library's catalog with its one control added. */
function extraPolicy(name: string, rules: string, control: { id: string; title: string; severity: string }) {
  const dir = mkdtempSync(join(tmpdir(), `credgov-${name}-policy-`));
  writeFileSync(join(dir, `${name}.rego`), `package credgov.${name}\n\n${rules}\n`);
  const catalogText = `version: 1
controls:
  - id: ${control.id}
    title: ${control.title}
    severity: ${control.severity}
    package: credgov.${name}
    rationale: tests the engine
    remediation: none
    rotation: { eligible: false, rotator: null }
    mappings: { nist_csf_2: [PR.AA-01], owasp_nhi_2025: [], cis_v8: [], iso27001_2022: [A.5.17] }
`;
  writeFileSync(join(dir, "catalog.yaml"), catalogText);
  const catalog = loadCatalog();
  catalog.controls.push(...parseCatalog(catalogText, "catalog.yaml").controls);
  return { dir, catalog };
}

describe("engine on the all-controls fixture", () => {
  let findings: Finding[];
  let warnings: string[];
  beforeAll(async () => {
    ({ findings, warnings } = await evaluateFixture("all-controls"));
  }, TIMEOUT);

  it("fails at least one subject and passes others for every catalog control", () => {
    for (const control of loadCatalog().controls) {
      expect(subjects(findings, control.id, "fail").length, `${control.id} fail`).toBeGreaterThan(0);
      expect(subjects(findings, control.id, "pass").length, `${control.id} pass`).toBeGreaterThan(0);
      expect(subjects(findings, control.id, "error"), `${control.id} error`).toEqual([]);
    }
    expect(warnings).toEqual([]);
  });

  it("names the failing subjects an auditor can check by hand", () => {
    expect(subjects(findings, "CG-RESET-001", "fail")).toEqual(["corp-ad:bob", "corp-entra:frank"]);
    expect(subjects(findings, "CG-RESET-002", "fail")).toEqual(["corp-entra:gadmin"]);
    expect(subjects(findings, "CG-RESET-003", "fail")).toEqual(["corp-ad:da-admin"]);
    expect(subjects(findings, "CG-RESET-004", "fail")).toEqual(["corp-entra"]);
    expect(subjects(findings, "CG-RESET-005", "fail")).toEqual(["corp-ad:svc-sql", "legacy-ldap:svc-batch"]);
    expect(subjects(findings, "CG-FRAG-002", "fail")).toEqual(["person:alice"]);
    expect(subjects(findings, "CG-FRAG-005", "fail")).toEqual(["corp-entra:app-payroll", "workload:batch"]);
    expect(subjects(findings, "CG-NHI-002", "fail")).toEqual(["corp-entra:app-payroll:secret:old"]);
    expect(subjects(findings, "CG-NHI-003", "fail")).toEqual(["gh-acme:repo:api:actions:DEPLOY_TOKEN", "gh-acme:repo:api:deploykey:7"]);
    expect(subjects(findings, "CG-HYG-001", "fail")).toEqual(["corp-ad:carol"]);
    expect(subjects(findings, "CG-HYG-003", "fail")).toEqual(["corp-ad:krbtgt"]);
    expect(subjects(findings, "CG-HYG-004", "fail")).toEqual(["corp-ad:policy:domain"]);
    expect(subjects(findings, "CG-HYG-006", "fail")).toEqual(["corp-ad:da-admin"]);
    expect(subjects(findings, "CG-SAAS-001", "fail")).toEqual(["gh-acme"]);
  });

  it("joins each result with the catalog: title, severity, mappings, evidence, rotation", () => {
    const f = findings.find((x) => x.controlId === "CG-RESET-003" && x.status === "fail") as Finding;
    expect(f.severity).toBe("critical");
    expect(f.subject).toEqual({ source: "corp-ad", kind: "human", id: "corp-ad:da-admin", name: "da-admin" });
    expect(f.evidence).toMatchObject({ right: "User-Force-Change-Password", inherited: true, via: "OU=Admins,DC=corp,DC=example" });
    expect(f.mappings.nist_csf_2).toContain("PR.AA-05");
    const krbtgt = findings.find((x) => x.controlId === "CG-HYG-003" && x.status === "fail") as Finding;
    expect(krbtgt.evidence).toMatchObject({ krbtgtPasswordLastSet: "2023-09-05T00:00:00Z", ageDays: 1000, krbtgtMaxAgeDays: 180 });
    // by-source rotators resolve to the subject's directory.
    const pending = findings.find((x) => x.controlId === "CG-RESET-001" && x.subject.id === "corp-entra:frank") as Finding;
    expect(pending.rotation).toEqual({ eligible: true, rotator: "entra" });
  });

  it("reports pass results with the population evaluated", () => {
    const pass = findings.find((f) => f.controlId === "CG-HYG-001" && f.status === "pass" && f.subject.source === "corp-ad") as Finding;
    // 10 corp-ad accounts, of which dave and krbtgt are disabled.
    expect(pass.evidence).toEqual({ population: 8, passing: 7, failing: 1 });
  });

  it("reads thresholds from configuration", async () => {
    const relaxed = await evaluateFixture("all-controls", { thresholds: { krbtgtMaxAgeDays: 2000, rotationDays: 5000, maxSecretLifetimeDays: 5000 } });
    expect(subjects(relaxed.findings, "CG-HYG-003", "fail")).toEqual([]);
    expect(subjects(relaxed.findings, "CG-NHI-003", "fail")).toEqual([]);
  }, TIMEOUT);

  it("uses the evaluation time it is given", async () => {
    const later = await evaluateFixture("all-controls", { now: "2031-01-01T00:00:00Z" });
    // lab-ad's krbtgt was fine in 2026 and is stale by 2031.
    expect(subjects(later.findings, "CG-HYG-003", "fail")).toEqual(["corp-ad:krbtgt", "lab-ad:krbtgt"]);
  }, TIMEOUT);
});

describe("engine on a snapshot with collection errors", () => {
  let findings: Finding[];
  beforeAll(async () => {
    ({ findings } = await evaluateFixture("collection-errors"));
  }, TIMEOUT);

  it("reports controls whose data failed to collect as error, naming the failed call, never as pass", () => {
    const error = findings.find((f) => f.controlId === "CG-RESET-002" && f.status === "error") as Finding;
    expect(error.subject.id).toBe("corp-entra");
    expect(error.message).toContain("GET /v1.0/policies/authorizationPolicy");
    expect(findings.some((f) => f.controlId === "CG-RESET-002" && f.status === "pass" && f.subject.source === "corp-entra")).toBe(false);
    expect(subjects(findings, "CG-SAAS-001", "error")).toEqual(["gh-acme"]);
    expect(subjects(findings, "CG-SAAS-001", "pass")).toEqual(["CG-SAAS-001:gh-beta"]);
    expect(subjects(findings, "CG-RESET-004", "error")).toEqual(["corp-entra"]);
  });

  it("reports a setting that is null without an explaining error as not evaluated", () => {
    expect(subjects(findings, "CG-HYG-003", "not_evaluated")).toEqual(["corp-ad"]);
  });
});

describe("engine builtins", () => {
  it("gives a policy that calls a host builtin its implementation (loaded only for modules that declare builtins)", async () => {
    const { dir, catalog } = extraPolicy(
      "units",
      `results contains {"control": "CG-UNITS-001", "status": "fail", "subject": {"id": sprintf("%d", [units.parse_bytes("2KiB")])}, "evidence": {}, "message": "m"} if input.schemaVersion == 1`,
      { id: "CG-UNITS-001", title: "Calls a host builtin", severity: "low" },
    );
    const { findings } = await evaluateFixture("all-controls", { catalog, policyDirs: [dir] });
    expect(findings.filter((f) => f.controlId === "CG-UNITS-001").map((f) => [f.status, f.subject.id])).toEqual([["fail", "2048"]]);
  }, TIMEOUT);
});

describe("engine failures", () => {
  it("turns a policy that cannot evaluate into error findings for its controls only", async () => {
    // Two complete definitions with different values: OPA's eval_conflict_error at run time.
    const { dir, catalog } = extraPolicy(
      "broken",
      `x := 1 if input.schemaVersion == 1

x := 2 if input.schemaVersion == 1

results contains {"control": "CG-BROKEN-001", "status": "pass", "subject": {"id": "s"}, "evidence": {}, "message": "m"} if x == 1`,
      { id: "CG-BROKEN-001", title: "Broken on purpose", severity: "high" },
    );
    const { findings, warnings } = await evaluateFixture("all-controls", { catalog, policyDirs: [dir] });
    const broken = findings.filter((f) => f.controlId === "CG-BROKEN-001");
    expect(broken.map((f) => f.status)).toEqual(["error"]);
    expect(warnings.join("\n")).toMatch(/credgov\.broken/);
    expect(subjects(findings, "CG-SAAS-001", "fail")).toEqual(["gh-acme"]);
  }, TIMEOUT);
});
