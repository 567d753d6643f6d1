import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadCatalog } from "../../src/policy/catalog/load.ts";
import { defaultOutputFormats, outputFor, outputFormats } from "../../src/report/outputs/formats.ts";
import { writeOutputs, writeOutputToStream } from "../../src/report/write-outputs.ts";
import { loadFindingsFixture } from "./fixture.ts";

const options = { toolVersion: "0.0.0", scope: "test", generatedAt: "2026-06-01T00:00:00Z" };

describe("writeOutputs and the table of formats", () => {
  it("names every format once under its own name, each with its own files", () => {
    expect(outputFormats).toEqual(["json", "sarif", "junit", "md", "github", "pdf", "html"]);
    for (const name of outputFormats) expect(outputFor(name).name).toBe(name);
    const files = outputFormats.flatMap((name) => outputFor(name).files);
    expect(new Set(files).size).toBe(files.length);
    expect(outputFor("sarif").files).toEqual(["results.sarif"]);
  });

  it("writes findings.json, results.sarif, junit.xml and summary.md by default, and leaves no temp file behind", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-outputs-"));
    const written = await writeOutputs(loadFindingsFixture(), { ...options, dir });
    expect(defaultOutputFormats).toEqual(["json", "sarif", "junit", "md"]);
    expect(written).toEqual(["findings.json", "results.sarif", "junit.xml", "summary.md"].map((f) => join(dir, f)));
    expect(readdirSync(dir).sort()).toEqual(["findings.json", "junit.xml", "results.sarif", "summary.md"]);
  });

  it("writes only the chosen formats, in the order asked, into a folder it creates", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "credgov-outputs-")), "new", "folder");
    const written = await writeOutputs(loadFindingsFixture(), { ...options, dir, formats: ["md", "json", "github"] });
    expect(written).toEqual([join(dir, "summary.md"), join(dir, "findings.json"), join(dir, "annotations.txt")]);
  });

  it("credgov.yaml output.formats accepts exactly the table's formats and manifest", () => {
    const schema = JSON.parse(readFileSync(new URL("../../schemas/credgov.config.schema.json", import.meta.url), "utf8")) as {
      properties: { output: { properties: { formats: { items: { enum: string[] } } } } };
    };
    expect([...schema.properties.output.properties.formats.items.enum].sort()).toEqual([...outputFormats, "manifest"].sort());
  });

  it("writes the documents after the findings formats, with the subject CSVs and manifest.json of the evidence pack", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-outputs-"));
    const pack = { snapshot: null, catalog: loadCatalog(), toolVersion: "0.0.0", policyHash: null, generatedAt: options.generatedAt };
    const written = await writeOutputs(loadFindingsFixture(), { ...options, dir, formats: ["html", "json"], pack });
    expect(written[0]).toBe(join(dir, "findings.json"));
    expect(written).toContain(join(dir, "evidence.html"));
    expect(written).toContain(join(dir, "manifest.json"));
    expect(written.some((f) => /subjects \(\d+ CSV files\)$/.test(f))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { files: { path: string }[] };
    expect(manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining(["evidence.html", "findings.json"]));
    // The document's appendix lists the hash of what was written before it.
    expect(readFileSync(join(dir, "evidence.html"), "utf8")).toContain("findings.json");
  });

  it("refuses a document without the pack's context, and on a stream", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-outputs-"));
    await expect(writeOutputs(loadFindingsFixture(), { ...options, dir, formats: ["pdf"] })).rejects.toThrow(/pdf needs the evidence pack's context/);
    await expect(writeOutputToStream("html", loadFindingsFixture(), options, new PassThrough())).rejects.toThrow(/document of the evidence pack/);
  });
});
