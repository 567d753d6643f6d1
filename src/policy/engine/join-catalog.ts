// Joins policy results with the catalog into findings, and makes sure every catalog control
// appears: a control whose policy failed to run is `error`, one that produced nothing is
// `not_evaluated`; neither is ever silently a pass.
import type { Catalog, CatalogControl } from "../catalog/types.ts";
import type { Finding, FindingStatus, FindingSubject } from "./finding.ts";
import type { RegoResult } from "./rego-result.ts";
import { withoutNotApplicableOverUnjudged } from "./unjudged-population.ts";

const rotatorKinds = new Set(["ad", "ldap", "entra", "github"]);

export interface JoinInput {
  catalog: Catalog;
  results: RegoResult[];
  /** Packages (dotted) whose evaluation failed, with the reason. */
  failedPackages: Map<string, string>;
  /** Packages (dotted) that were evaluated; catalog controls of other packages are not expected. */
  evaluatedPackages: Set<string>;
  /** Source id -> kind, to resolve `by-source` rotators. */
  sourceKinds: Map<string, string>;
  warn: (message: string) => void;
}

export function joinWithCatalog(input: JoinInput): Finding[] {
  const controls = new Map(input.catalog.controls.map((c) => [c.id, c]));
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const unknown = new Set<string>();
  const failedPackages = withRepeatedSubjects(input.results, controls, input.failedPackages);
  const judged = new Set<string>();
  for (const r of withoutNotApplicableOverUnjudged(input.results)) {
    let control = controls.get(r.control);
    if (!control) {
      if (!unknown.has(r.control)) input.warn(`policy emitted results for ${r.control}, which no catalog defines; reported with severity medium and no mappings`);
      unknown.add(r.control);
      control = uncataloged(r.control);
    }
    if (failedPackages.has(control.package)) continue;
    const key = resultKey(r);
    if (judged.has(key)) {
      // Only a control no catalog defines gets here (a cataloged one made its package fail).
      input.warn(`policy emitted two results for ${r.control} on subject ${r.subject.id}; the first is reported`);
      continue;
    }
    judged.add(key);
    seen.add(r.control);
    findings.push(toFinding(control, r.status, r.subject, r.message, r.evidence, input.sourceKinds));
  }
  for (const control of input.catalog.controls) {
    const failure = failedPackages.get(control.package);
    if (failure !== undefined) {
      const subject = { source: "", kind: "policy", id: control.package, name: control.package };
      findings.push(toFinding(control, "error", subject, `${control.id} could not be evaluated: ${failure}`, { policyError: failure }, input.sourceKinds));
    } else if (!seen.has(control.id) && input.evaluatedPackages.has(control.package)) {
      const subject = { source: "", kind: "policy", id: control.package, name: control.package };
      const message = `${control.id} not evaluated: no loaded policy emitted a result for it (package ${control.package})`;
      findings.push(toFinding(control, "not_evaluated", subject, message, {}, input.sourceKinds));
    }
  }
  return findings.sort(compareFindings);
}

function toFinding(
  control: CatalogControl,
  status: FindingStatus,
  subject: FindingSubject,
  message: string,
  evidence: Record<string, unknown>,
  sourceKinds: Map<string, string>,
): Finding {
  let rotator: Finding["rotation"]["rotator"];
  if (control.rotation.rotator === "by-source") {
    const kind = sourceKinds.get(subject.source);
    rotator = kind && rotatorKinds.has(kind) ? (kind as Finding["rotation"]["rotator"]) : null;
  } else {
    rotator = control.rotation.rotator;
  }
  return {
    controlId: control.id,
    title: control.title,
    severity: control.severity,
    status,
    subject,
    message,
    evidence,
    mappings: control.mappings,
    remediation: control.remediation,
    rotation: { eligible: control.rotation.eligible && rotator !== null, rotator },
  };
}

function uncataloged(id: string): CatalogControl {
  return {
    id,
    title: id,
    severity: "medium",
    package: "",
    rationale: "",
    remediation: "See the policy that defines this control.",
    rotation: { eligible: false, rotator: null },
    mappings: { nist_csf_2: [], owasp_nhi_2025: [], cis_v8: [], iso27001_2022: [] },
  };
}

/** What identifies a finding (SARIF fingerprints, drift, `credgov report` rely on it). */
const resultKey = (r: RegoResult) => `${r.control}\0${r.subject.source}\0${r.subject.id}`;

/**
 * The failed packages plus those of catalog controls that emitted two results for one subject:
 * which verdict the control reached cannot be told, so it is `error`, not one picked at random.
 */
function withRepeatedSubjects(results: readonly RegoResult[], controls: Map<string, CatalogControl>, failed: Map<string, string>): Map<string, string> {
  const keys = new Set<string>();
  let out = failed;
  for (const r of results) {
    const key = resultKey(r);
    if (!keys.has(key)) {
      keys.add(key);
      continue;
    }
    const control = controls.get(r.control);
    if (!control || out.has(control.package)) continue;
    if (out === failed) out = new Map(failed);
    out.set(control.package, `${r.control} emitted two results for subject ${r.subject.id}${r.subject.source ? ` of source ${r.subject.source}` : ""} (a control judges a subject once)`);
  }
  return out;
}

const statusOrder: Record<FindingStatus, number> = { fail: 0, error: 1, not_evaluated: 2, pass: 3, not_applicable: 4 };

function compareFindings(a: Finding, b: Finding): number {
  if (a.controlId !== b.controlId) return a.controlId < b.controlId ? -1 : 1;
  if (a.status !== b.status) return statusOrder[a.status] - statusOrder[b.status];
  if (a.subject.id !== b.subject.id) return a.subject.id < b.subject.id ? -1 : 1;
  return a.message < b.message ? -1 : a.message > b.message ? 1 : 0;
}
