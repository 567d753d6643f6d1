import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/policy/engine/finding.ts";
import { renderJunit } from "../../src/report/junit.ts";
import { loadFindingsFixture } from "./fixture.ts";

function count(xml: string, pattern: RegExp): number {
  return (xml.match(pattern) ?? []).length;
}

describe("renderJunit", () => {
  const findings = loadFindingsFixture();
  const xml = renderJunit(findings, { timestamp: "2026-06-01T00:00:00Z" });

  it("has one testsuite per control and one testcase per finding", () => {
    expect(count(xml, /<testsuite /g)).toBe(new Set(findings.map((f) => f.controlId)).size);
    expect(count(xml, /<testcase /g)).toBe(findings.length);
  });

  it("reports fails as failures, collection errors as errors, excepted and not evaluated as skipped", () => {
    const fails = findings.filter((f) => f.status === "fail" && !f.excepted).length;
    expect(count(xml, /<failure /g)).toBe(fails);
    expect(count(xml, /<error /g)).toBe(findings.filter((f) => f.status === "error").length);
    expect(count(xml, /<skipped /g)).toBe(findings.filter((f) => f.status === "not_evaluated" || f.excepted).length);
    expect(xml).toMatch(new RegExp(`<testsuites name="credgov" tests="${findings.length}" failures="${fails}"`));
  });

  it("escapes directory data and strips characters XML cannot carry", () => {
    const hostile: Finding = { ...findings[0], status: "fail", excepted: undefined, message: 'a <b> & "c"\u0001', subject: { ...findings[0].subject, name: "x]]>y" } };
    const out = renderJunit([hostile], { timestamp: "t" });
    expect(out).toContain("a &lt;b&gt; &amp; &quot;c&quot;\uFFFD");
    expect(out).not.toContain("<b>");
    expect(out).toContain("x]]&gt;y");
  });
});
