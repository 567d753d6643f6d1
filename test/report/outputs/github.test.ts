import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Writable } from "node:stream";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { builtinCatalogPath } from "../../../src/policy/catalog/load.ts";
import type { Finding } from "../../../src/policy/engine/finding.ts";
import { escapeData, escapeProperty, renderGithubAnnotations } from "../../../src/report/outputs/github.ts";
import { loadRepositoryLocations } from "../../../src/report/repository-locations.ts";
import { loadFindingsFixture } from "../fixture.ts";
import { writeOutputs, writeOutputToStream } from "../../../src/report/write-outputs.ts";

const repo = mkdtempSync(join(tmpdir(), "credgov-annotations-"));
afterAll(() => rmSync(repo, { recursive: true, force: true }));
writeFileSync(join(repo, "credgov.yaml"), "version: 1\nsources:\n  - id: corp-ad\n    kind: ad\n    file: a.ldif\n  - id: corp-entra\n    kind: entra\n    dir: e\n");

describe("renderGithubAnnotations", () => {
  const findings = loadFindingsFixture();
  const locations = loadRepositoryLocations({ configFile: join(repo, "credgov.yaml"), catalogFiles: [builtinCatalogPath] });
  const lines = renderGithubAnnotations(findings, { locations, rootDir: repo }).trimEnd().split("\n");

  it("annotates each failing control once per repository line, never excepted findings", () => {
    const failing = findings.filter((f) => f.status === "fail" && !f.excepted);
    const groups = new Set(failing.map((f) => `${f.controlId} ${f.subject.source}`));
    expect(lines.length).toBe(groups.size);
    const excepted = findings.find((f) => f.excepted) as Finding;
    expect(lines.filter((l) => l.includes(excepted.controlId)).join("\n")).not.toContain(excepted.subject.name);
  });

  it("puts corp-ad findings on credgov.yaml line 3 with the level of their severity, highest first", () => {
    const corpAd = lines.filter((l) => l.includes("file=credgov.yaml,line=3,"));
    expect(corpAd.length).toBeGreaterThan(0);
    for (const l of corpAd) expect(l).toMatch(/^::(error|warning|notice) /);
    const order = lines.map((l) => /^::(\w+)/.exec(l)?.[1]);
    const rank = { error: 2, warning: 1, notice: 0 } as Record<string, number>;
    expect(order.map((o) => rank[o as string])).toEqual([...order.map((o) => rank[o as string])].sort((a, b) => b - a));
  });

  it("gives no file property for a location outside the repository (the built-in catalog of an installed credgov)", () => {
    const gh = lines.filter((l) => l.includes("gh-acme"));
    expect(gh.length).toBeGreaterThan(0);
    for (const l of gh) expect(l).toMatch(/^::\w+ title=/);
  });

  it("escapes workflow-command data and properties as @actions/core does", () => {
    expect(escapeData("50% done\r\nnext")).toBe("50%25 done%0D%0Anext");
    expect(escapeProperty("a:b,c%")).toBe("a%3Ab%2Cc%25");
    const hostile: Finding = { ...findings.find((f) => f.status === "fail" && !f.excepted)!, message: "line1\n::error::injected" };
    const out = renderGithubAnnotations([hostile], { locations, rootDir: repo });
    expect(out.trimEnd().split("\n")).toHaveLength(1);
    expect(out).toContain("line1%0A::error::injected");
  });
});

describe("the github output", () => {
  it("writes annotations.txt, and the same text to a stream for --out -", async () => {
    const findings = loadFindingsFixture();
    const dir = mkdtempSync(join(tmpdir(), "credgov-github-out-"));
    const options = { toolVersion: "0.0.0", scope: "test", generatedAt: "2026-06-01T00:00:00Z", rootDir: dir };
    const written = await writeOutputs(findings, { ...options, dir, formats: ["github"] });
    expect(written).toEqual([join(dir, "annotations.txt")]);
    const expected = renderGithubAnnotations(findings, { locations: loadRepositoryLocations({}), rootDir: dir });
    expect(expected).toContain("::error");
    expect(readFileSync(written[0], "utf8")).toBe(expected);
    const chunks: string[] = [];
    const stream = new Writable({ write: (chunk, _encoding, done) => (chunks.push(String(chunk)), done()) });
    await writeOutputToStream("github", findings, options, stream);
    expect(chunks.join("")).toBe(expected);
    rmSync(dir, { recursive: true, force: true });
  });
});
