import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Finding } from "../../../src/policy/engine/finding.ts";
import { renderJunit } from "../../../src/report/outputs/junit.ts";
import { loadFindingsFixture } from "../fixture.ts";
import { writeOutputs } from "../../../src/report/write-outputs.ts";

// junit-10.xsd: the JUnit schema of Jenkins' xUnit plugin (jenkinsci/xunit-plugin, MIT), the
// strictest common consumer. xmllint is Debian's libxml2-utils (.ci/setup.sh installs it).
const xsd = new URL("../../fixtures/junit-10.xsd", import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), "credgov-junit-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function xmllint(xml: string): { ok: boolean; output: string } {
  const file = join(work, `junit-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml);
  const r = spawnSync("xmllint", ["--noout", "--schema", xsd, file], { encoding: "utf8" });
  if (r.error) throw new Error(`xmllint did not run (install libxml2-utils): ${r.error.message}`);
  return { ok: r.status === 0, output: r.stderr };
}

function count(xml: string, pattern: RegExp): number {
  return (xml.match(pattern) ?? []).length;
}

describe("renderJunit", () => {
  const findings = loadFindingsFixture();
  const xml = renderJunit(findings, { timestamp: "2026-06-01T00:00:00Z", durationSeconds: 2.34567 });

  it("validates against the xUnit plugin's junit-10.xsd", () => {
    const result = xmllint(xml);
    expect(result.output).toContain("validates");
    expect(result.ok).toBe(true);
  });

  it("uses a live validator: <testsuites skipped=…> (what credgov wrote before) is rejected", () => {
    const result = xmllint(xml.replace("<testsuites ", '<testsuites skipped="1" '));
    expect(result.ok).toBe(false);
    expect(result.output).toContain("skipped");
  });

  it("states the run's time in seconds with at most three decimals, and 0 per suite and case", () => {
    expect(xml).toMatch(/<testsuites name="credgov" time="2\.346" /);
    expect(count(xml, /<testsuite [^>]*time="0"/g)).toBe(new Set(findings.map((f) => f.controlId)).size);
    expect(count(xml, /<testcase [^>]*time="0"/g)).toBe(findings.length);
  });

  it("has one testsuite per control and one testcase per finding", () => {
    expect(count(xml, /<testsuite /g)).toBe(new Set(findings.map((f) => f.controlId)).size);
    expect(count(xml, /<testcase /g)).toBe(findings.length);
  });

  it("reports fails as failures, collection errors as errors, excepted and not evaluated as skipped", () => {
    const fails = findings.filter((f) => f.status === "fail" && !f.excepted).length;
    const errors = findings.filter((f) => f.status === "error").length;
    expect(count(xml, /<failure /g)).toBe(fails);
    expect(count(xml, /<error /g)).toBe(errors);
    expect(count(xml, /<skipped /g)).toBe(findings.filter((f) => f.status === "not_evaluated" || f.excepted).length);
    expect(xml).toContain(`<testsuites name="credgov" time="2.346" tests="${findings.length}" failures="${fails}" errors="${errors}">`);
  });

  it("escapes directory data and strips characters XML cannot carry, still valid", () => {
    const hostile: Finding = { ...findings[0], status: "fail", excepted: undefined, message: 'a <b> & "c"\u0001', subject: { ...findings[0].subject, name: "x]]>y" } };
    const out = renderJunit([hostile], { timestamp: "t" });
    expect(out).toContain("a &lt;b&gt; &amp; &quot;c&quot;\uFFFD");
    expect(out).not.toContain("<b>");
    expect(out).toContain("x]]&gt;y");
    expect(xmllint(out).ok).toBe(true);
  });
});

describe("the junit output", () => {
  it("writes junit.xml with the evaluation time and duration", async () => {
    const findings = loadFindingsFixture();
    const dir = mkdtempSync(join(tmpdir(), "credgov-junit-"));
    const written = await writeOutputs(findings, { dir, formats: ["junit"], toolVersion: "0.0.0", scope: "test", generatedAt: "2026-06-01T00:00:00Z", durationSeconds: 1.5 });
    expect(written).toEqual([join(dir, "junit.xml")]);
    expect(readFileSync(written[0], "utf8")).toBe(renderJunit(findings, { timestamp: "2026-06-01T00:00:00Z", durationSeconds: 1.5 }));
    rmSync(dir, { recursive: true, force: true });
  });
});
