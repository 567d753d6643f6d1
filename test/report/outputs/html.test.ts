// The html entry of the output table: evidence.html rendered from the evidence model, one
// self-contained file (opened in headless Chromium by test/report/evidence/pack.test.ts).
import { describe, expect, it } from "vitest";
import { sectionTitles } from "../../../src/report/evidence/pack-text.ts";
import { htmlOutput } from "../../../src/report/outputs/html.ts";
import { outputFor } from "../../../src/report/outputs/formats.ts";
import { evidenceModelFixture } from "./evidence-model.fixture.ts";

describe("the html output", () => {
  it("is the table's html entry: a document of the evidence pack writing evidence.html", () => {
    expect(outputFor("html")).toBe(htmlOutput);
    expect(htmlOutput.kind).toBe("document");
    expect(htmlOutput.files).toEqual(["evidence.html"]);
  });

  it("renders one self-contained page: every section, inline SVG, nothing fetched, no script", async () => {
    const html = (await htmlOutput.render(evidenceModelFixture()))["evidence.html"];
    expect(typeof html).toBe("string");
    const text = html as string;
    expect(text.startsWith("<!DOCTYPE html>") || text.startsWith("<!doctype html>")).toBe(true);
    for (const title of Object.values(sectionTitles)) expect(text, title).toContain(title);
    expect(text).toContain("Fixture Org");
    expect(text).toContain("<svg");
    expect(text).not.toMatch(/<script\b/i);
    expect(text).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(text).toMatch(/Content-Security-Policy/);
  });
});
