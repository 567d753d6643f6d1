import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const TIMEOUT = 300_000;
const bin = fileURLToPath(new URL("../../../bin/credgov.js", import.meta.url));
const fixture = fileURLToPath(new URL("../../fixtures/snapshots/all-controls.json", import.meta.url));

function credgov(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("credgov evaluate", () => {
  const out = mkdtempSync(join(tmpdir(), "credgov-evaluate-"));

  it(
    "writes every output, prints the table and exits 1 on high findings",
    () => {
      const r = credgov("evaluate", "--snapshot", fixture, "--out", out);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/^CONTROL\s+SEVERITY\s+FAIL/m);
      expect(r.stdout).toMatch(/^CG-SAAS-001\s+critical\s+1\s/m);
      for (const f of ["findings.json", "results.sarif", "junit.xml", "summary.md"]) expect(existsSync(join(out, f)), f).toBe(true);
      const findings = JSON.parse(readFileSync(join(out, "findings.json"), "utf8")) as Array<{ controlId: string; status: string }>;
      expect(findings.some((f) => f.controlId === "CG-RESET-003" && f.status === "fail")).toBe(true);
    },
    TIMEOUT,
  );

  it(
    "exits 0 when nothing is at or above --fail-on, and honours exceptions",
    () => {
      expect(credgov("evaluate", "--snapshot", fixture, "--fail-on", "none").code).toBe(0);
      // Except every critical failure: --fail-on critical then passes.
      const exceptions = join(out, "exceptions.yaml");
      writeFileSync(
        exceptions,
        `exceptions:
  - {control: CG-RESET-003, subject: "corp-ad:*", reason: test, approver: me, ticket: T-1, expires: 2999-01-01, allowBroad: true}
  - {control: CG-SAAS-001, subject: gh-acme, reason: test, approver: me, ticket: T-2, expires: 2999-01-01, allowBroad: true}
`,
      );
      expect(credgov("evaluate", "--snapshot", fixture, "--fail-on", "critical").code).toBe(1);
      const r = credgov("evaluate", "--snapshot", fixture, "--fail-on", "critical", "--exceptions", exceptions);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^CG-SAAS-001\s+critical\s+0\s+1\s/m);
    },
    TIMEOUT,
  );

  it("rejects bad input with exit 2 and no stack trace", () => {
    const bad = join(out, "bad-exceptions.yaml");
    writeFileSync(bad, "exceptions:\n  - control: CG-RESET-003\n    subject: x\n");
    const r = credgov("evaluate", "--snapshot", fixture, "--exceptions", bad);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-exceptions\.yaml:2:\d+ exceptions\[0\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(credgov("evaluate", "--snapshot", join(out, "missing.json")).code).toBe(2);
    expect(credgov("evaluate", "--snapshot", fixture, "--fail-on", "urgent").code).toBe(2);
  });

  it(
    "evaluates an OPA-style bundle.tar.gz instead of the built-in library",
    () => {
      const build = join(out, "bundle");
      const b = credgov("policy", "build", "--policies", fileURLToPath(new URL("../../../policies", import.meta.url)), "--out", build);
      expect(b.code, b.stderr).toBe(0);
      const bundleOut = join(out, "from-bundle");
      const r = credgov("evaluate", "--snapshot", fixture, "--no-builtin-policies", "--bundle", join(build, "bundle.tar.gz"), "--out", bundleOut, "--fail-on", "none");
      expect(r.code, r.stderr).toBe(0);
      const fromBundle = JSON.parse(readFileSync(join(bundleOut, "findings.json"), "utf8")) as unknown[];
      const fromLibrary = JSON.parse(readFileSync(join(out, "findings.json"), "utf8")) as unknown[];
      expect(fromBundle).toEqual(fromLibrary);
    },
    TIMEOUT,
  );
});

describe("credgov report", () => {
  it(
    "re-renders outputs from findings.json",
    () => {
      const out = mkdtempSync(join(tmpdir(), "credgov-report-"));
      expect(credgov("evaluate", "--snapshot", fixture, "--out", out, "--fail-on", "none").code).toBe(0);
      const again = join(out, "again");
      const r = credgov("report", "--findings", join(out, "findings.json"), "--format", "sarif", "md", "--out", again, "--snapshot", fixture);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(again, "results.sarif"), "utf8"))).toMatchObject({ version: "2.1.0" });
      expect(readFileSync(join(again, "summary.md"), "utf8")).toMatch(/\| CG-HYG-003 \| high \|/);
      expect(credgov("report", "--findings", join(out, "findings.json"), "--format", "docx").code).toBe(2);
    },
    TIMEOUT,
  );
});

describe("credgov scan", () => {
  it(
    "scans the bundled demo estate into every output and exits 1 on high findings",
    () => {
      const out = mkdtempSync(join(tmpdir(), "credgov-scan-demo-"));
      const r = credgov("scan", "--demo", "--out", out);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.code).toBe(1);
      for (const f of ["snapshot.json", "findings.json", "results.sarif", "junit.xml", "summary.md"]) expect(existsSync(join(out, f)), f).toBe(true);
      expect(credgov("scan", "--demo", "--out", out, "--fail-on", "none").code).toBe(0);
    },
    TIMEOUT,
  );

  it(
    "exits 3 when a source cannot be collected and reports its controls as error",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "credgov-scan-partial-"));
      const ad = fileURLToPath(new URL("../../../examples/demo/ad.ldif", import.meta.url));
      // Port 1 on loopback refuses the connection at once: a live source that fails.
      writeFileSync(
        join(dir, "credgov.yaml"),
        `version: 1\nsources:\n  - id: corp-ad\n    kind: ad\n    file: ${JSON.stringify(ad)}\n  - id: legacy-ldap\n    kind: ldap\n    url: ldap://127.0.0.1:1\n    baseDN: dc=legacy,dc=example\n`,
      );
      const out = join(dir, "out");
      const r = credgov("scan", "--config", join(dir, "credgov.yaml"), "--out", out);
      expect(r.code).toBe(3);
      const findings = JSON.parse(readFileSync(join(out, "findings.json"), "utf8")) as Array<{ controlId: string; status: string; subject: { id: string } }>;
      const errors = findings.filter((f) => f.status === "error" && f.subject.id === "legacy-ldap");
      expect(errors.map((f) => f.controlId)).toContain("CG-HYG-001");
      expect(findings.some((f) => f.status === "pass" && f.subject.id.endsWith(":legacy-ldap"))).toBe(false);
    },
    TIMEOUT,
  );
});
