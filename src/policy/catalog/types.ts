// Shape of policies/catalog.yaml once loaded and validated (see schema.ts).
export type Severity = "critical" | "high" | "medium" | "low" | "info";

export const severities: readonly Severity[] = ["critical", "high", "medium", "low", "info"];

/** Framework mappings with official identifiers (validated against the published lists in tests). */
export interface Mappings {
  nist_csf_2: string[];
  owasp_nhi_2025: string[];
  cis_v8: string[];
  iso27001_2022: string[];
}

/**
 * `by-source` means the rotator of the directory the subject lives in (ad, ldap, entra,
 * github); the engine resolves it per finding.
 */
export type Rotator = "ad" | "ldap" | "entra" | "github" | "by-source";

export interface CatalogControl {
  id: string;
  title: string;
  severity: Severity;
  /** Rego package that emits this control's results (e.g. credgov.reset). */
  package: string;
  /**
   * What one result is about: `subjects` (default: accounts, credentials, identities; a
   * sharded evaluation judges them batch by batch) or `estate` (sources, password policies,
   * settings: judged once, over the whole estate).
   */
  scope?: "subjects" | "estate";
  rationale: string;
  remediation: string;
  rotation: { eligible: boolean; rotator: Rotator | null };
  mappings: Mappings;
}

export interface Catalog {
  version: 1;
  controls: CatalogControl[];
}
