import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../../src/policy/catalog/load.ts";
import { officialIds } from "./frameworks.ts";

const lists = {
  nist_csf_2: { file: "nist-csf-2.0.tsv", total: 106 },
  owasp_nhi_2025: { file: "owasp-nhi-2025.tsv", total: 10 },
  cis_v8: { file: "cis-controls-v8.tsv", total: 153 },
  iso27001_2022: { file: "iso27001-2022-annex-a.tsv", total: 93 },
} as const;

// The controls issue 6 defines; their IDs are a stable contract with users' exceptions files.
const requiredControls = [
  "CG-RESET-001", "CG-RESET-002", "CG-RESET-003", "CG-RESET-004", "CG-RESET-005",
  "CG-FRAG-001", "CG-FRAG-002", "CG-FRAG-003", "CG-FRAG-004", "CG-FRAG-005",
  "CG-NHI-001", "CG-NHI-002", "CG-NHI-003", "CG-NHI-004",
  "CG-HYG-001", "CG-HYG-002", "CG-HYG-003", "CG-HYG-004", "CG-HYG-005", "CG-HYG-006",
  "CG-SAAS-001",
];

describe("framework lists", () => {
  for (const [framework, { file, total }] of Object.entries(lists)) {
    it(`${framework} list has the published number of entries`, () => {
      expect(officialIds(file).size).toBe(total);
    });
  }
  it("CSF 2.0 list does not contain retired CSF 1.1 identifiers", () => {
    const csf = officialIds(lists.nist_csf_2.file);
    expect(csf.has("PR.AC-1")).toBe(false);
    expect(csf.has("PR.AC-01")).toBe(false);
    expect(csf.get("PR.AA-01")).toMatch(/^Identities and credentials/);
  });
});

describe("policies/catalog.yaml", () => {
  const catalog = loadCatalog();

  it("defines every control of the issue, each once", () => {
    const ids = catalog.controls.map((c) => c.id);
    for (const id of requiredControls) expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const [framework, { file }] of Object.entries(lists)) {
    it(`maps only to official ${framework} identifiers`, () => {
      const official = officialIds(file);
      const unknown: string[] = [];
      for (const control of catalog.controls) {
        for (const id of control.mappings[framework as keyof typeof lists]) {
          if (!official.has(id)) unknown.push(`${control.id} -> ${id}`);
        }
      }
      expect(unknown).toEqual([]);
    });
  }

  it("maps every control to NIST CSF 2.0 and ISO 27001 at least", () => {
    for (const control of catalog.controls) {
      expect(control.mappings.nist_csf_2.length, control.id).toBeGreaterThan(0);
      expect(control.mappings.iso27001_2022.length, control.id).toBeGreaterThan(0);
    }
  });

  it("maps the non-human-identity controls to the OWASP NHI Top 10", () => {
    for (const control of catalog.controls.filter((c) => c.id.startsWith("CG-NHI-"))) {
      expect(control.mappings.owasp_nhi_2025.length, control.id).toBeGreaterThan(0);
    }
  });

  it("gives every rotation-eligible control a rotator", () => {
    for (const control of catalog.controls) {
      if (control.rotation.eligible) expect(control.rotation.rotator, control.id).not.toBeNull();
    }
  });
});
