// The evidence pack as a PDF, laid out with pdfmake from the same model as the HTML. Fonts
// are the Roboto files pdfmake ships; pdfmake may read those files and nothing else, and may
// fetch no URL, so rendering never touches the network.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import type { ControlStatus, EvidenceModel, FrameworkRow } from "./model.ts";
import { statusLabel } from "./control-status.ts";
import { glossary, method, sectionTitles } from "./pack-text.ts";
import { stackedBarChart, trendChart } from "./svg-charts.ts";

type Content = Record<string, unknown> | string | Content[];

interface PdfMake {
  setFonts(fonts: object): void;
  setUrlAccessPolicy(allow: (url: string) => boolean): void;
  setLocalAccessPolicy(allow: (path: string) => boolean): void;
  createPdf(doc: object): { getBuffer(): Promise<Buffer>; write(file: string): Promise<void> };
}

const require = createRequire(import.meta.url);

let printer: PdfMake | undefined;

function pdfmake(): PdfMake {
  if (!printer) {
    const instance = require("pdfmake") as PdfMake;
    const roboto = require("pdfmake/fonts/Roboto.js") as { Roboto: Record<string, string> };
    const fontDir = dirname(roboto.Roboto.normal);
    instance.setFonts(roboto);
    instance.setUrlAccessPolicy(() => false);
    instance.setLocalAccessPolicy((path) => dirname(path) === fontDir);
    printer = instance;
  }
  return printer;
}

const statusColour: Record<ControlStatus, string> = { fail: "#c0392b", error: "#b9770e", not_evaluated: "#7f8c8d", excepted: "#8e44ad", pass: "#2e8b57", not_applicable: "#7f8c8d" };

export async function renderEvidencePdf(model: EvidenceModel): Promise<Buffer> {
  return pdfmake().createPdf(evidenceDocument(model)).getBuffer();
}

/** The pdfmake document definition (pure: tests and the renderer share it). */
export function evidenceDocument(m: EvidenceModel): object {
  const content: Content[] = [];
  cover(m, content);
  summary(m, content);
  nist(m, content);
  framework(content, sectionTitles.owasp, m.frameworks.owasp, "Risk");
  framework(content, sectionTitles.cis, m.frameworks.cis, "Safeguard");
  framework(content, sectionTitles.iso, m.frameworks.iso, "Control");
  controls(m, content);
  exceptions(m, content);
  collectionErrors(m, content);
  rotation(m, content);
  appendix(m, content);
  return {
    info: { title: `${m.title} — ${m.organisation}`, author: "credgov", subject: "Credential lifecycle evidence", creator: `credgov ${m.tool.version}`, producer: "credgov (pdfmake)", creationDate: new Date(m.generatedAt) },
    pageSize: "A4",
    pageMargins: [40, 50, 40, 50],
    defaultStyle: { font: "Roboto", fontSize: 9, lineHeight: 1.15 },
    styles: {
      h1: { fontSize: 22, bold: true, margin: [0, 0, 0, 10] },
      h2: { fontSize: 15, bold: true, color: "#34495e", margin: [0, 0, 0, 8] },
      h3: { fontSize: 11.5, bold: true, margin: [0, 12, 0, 4] },
      h4: { fontSize: 10, bold: true, margin: [0, 8, 0, 3] },
      th: { bold: true, fillColor: "#eef1f5" },
      mono: { fontSize: 7.5, color: "#333333" },
      // Queries and URLs have long runs without a break opportunity ($select=a,b,c...).
      query: { fontSize: 7, color: "#333333", wordBreak: "break-all" },
      muted: { color: "#666666" },
    },
    header: (page: number) => (page === 1 ? null : { text: `${m.title} — ${m.organisation}`, style: "muted", fontSize: 8, margin: [40, 20, 40, 0] }),
    footer: (page: number, pages: number) => ({
      columns: [
        { text: `Generated ${m.generatedAt} by credgov ${m.tool.version}`, style: "muted", fontSize: 8 },
        { text: `Page ${page} of ${pages}`, alignment: "right", style: "muted", fontSize: 8 },
      ],
      margin: [40, 15, 40, 0],
    }),
    content,
  };
}

function cover(m: EvidenceModel, out: Content[]): void {
  out.push({ text: sectionTitles.cover, style: "h1", margin: [0, 80, 0, 6] });
  out.push({ text: m.organisation, fontSize: 16, margin: [0, 0, 0, 24] });
  const facts: Array<[string, string]> = [
    ["Generated", m.generatedAt],
    ["Collection window", m.collectionWindow ? `${m.collectionWindow.start} – ${m.collectionWindow.end}` : "no source"],
    ["Tool", `credgov ${m.tool.version} on Node.js ${m.tool.node}`],
    ["Policy library (SHA-256)", m.policyHash ?? "unknown"],
    ["Configuration (SHA-256)", m.configHash ?? "unknown"],
    ["Signing key", m.signing ? `Ed25519, public key SHA-256 ${m.signing.publicKeyFingerprint}` : "not signed"],
  ];
  out.push(table([["", ""], ...facts.map(([k, v]) => [{ text: k, bold: true }, v])], ["auto", "*"], false));
  out.push({ text: "Scope", style: "h3" });
  out.push(
    table(
      [["Source", "Kind", "Endpoint", "Naming context", "Collected", "Status"], ...m.sources.map((s) => [s.id, `${s.kind} (${s.transport})`, { text: s.endpoint, style: "query" }, s.namingContext ?? "", s.collectedAt, s.status])],
      ["auto", "auto", "*", "auto", "auto", "auto"],
    ),
  );
}

function summary(m: EvidenceModel, out: Content[]): void {
  const t = m.totals;
  out.push({ text: sectionTitles.summary, style: "h2", pageBreak: "before" });
  out.push({
    text: [
      `${t.controls} controls evaluated: `,
      { text: `${t.controlsByStatus.fail} failing`, color: statusColour.fail, bold: true },
      `, ${t.controlsByStatus.error} in error, ${t.controlsByStatus.not_evaluated} not evaluated, ${t.controlsByStatus.excepted} excepted only, `,
      { text: `${t.controlsByStatus.pass} passing`, color: statusColour.pass, bold: true },
      `. ${t.failed} failing subjects, ${t.excepted} excepted, ${t.passed} passing subjects, ${t.errors} collection errors, ${t.notEvaluated} not evaluated.`,
    ],
    margin: [0, 0, 0, 8],
  });
  out.push({ svg: stackedBarChart(m.charts.byArea), width: 430, margin: [0, 4, 0, 8] });
  out.push({ svg: stackedBarChart(m.charts.bySeverity), width: 430, margin: [0, 4, 0, 8] });
  out.push({ svg: stackedBarChart(m.charts.byFunction), width: 430, margin: [0, 4, 0, 8] });
  if (m.charts.trend.length) out.push({ svg: trendChart(m.charts.trend), width: 430, margin: [0, 4, 0, 8] });
  else out.push({ text: "No scan history was available, so no trend is shown.", style: "muted" });
  out.push({ text: "Controls", style: "h3" });
  out.push(
    table(
      [
        ["Control", "Title", "Severity", "Result", "Fail", "Excepted", "Pass", "Error"],
        ...m.controls.map((c) => [c.id, c.title, c.severity, status(c.status), num(c.counts.failed), num(c.counts.excepted), num(c.counts.passed), num(c.counts.errors + c.counts.notEvaluated)]),
      ],
      [idWidth, "*", "auto", "auto", "auto", "auto", "auto", "auto"],
    ),
  );
}

function nist(m: EvidenceModel, out: Content[]): void {
  out.push({ text: sectionTitles.nist, style: "h2", pageBreak: "before" });
  out.push({ text: "Function › category › subcategory, with the credgov controls mapped to each subcategory.", margin: [0, 0, 0, 6] });
  const rows: Content[][] = [["Function / category", "Subcategory", "Controls", "Result", "Fail", "Pass"]];
  for (const fn of m.frameworks.nist) {
    rows.push([{ text: `${fn.id} ${fn.name}`, bold: true, colSpan: 3, fillColor: "#f4f6f8" }, "", "", { text: fn.status ? statusLabel[fn.status] : "no control mapped", colSpan: 3, fillColor: "#f4f6f8", color: fn.status ? statusColour[fn.status] : "#666666", bold: true }, "", ""]);
    for (const cat of fn.categories) {
      for (const [i, s] of cat.subcategories.entries()) {
        rows.push([i === 0 ? { text: `${cat.id} ${cat.name}`, rowSpan: cat.subcategories.length } : "", { text: [{ text: s.id, bold: true }, ` ${s.title}`] }, controlIds(s.controls), s.status ? status(s.status) : "", num(s.failed), num(s.passed)]);
      }
    }
  }
  out.push(table(rows, [90, "*", idWidth, "auto", "auto", "auto"]));
}

function framework(out: Content[], title: string, rows: readonly FrameworkRow[], what: string): void {
  out.push({ text: title, style: "h2", pageBreak: "before" });
  out.push(
    table(
      [[what, "Title", "Controls", "Result", "Fail", "Pass"], ...rows.map((r) => [{ text: r.id, bold: true }, r.title, r.controls.length ? controlIds(r.controls) : { text: "no control mapped", style: "muted" }, r.status ? status(r.status) : "", num(r.failed), num(r.passed)])],
      ["auto", "*", idWidth, "auto", "auto", "auto"],
    ),
  );
}

function controls(m: EvidenceModel, out: Content[]): void {
  out.push({ text: sectionTitles.controls, style: "h2", pageBreak: "before" });
  m.controls.forEach((c, i) => {
    out.push({ text: [`${c.id} ${c.title} — `, { text: statusLabel[c.status], color: statusColour[c.status] }], style: "h3", pageBreak: i === 0 ? undefined : "before" });
    out.push({ text: [{ text: "Objective. ", bold: true }, c.objective, { text: " Severity: ", bold: true }, c.severity, { text: ". Area: ", bold: true }, `${c.area}.`], margin: [0, 0, 0, 4] });
    out.push({ text: [{ text: "Rationale. ", bold: true }, c.rationale], margin: [0, 0, 0, 4] });
    out.push({
      text: [
        { text: "Mappings. ", bold: true },
        `NIST CSF 2.0: ${c.mappings.nist_csf_2.join(", ") || "—"}; OWASP NHI: ${c.mappings.owasp_nhi_2025.join(", ") || "—"}; CIS v8: ${c.mappings.cis_v8.join(", ") || "—"}; ISO/IEC 27001:2022: ${c.mappings.iso27001_2022.join(", ") || "—"}`,
      ],
      margin: [0, 0, 0, 4],
    });
    out.push({ text: "Population tested", style: "h4" });
    out.push(
      table(
        [
          ["Scope", "Tested", "Returned", "In scope", "Pass", "Fail", "Queries (entries returned)"],
          ...c.population.map((p) => [p.scope, p.status === "tested" ? p.what : `${p.what} (${statusLabel[p.status]})`, p.returned === null ? "all sources" : num(p.returned), num(p.inScope), num(p.passing), num(p.failing), { text: p.queries.join("\n"), style: "query" }]),
        ],
        ["auto", 80, "auto", "auto", "auto", "auto", "*"],
      ),
    );
    out.push({ text: [{ text: "Results. ", bold: true }, `${c.counts.failed} failing, ${c.counts.excepted} excepted, ${c.counts.passed} passing, ${c.counts.errors} errors, ${c.counts.notEvaluated} not evaluated.`], margin: [0, 0, 0, 4] });
    for (const p of c.problems) out.push({ text: [{ text: `${statusLabel[p.status]} `, color: statusColour[p.status], bold: true }, p.message], margin: [0, 0, 0, 2] });
    if (c.failing.length) {
      const more = c.failingTotal > c.failing.length ? ` (first ${c.failing.length} of ${c.failingTotal}; all in ${c.csvFile})` : c.csvFile ? ` (also in ${c.csvFile})` : "";
      out.push({ text: `Failing subjects${more}`, style: "h4" });
      out.push(
        table(
          [
            ["Subject", "Directory", "Finding", "Evidence"],
            ...c.failing.map((f) => [
              { stack: [{ text: f.name, bold: true }, { text: `${f.kind} · ${f.id}`, style: "mono" }] },
              f.directory,
              f.excepted ? { stack: [f.message, { text: `EXCEPTED until ${f.excepted.expires}, ${f.excepted.approver}, ${f.excepted.ticket}`, color: statusColour.excepted }] } : f.message,
              { text: f.evidence, style: "mono" },
            ]),
          ],
          [110, 55, "*", 130],
        ),
      );
    }
    out.push({ text: [{ text: "Remediation. ", bold: true }, c.remediation], margin: [0, 4, 0, 0] });
  });
}

function exceptions(m: EvidenceModel, out: Content[]): void {
  out.push({ text: sectionTitles.exceptions, style: "h2", pageBreak: "before" });
  for (const [label, list] of [["Active", m.exceptions.active], ["Expired (no longer applied)", m.exceptions.expired]] as const) {
    out.push({ text: label, style: "h3" });
    if (!list.length) {
      out.push({ text: "None.", style: "muted" });
      continue;
    }
    out.push(
      table(
        [["Control", "Subject", "Reason", "Approver", "Ticket", "Expires", "Findings", "Defined at"], ...list.map((e) => [e.control, e.subject, e.reason, e.approver, e.ticket, e.expires, num(e.matched), { text: e.where, style: "mono" }])],
        [idWidth, 70, "*", 85, "auto", "auto", "auto", 70],
      ),
    );
  }
}

function collectionErrors(m: EvidenceModel, out: Content[]): void {
  out.push({ text: sectionTitles.collectionErrors, style: "h2", margin: [0, 16, 0, 8] });
  if (!m.collectionErrors.length) {
    out.push("Every source was collected completely (status ok, no failed query).");
    return;
  }
  out.push(
    table(
      [["Source", "Step", "Call", "Error", "Controls left in error"], ...m.collectionErrors.map((e) => [e.source, e.step, { text: e.call ?? "", style: "query" }, e.message, controlIds(e.controls)])],
      ["auto", "auto", 120, "*", idWidth],
    ),
  );
}

function rotation(m: EvidenceModel, out: Content[]): void {
  out.push({ text: sectionTitles.rotation, style: "h2", margin: [0, 16, 0, 8] });
  if (!m.rotation) {
    out.push({ text: "No rotation report was given for this pack.", style: "muted" });
    return;
  }
  const r = m.rotation;
  out.push({ text: `From ${r.file}${r.generatedAt ? ` (${r.generatedAt})` : ""}: ${r.verified} of ${r.total} rotations verified.`, margin: [0, 0, 0, 4] });
  out.push(
    table(
      [["Subject", "Credential", "Directory", "Time", "State", "Verified", "Linked directories"], ...r.items.map((i) => [i.subject, i.credential, i.directory, i.at ?? "", i.state, i.verified ? "yes" : { text: "no", bold: true }, i.agreement ?? ""])],
      ["*", "auto", "auto", "auto", "auto", "auto", "*"],
    ),
  );
}

function appendix(m: EvidenceModel, out: Content[]): void {
  out.push({ text: sectionTitles.appendix, style: "h2", pageBreak: "before" });
  out.push({ text: "Method", style: "h3" });
  for (const p of method) out.push({ text: p, margin: [0, 0, 0, 4] });
  out.push({ text: "Glossary", style: "h3" });
  out.push(table([["Term", "Meaning"], ...glossary.map(([t, d]) => [{ text: t, bold: true }, d])], [110, "*"]));
  out.push({ text: "Manifest", style: "h3" });
  out.push({ text: "Files of this pack hashed before this document was rendered. manifest.json (signed in manifest.json.sig) lists these and the PDF and HTML documents themselves.", margin: [0, 0, 0, 4] });
  out.push(table([["File", "Bytes", "SHA-256"], ...m.inputFiles.map((f) => [{ text: f.path, style: "mono" }, num(f.bytes), { text: f.sha256, style: "mono" }])], [140, "auto", "*"]));
  if (m.warnings.length) {
    out.push({ text: "Warnings", style: "h3" });
    out.push({ ul: m.warnings.slice(0, 200) });
  }
}

function table(rows: Content[][], widths: Array<number | string>, header = true): Content {
  const body = rows.map((row, i) => (header && i === 0 ? row.map((cell) => (typeof cell === "string" ? { text: cell, style: "th" } : cell)) : row));
  return {
    table: { headerRows: header ? 1 : 0, widths, body: header ? body : body.slice(1), dontBreakRows: false },
    layout: { hLineColor: () => "#ccccdd", vLineColor: () => "#ccccdd", hLineWidth: () => 0.5, vLineWidth: () => 0.5, paddingTop: () => 2, paddingBottom: () => 2 },
    margin: [0, 2, 0, 8],
  };
}

function status(s: ControlStatus): Content {
  return { text: statusLabel[s], color: statusColour[s], bold: true };
}

// pdfmake breaks lines at hyphens, so "CG-RESET-005" would split over two lines in a narrow
// column: one id per line, in a column wide enough for the longest.
const idWidth = 62;

function controlIds(ids: readonly string[]): Content {
  return { text: ids.join("\n") };
}

function num(n: number): Content {
  return { text: String(n), alignment: "right" };
}
