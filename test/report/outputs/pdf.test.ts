// The pdf entry of the output table: evidence.pdf rendered from the evidence model, read back
// with poppler's pdftotext.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sectionTitles } from "../../../src/report/evidence/pack-text.ts";
import { outputFor } from "../../../src/report/outputs/formats.ts";
import { pdfOutput } from "../../../src/report/outputs/pdf.ts";
import { evidenceModelFixture } from "./evidence-model.fixture.ts";

describe("the pdf output", () => {
  it("is the table's pdf entry: a document of the evidence pack writing evidence.pdf", () => {
    expect(outputFor("pdf")).toBe(pdfOutput);
    expect(pdfOutput.kind).toBe("document");
    expect(pdfOutput.files).toEqual(["evidence.pdf"]);
  });

  it("renders a PDF that pdftotext reads back with every section, the organisation and readable subjects", async () => {
    const files = await pdfOutput.render(evidenceModelFixture());
    const bytes = files["evidence.pdf"];
    expect(bytes).toBeInstanceOf(Uint8Array);
    const file = join(mkdtempSync(join(tmpdir(), "credgov-pdf-")), "evidence.pdf");
    writeFileSync(file, bytes);
    const r = spawnSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8", maxBuffer: 64 << 20 });
    expect(r.status, r.stderr).toBe(0);
    const text = r.stdout.replace(/\s+/g, " ");
    for (const title of Object.values(sectionTitles)) expect(text, title).toContain(title);
    expect(text).toContain("Fixture Org");
    expect(text).toContain("svc-sql");
  }, 120_000);
});
