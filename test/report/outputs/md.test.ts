import { describe, expect, it } from "vitest";
import { renderMarkdownSummary } from "../../../src/report/outputs/md.ts";
import { renderTerminalTable } from "../../../src/report/terminal-table.ts";
import { loadFindingsFixture } from "../fixture.ts";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeOutputs } from "../../../src/report/write-outputs.ts";

describe("renderMarkdownSummary", () => {
  const findings = loadFindingsFixture();
  const md = renderMarkdownSummary(findings, { generatedAt: "2026-06-01T00:00:00Z", scope: "snapshot.json", warnings: ["w1"] });

  it("has a row per control with its counts", () => {
    const row = md.split("\n").find((l) => l.startsWith("| CG-NHI-004 "));
    const fails = findings.filter((f) => f.controlId === "CG-NHI-004" && f.status === "fail").length;
    expect(row).toBeDefined();
    expect(row?.split("|")[4].trim()).toBe(String(fails));
    expect(md.split("\n").filter((l) => /^\| CG-/.test(l)).length).toBe(new Set(findings.map((f) => f.controlId)).size);
  });

  it("lists failing subjects, excepted ones marked, and what was not evaluated", () => {
    expect(md).toContain("**svc-sql (corp-ad)** service `corp-ad:svc-sql`");
    expect(md).toContain("**app-payroll / prod-1 (corp-entra)** clientSecret");
    expect(md).toMatch(/excepted until 2099-12-31/);
    expect(md).toMatch(/## Not evaluated[\s\S]*CG-SAAS-001\*\* error/);
    expect(md).toContain("- w1");
  });

  it("caps long subject lists", () => {
    const capped = renderMarkdownSummary(findings, { generatedAt: "t", scope: "s", maxSubjectsPerControl: 1 });
    expect(capped).toMatch(/… and \d+ more/);
  });
});

describe("renderTerminalTable", () => {
  const findings = loadFindingsFixture();
  it("prints no escape codes without colour and colours with it", () => {
    const plain = renderTerminalTable(findings, false);
    expect(plain).not.toContain("\u001b[");
    expect(plain).toMatch(/^CONTROL\s+SEVERITY\s+FAIL/);
    expect(plain.split("\n").filter((l) => l.startsWith("CG-")).length).toBe(new Set(findings.map((f) => f.controlId)).size);
    expect(renderTerminalTable(findings, true)).toContain("\u001b[31m");
  });
});

describe("the md output", () => {
  it("writes summary.md with the scope, time and warnings of the run", async () => {
    const findings = loadFindingsFixture();
    const dir = mkdtempSync(join(tmpdir(), "credgov-md-"));
    const written = await writeOutputs(findings, { dir, formats: ["md"], toolVersion: "0.0.0", scope: "snapshot.json", generatedAt: "2026-06-01T00:00:00Z", warnings: ["w1"] });
    expect(written).toEqual([join(dir, "summary.md")]);
    expect(readFileSync(written[0], "utf8")).toBe(renderMarkdownSummary(findings, { generatedAt: "2026-06-01T00:00:00Z", scope: "snapshot.json", warnings: ["w1"] }));
    rmSync(dir, { recursive: true, force: true });
  });
});
