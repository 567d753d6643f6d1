// The evidence model: everything the PDF and the HTML evidence pack show, computed once from
// findings + snapshot sources + catalog (+ exceptions, rotation report, history trend). Both
// renderers only lay it out, so the two formats cannot disagree.
import type { Mappings, Severity } from "../../policy/catalog/types.ts";

/** A control's overall result: the worst of its findings (an excepted fail is not a fail). */
export type ControlStatus = "fail" | "error" | "not_evaluated" | "excepted" | "pass" | "not_applicable";

export interface EvidenceModel {
  title: string;
  organisation: string;
  generatedAt: string;
  tool: { name: "credgov"; version: string; node: string };
  /** sha256 of the compiled policy library (sources + compiler). */
  policyHash: string | null;
  /** sha256 of credgov.yaml as collected (the config holds no secret, only variable names). */
  configHash: string | null;
  snapshot: { generatedAt: string | null; file: string | null };
  /** Earliest and latest source collection times. */
  collectionWindow: { start: string; end: string } | null;
  sources: SourceEvidence[];
  totals: { failed: number; excepted: number; passed: number; errors: number; notEvaluated: number; controls: number; controlsByStatus: Record<ControlStatus, number> };
  charts: {
    byArea: ChartSeries;
    bySeverity: ChartSeries;
    byFunction: ChartSeries;
    trend: TrendPoint[];
  };
  controls: ControlEvidence[];
  frameworks: {
    nist: NistFunctionView[];
    owasp: FrameworkRow[];
    cis: FrameworkRow[];
    iso: FrameworkRow[];
  };
  exceptions: { active: ExceptionEvidence[]; expired: ExceptionEvidence[] };
  collectionErrors: CollectionErrorEvidence[];
  rotation: RotationEvidence | null;
  /** Failing subjects listed per control in the documents; the CSVs hold them all. */
  maxSubjectsPerControl: number;
  signing: { algorithm: "Ed25519"; publicKeyFingerprint: string } | null;
  /** Files of the pack hashed before the documents were rendered (the manifest covers the rest). */
  inputFiles: Array<{ path: string; sha256: string; bytes: number }>;
  warnings: string[];
}

export interface SourceEvidence {
  id: string;
  kind: string;
  transport: string;
  endpoint: string;
  namingContext: string | null;
  collectedAt: string;
  status: "ok" | "partial" | "error";
  counts: Record<string, number>;
  queries: Array<{ step: string; call: string; resultCount: number; pages: number | null; status: string }>;
  errors: Array<{ step: string; call: string | null; message: string; code: string | null }>;
}

/** Bars of one chart: a label and the count of each status. */
export interface ChartSeries {
  title: string;
  bars: Array<{ label: string; fail: number; pass: number; other: number }>;
}

export interface TrendPoint {
  at: string;
  failed: number;
  passed: number;
}

export interface ControlEvidence {
  id: string;
  title: string;
  area: string;
  severity: Severity;
  status: ControlStatus;
  objective: string;
  rationale: string;
  remediation: string;
  mappings: Mappings;
  counts: { failed: number; excepted: number; passed: number; errors: number; notEvaluated: number };
  /** One row per scope the control was tested in (a source, or the whole estate). */
  population: PopulationRow[];
  /** The first maxSubjectsPerControl failing subjects (excepted ones included, marked). */
  failing: FailingSubject[];
  failingTotal: number;
  /** Pack-relative path of the CSV with every failing subject, when there are any. */
  csvFile: string | null;
  /** Messages of error / not_evaluated findings. */
  problems: Array<{ status: "error" | "not_evaluated"; scope: string; message: string }>;
}

export interface PopulationRow {
  /** Source id, or "estate" for controls over correlated identities. */
  scope: string;
  /** What was tested ("enabled accounts", "live non-human credentials"). */
  what: string;
  /** Entries in scope of the control. */
  inScope: number;
  passing: number;
  failing: number;
  /** The source's queries and entries returned (null for the estate: every source contributes). */
  returned: number | null;
  queries: string[];
  status: "tested" | "error" | "not_evaluated";
}

export interface FailingSubject {
  /** Name in its directory ("svc-backup / password"). */
  name: string;
  directory: string;
  kind: string;
  id: string;
  message: string;
  /** Evidence values, as compact "key: value" text. */
  evidence: string;
  excepted: { approver: string; ticket: string; expires: string } | null;
}

export interface NistFunctionView {
  id: string;
  name: string;
  status: ControlStatus | null;
  categories: Array<{
    id: string;
    name: string;
    subcategories: Array<FrameworkRow>;
  }>;
}

/** One framework requirement and the credgov controls mapped to it. */
export interface FrameworkRow {
  id: string;
  title: string;
  controls: string[];
  status: ControlStatus | null;
  failed: number;
  passed: number;
}

export interface ExceptionEvidence {
  control: string;
  subject: string;
  reason: string;
  approver: string;
  ticket: string;
  expires: string;
  /** Failing findings it covers (active) or would have covered (expired). */
  matched: number;
  where: string;
}

export interface CollectionErrorEvidence {
  source: string;
  step: string;
  call: string | null;
  message: string;
  /** Controls left in `error` (or `not_evaluated`) for this source. */
  controls: string[];
}

export interface RotationEvidence {
  file: string;
  generatedAt: string | null;
  items: Array<{ subject: string; directory: string; credential: string; at: string | null; state: string; verified: boolean; agreement: string | null }>;
  verified: number;
  total: number;
}
