// evidence.pdf: the evidence pack for reading and filing, laid out by pdfmake from the evidence
// model (src/report/evidence/render-pdf.ts).
import { renderEvidencePdf } from "../evidence/render-pdf.ts";
import type { DocumentOutput } from "./output.ts";

export const pdfOutput: DocumentOutput = {
  kind: "document",
  name: "pdf",
  files: ["evidence.pdf"],
  render: async (model) => ({ "evidence.pdf": await renderEvidencePdf(model) }),
};
