// The framework views of the evidence pack: NIST CSF 2.0 as function -> category ->
// subcategory, and flat tables for OWASP NHI Top 10 (2025), CIS Controls v8 and ISO/IEC
// 27001:2022. Every requirement some control maps to is listed with those controls and their
// combined result; OWASP's ten risks are all listed, mapped or not.
import { frameworkTitles, type FrameworkList } from "../../policy/catalog/framework-titles.ts";
import type { Mappings } from "../../policy/catalog/types.ts";
import { worstStatus } from "./control-status.ts";
import type { ControlEvidence, EvidenceModel, FrameworkRow, NistFunctionView } from "./model.ts";
import { csfCategories, csfFunctions } from "./nist-csf-structure.ts";

export function frameworkViews(controls: readonly ControlEvidence[]): EvidenceModel["frameworks"] {
  const owasp = rows(controls, "owasp_nhi_2025", "owasp-nhi-2025");
  const allOwasp = [...frameworkTitles("owasp-nhi-2025")].map(([id, title]) => owasp.find((r) => r.id === id) ?? { id, title, controls: [], status: null, failed: 0, passed: 0 });
  return {
    nist: nistView(rows(controls, "nist_csf_2", "nist-csf-2.0")),
    owasp: allOwasp,
    cis: rows(controls, "cis_v8", "cis-controls-v8"),
    iso: rows(controls, "iso27001_2022", "iso27001-2022-annex-a"),
  };
}

function rows(controls: readonly ControlEvidence[], key: keyof Mappings, list: FrameworkList): FrameworkRow[] {
  const titles = frameworkTitles(list);
  const byId = new Map<string, ControlEvidence[]>();
  for (const c of controls) {
    for (const id of c.mappings[key]) {
      const mapped = byId.get(id);
      if (mapped) mapped.push(c);
      else byId.set(id, [c]);
    }
  }
  return [...byId]
    .map(([id, mapped]) => ({
      id,
      title: titles.get(id) ?? "(not in the official list)",
      controls: mapped.map((c) => c.id),
      status: worstStatus(mapped.map((c) => c.status)),
      failed: mapped.reduce((n, c) => n + c.counts.failed, 0),
      passed: mapped.reduce((n, c) => n + c.counts.passed, 0),
    }))
    .sort((a, b) => compareIds(a.id, b.id));
}

function nistView(subcategories: readonly FrameworkRow[]): NistFunctionView[] {
  return csfFunctions.map((fn) => {
    const inFunction = subcategories.filter((s) => s.id.startsWith(`${fn.id}.`));
    const categoryIds = [...new Set(inFunction.map((s) => s.id.split("-")[0]))];
    return {
      id: fn.id,
      name: fn.name,
      status: worstStatus(inFunction.map((s) => s.status).filter((s) => s !== null)),
      categories: categoryIds.map((id) => ({ id, name: csfCategories[id] ?? id, subcategories: inFunction.filter((s) => s.id.startsWith(`${id}-`)) })),
    };
  });
}

/** Orders "5.10" after "5.9" and "NHI10" after "NHI9". */
function compareIds(a: string, b: string): number {
  return a.localeCompare(b, "en", { numeric: true });
}
