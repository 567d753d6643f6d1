// evidence.html: the evidence pack as one self-contained file (inline CSS and SVG, no script,
// no request), from the same evidence model as the PDF (src/report/evidence/render-html.ts).
import { renderEvidenceHtml } from "../evidence/render-html.ts";
import type { DocumentOutput } from "./output.ts";

export const htmlOutput: DocumentOutput = {
  kind: "document",
  name: "html",
  files: ["evidence.html"],
  render: async (model) => ({ "evidence.html": renderEvidenceHtml(model) }),
};
