// The evidence pack as one self-contained HTML file: inline CSS and SVG, no script, no font,
// image or style sheet fetched from anywhere (a Content-Security-Policy forbids it), so it
// opens offline and shows the same content as the PDF.
import type { ControlStatus, EvidenceModel, FrameworkRow } from "./model.ts";
import { statusLabel } from "./control-status.ts";
import { glossary, method, sectionTitles } from "./pack-text.ts";
import { stackedBarChart, trendChart } from "./svg-charts.ts";

const css = `
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;margin:0 auto;max-width:1100px;padding:24px;line-height:1.4}
h1{font-size:28px;margin:0 0 8px}h2{border-bottom:2px solid #34495e;padding-bottom:4px;margin-top:40px}h3{margin:28px 0 6px}
table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:13px}th,td{border:1px solid #ccd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#eef1f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
.st{font-weight:bold;white-space:nowrap}.st-fail{color:#c0392b}.st-error{color:#b9770e}.st-not_evaluated{color:#7f8c8d}.st-excepted{color:#8e44ad}.st-pass{color:#2e8b57}.st-not_applicable{color:#7f8c8d}
.cover{border:1px solid #ccd;padding:16px;background:#f8f9fb}.charts{display:flex;flex-wrap:wrap;gap:24px}.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;word-break:break-all}
.control{border-left:4px solid #ccd;padding-left:12px;margin:24px 0}.control.fail{border-color:#c0392b}.control.error{border-color:#b9770e}.control.pass{border-color:#2e8b57}
.muted{color:#666}nav ol{columns:2}.charts svg{overflow:visible}
`;

export function renderEvidenceHtml(model: EvidenceModel): string {
  const out: string[] = [];
  out.push(
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">`,
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<meta name="viewport" content="width=device-width, initial-scale=1">`,
    `<title>${esc(model.title)} — ${esc(model.organisation)}</title><style>${css}</style></head><body>`,
  );
  cover(model, out);
  out.push(`<nav><ol>${Object.entries(sectionTitles).filter(([k]) => k !== "cover").map(([k, t]) => `<li><a href="#${k}">${esc(t)}</a></li>`).join("")}</ol></nav>`);
  summary(model, out);
  nist(model, out);
  frameworkTable(out, "owasp", sectionTitles.owasp, model.frameworks.owasp, "Risk");
  frameworkTable(out, "cis", sectionTitles.cis, model.frameworks.cis, "Safeguard");
  frameworkTable(out, "iso", sectionTitles.iso, model.frameworks.iso, "Control");
  controls(model, out);
  exceptions(model, out);
  collectionErrors(model, out);
  rotation(model, out);
  appendix(model, out);
  out.push(`</body></html>\n`);
  return out.join("\n");
}

function cover(m: EvidenceModel, out: string[]): void {
  out.push(`<header class="cover"><h1>${esc(sectionTitles.cover)}</h1>`);
  out.push(`<p><strong>Organisation:</strong> ${esc(m.organisation)}<br><strong>Generated:</strong> ${esc(m.generatedAt)}`);
  if (m.collectionWindow) out.push(`<br><strong>Collection window:</strong> ${esc(m.collectionWindow.start)} – ${esc(m.collectionWindow.end)}`);
  out.push(
    `<br><strong>Tool:</strong> credgov ${esc(m.tool.version)} on Node.js ${esc(m.tool.node)}<br><strong>Policy library:</strong> <span class="mono">${esc(m.policyHash ?? "unknown")}</span>`,
    `<br><strong>Configuration:</strong> <span class="mono">${esc(m.configHash ?? "unknown")}</span>`,
    `<br><strong>Signing key (Ed25519, SHA-256 of the public key):</strong> <span class="mono">${esc(m.signing?.publicKeyFingerprint ?? "not signed")}</span></p>`,
  );
  out.push(`<h3>Scope</h3><table><tr><th>Source</th><th>Kind</th><th>Endpoint</th><th>Naming context</th><th>Collected</th><th>Status</th></tr>`);
  for (const s of m.sources) {
    out.push(`<tr><td>${esc(s.id)}</td><td>${esc(s.kind)} (${esc(s.transport)})</td><td class="mono">${esc(s.endpoint)}</td><td>${esc(s.namingContext ?? "")}</td><td>${esc(s.collectedAt)}</td><td>${esc(s.status)}</td></tr>`);
  }
  out.push(`</table></header>`);
}

function summary(m: EvidenceModel, out: string[]): void {
  const t = m.totals;
  out.push(`<section id="summary"><h2>${esc(sectionTitles.summary)}</h2>`);
  out.push(
    `<p>${t.controls} controls evaluated: <span class="st st-fail">${t.controlsByStatus.fail} failing</span>, ${t.controlsByStatus.error} in error, ${t.controlsByStatus.not_evaluated} not evaluated, ${t.controlsByStatus.excepted} excepted only, <span class="st st-pass">${t.controlsByStatus.pass} passing</span>. ` +
      `${t.failed} failing subjects, ${t.excepted} excepted, ${t.passed} passing subjects, ${t.errors} collection errors, ${t.notEvaluated} not evaluated.</p>`,
  );
  out.push(`<div class="charts">${stackedBarChart(m.charts.byArea)}${stackedBarChart(m.charts.bySeverity)}${stackedBarChart(m.charts.byFunction)}${m.charts.trend.length ? trendChart(m.charts.trend) : ""}</div>`);
  if (!m.charts.trend.length) out.push(`<p class="muted">No scan history was available, so no trend is shown.</p>`);
  out.push(`<table><tr><th>Control</th><th>Title</th><th>Severity</th><th>Result</th><th>Fail</th><th>Excepted</th><th>Pass</th><th>Error</th></tr>`);
  for (const c of m.controls) {
    out.push(
      `<tr><td><a href="#${esc(c.id)}">${esc(c.id)}</a></td><td>${esc(c.title)}</td><td>${esc(c.severity)}</td><td>${status(c.status)}</td><td class="n">${c.counts.failed}</td><td class="n">${c.counts.excepted}</td><td class="n">${c.counts.passed}</td><td class="n">${c.counts.errors + c.counts.notEvaluated}</td></tr>`,
    );
  }
  out.push(`</table></section>`);
}

function nist(m: EvidenceModel, out: string[]): void {
  out.push(`<section id="nist"><h2>${esc(sectionTitles.nist)}</h2><p>Function → category → subcategory, with the credgov controls mapped to each subcategory.</p>`);
  out.push(`<table><tr><th>Function / category</th><th>Subcategory</th><th>Controls</th><th>Result</th><th>Fail</th><th>Pass</th></tr>`);
  for (const fn of m.frameworks.nist) {
    out.push(`<tr><th colspan="3">${esc(fn.id)} ${esc(fn.name)}</th><th colspan="3">${fn.status ? status(fn.status) : '<span class="muted">no control mapped</span>'}</th></tr>`);
    for (const cat of fn.categories) {
      cat.subcategories.forEach((s, i) => {
        out.push(
          `<tr>${i === 0 ? `<td rowspan="${cat.subcategories.length}">${esc(cat.id)} ${esc(cat.name)}</td>` : ""}<td><strong>${esc(s.id)}</strong> ${esc(s.title)}</td><td>${controlLinks(s.controls)}</td><td>${s.status ? status(s.status) : ""}</td><td class="n">${s.failed}</td><td class="n">${s.passed}</td></tr>`,
        );
      });
    }
  }
  out.push(`</table></section>`);
}

function frameworkTable(out: string[], id: string, title: string, rows: readonly FrameworkRow[], what: string): void {
  out.push(`<section id="${id}"><h2>${esc(title)}</h2><table><tr><th>${what}</th><th>Title</th><th>Controls</th><th>Result</th><th>Fail</th><th>Pass</th></tr>`);
  for (const r of rows) {
    out.push(
      `<tr><td><strong>${esc(r.id)}</strong></td><td>${esc(r.title)}</td><td>${r.controls.length ? controlLinks(r.controls) : '<span class="muted">no control mapped</span>'}</td><td>${r.status ? status(r.status) : ""}</td><td class="n">${r.failed}</td><td class="n">${r.passed}</td></tr>`,
    );
  }
  out.push(`</table></section>`);
}

function controls(m: EvidenceModel, out: string[]): void {
  out.push(`<section id="controls"><h2>${esc(sectionTitles.controls)}</h2>`);
  for (const c of m.controls) {
    out.push(`<article class="control ${c.status}" id="${esc(c.id)}"><h3>${esc(c.id)} ${esc(c.title)} — ${status(c.status)}</h3>`);
    out.push(
      `<p><strong>Objective.</strong> ${esc(c.objective)} <strong>Severity:</strong> ${esc(c.severity)}. <strong>Area:</strong> ${esc(c.area)}.</p>`,
      `<p><strong>Rationale.</strong> ${esc(c.rationale)}</p>`,
      `<p><strong>Mappings.</strong> NIST CSF 2.0: ${esc(c.mappings.nist_csf_2.join(", ") || "—")}; OWASP NHI: ${esc(c.mappings.owasp_nhi_2025.join(", ") || "—")}; CIS v8: ${esc(c.mappings.cis_v8.join(", ") || "—")}; ISO/IEC 27001:2022: ${esc(c.mappings.iso27001_2022.join(", ") || "—")}</p>`,
    );
    out.push(`<h4>Population tested</h4><table><tr><th>Scope</th><th>Tested</th><th>Entries returned by the source</th><th>In scope</th><th>Pass</th><th>Fail</th><th>Queries</th></tr>`);
    for (const p of c.population) {
      out.push(
        `<tr><td>${esc(p.scope)}</td><td>${esc(p.what)}${p.status !== "tested" ? ` (${status(p.status)})` : ""}</td><td class="n">${p.returned ?? "all sources"}</td><td class="n">${p.inScope}</td><td class="n">${p.passing}</td><td class="n">${p.failing}</td><td class="mono">${p.queries.map(esc).join("<br>")}</td></tr>`,
      );
    }
    out.push(`</table>`);
    out.push(`<p><strong>Results.</strong> ${c.counts.failed} failing, ${c.counts.excepted} excepted, ${c.counts.passed} passing, ${c.counts.errors} errors, ${c.counts.notEvaluated} not evaluated.</p>`);
    for (const p of c.problems) out.push(`<p>${status(p.status)} ${esc(p.message)}</p>`);
    if (c.failing.length) {
      const more = c.failingTotal > c.failing.length ? ` (first ${c.failing.length} of ${c.failingTotal}; all in <span class="mono">${esc(c.csvFile ?? "")}</span>)` : c.csvFile ? ` (also in <span class="mono">${esc(c.csvFile)}</span>)` : "";
      out.push(`<h4>Failing subjects${more}</h4><table><tr><th>Subject</th><th>Directory</th><th>Kind</th><th>Finding</th><th>Evidence</th></tr>`);
      for (const f of c.failing) {
        const ex = f.excepted ? `<br>${status("excepted")} until ${esc(f.excepted.expires)}, ${esc(f.excepted.approver)}, ${esc(f.excepted.ticket)}` : "";
        out.push(`<tr><td><strong>${esc(f.name)}</strong><br><span class="mono muted">${esc(f.id)}</span></td><td>${esc(f.directory)}</td><td>${esc(f.kind)}</td><td>${esc(f.message)}${ex}</td><td class="mono">${esc(f.evidence)}</td></tr>`);
      }
      out.push(`</table>`);
    }
    out.push(`<p><strong>Remediation.</strong> ${esc(c.remediation)}</p></article>`);
  }
  out.push(`</section>`);
}

function exceptions(m: EvidenceModel, out: string[]): void {
  out.push(`<section id="exceptions"><h2>${esc(sectionTitles.exceptions)}</h2>`);
  for (const [label, list] of [["Active", m.exceptions.active], ["Expired (no longer applied)", m.exceptions.expired]] as const) {
    out.push(`<h3>${label}</h3>`);
    if (!list.length) {
      out.push(`<p class="muted">None.</p>`);
      continue;
    }
    out.push(`<table><tr><th>Control</th><th>Subject</th><th>Reason</th><th>Approver</th><th>Ticket</th><th>Expires</th><th>Findings</th><th>Defined at</th></tr>`);
    for (const e of list) {
      out.push(`<tr><td>${esc(e.control)}</td><td>${esc(e.subject)}</td><td>${esc(e.reason)}</td><td>${esc(e.approver)}</td><td>${esc(e.ticket)}</td><td>${esc(e.expires)}</td><td class="n">${e.matched}</td><td class="mono">${esc(e.where)}</td></tr>`);
    }
    out.push(`</table>`);
  }
  out.push(`</section>`);
}

function collectionErrors(m: EvidenceModel, out: string[]): void {
  out.push(`<section id="collectionErrors"><h2>${esc(sectionTitles.collectionErrors)}</h2>`);
  if (!m.collectionErrors.length) out.push(`<p>Every source was collected completely (status ok, no failed query).</p>`);
  else {
    out.push(`<table><tr><th>Source</th><th>Step</th><th>Call</th><th>Error</th><th>Controls left in error</th></tr>`);
    for (const e of m.collectionErrors) {
      out.push(`<tr><td>${esc(e.source)}</td><td>${esc(e.step)}</td><td class="mono">${esc(e.call ?? "")}</td><td>${esc(e.message)}</td><td>${controlLinks(e.controls)}</td></tr>`);
    }
    out.push(`</table>`);
  }
  out.push(`</section>`);
}

function rotation(m: EvidenceModel, out: string[]): void {
  out.push(`<section id="rotation"><h2>${esc(sectionTitles.rotation)}</h2>`);
  if (!m.rotation) out.push(`<p class="muted">No rotation report was given for this pack.</p>`);
  else {
    const r = m.rotation;
    out.push(`<p>From <span class="mono">${esc(r.file)}</span>${r.generatedAt ? ` (${esc(r.generatedAt)})` : ""}: ${r.verified} of ${r.total} rotations verified.</p>`);
    out.push(`<table><tr><th>Subject</th><th>Credential</th><th>Directory</th><th>Time</th><th>State</th><th>Verified</th><th>Linked directories</th></tr>`);
    for (const i of r.items) {
      out.push(`<tr><td>${esc(i.subject)}</td><td>${esc(i.credential)}</td><td>${esc(i.directory)}</td><td>${esc(i.at ?? "")}</td><td>${esc(i.state)}</td><td>${i.verified ? "yes" : "<strong>no</strong>"}</td><td>${esc(i.agreement ?? "")}</td></tr>`);
    }
    out.push(`</table>`);
  }
  out.push(`</section>`);
}

function appendix(m: EvidenceModel, out: string[]): void {
  out.push(`<section id="appendix"><h2>${esc(sectionTitles.appendix)}</h2><h3>Method</h3>`);
  for (const p of method) out.push(`<p>${esc(p)}</p>`);
  out.push(`<h3>Glossary</h3><table>`);
  for (const [term, def] of glossary) out.push(`<tr><th>${esc(term)}</th><td>${esc(def)}</td></tr>`);
  out.push(`</table><h3>Manifest</h3><p>Files of this pack hashed before this document was rendered. manifest.json (signed in manifest.json.sig) lists these and the PDF and HTML documents themselves.</p>`);
  out.push(`<table><tr><th>File</th><th>Bytes</th><th>SHA-256</th></tr>`);
  for (const f of m.inputFiles) out.push(`<tr><td class="mono">${esc(f.path)}</td><td class="n">${f.bytes}</td><td class="mono">${esc(f.sha256)}</td></tr>`);
  out.push(`</table>`);
  if (m.warnings.length) {
    out.push(`<h3>Warnings</h3><ul>${m.warnings.map((w) => `<li>${esc(w)}</li>`).join("")}</ul>`);
  }
  out.push(`</section>`);
}

function status(s: ControlStatus | "error" | "not_evaluated"): string {
  return `<span class="st st-${s}">${statusLabel[s]}</span>`;
}

function controlLinks(ids: readonly string[]): string {
  return ids.map((id) => `<a href="#${esc(id)}">${esc(id)}</a>`).join(", ");
}

function esc(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
