import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultOutputFormats, outputFor, outputFormats } from "../../src/report/outputs/formats.ts";
import { writeOutputs } from "../../src/report/write-outputs.ts";
import { loadFindingsFixture } from "./fixture.ts";

const options = { toolVersion: "0.0.0", scope: "test", generatedAt: "2026-06-01T00:00:00Z" };

describe("writeOutputs and the table of formats", () => {
  it("names every format once under its own name, each with its own files", () => {
    expect(outputFormats).toEqual(["json", "sarif", "junit", "md", "github"]);
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
});
