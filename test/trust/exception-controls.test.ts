// An exception whose control names no control of the library (a typo: CG-HYG-01) never applies;
// it used to be a warning among others while the run went on. It is a mistake in an input file:
// exit 2 at its line, with the closest control id.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const bin = fileURLToPath(new URL("../../bin/credgov.js", import.meta.url));
const snapshot = fileURLToPath(new URL("../fixtures/snapshots/all-controls.json", import.meta.url));

describe("exceptions naming no control", () => {
  it("evaluate refuses them at their line with the closest id; a glob matching some control is accepted", () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-exception-controls-"));
    const exception = (control: string) => `  - control: ${control}\n    subject: "*kiosk*"\n    reason: r\n    approver: a@example.com\n    ticket: T-1\n    expires: 2027-06-30\n`;
    writeFileSync(join(dir, "typo.yaml"), `exceptions:\n${exception("CG-HYG-001")}${exception("CG-HYG-01")}`);
    const typo = spawnSync(process.execPath, [bin, "evaluate", "--snapshot", snapshot, "--exceptions", "typo.yaml", "--out", "out"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toBe('error: typo.yaml:8 exceptions[1].control: "CG-HYG-01" matches no control; did you mean CG-HYG-001? (see `credgov controls`)\n');

    writeFileSync(join(dir, "glob.yaml"), `exceptions:\n${exception("CG-HYG-*")}`);
    const glob = spawnSync(process.execPath, [bin, "evaluate", "--snapshot", snapshot, "--exceptions", "glob.yaml", "--out", "out"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
    expect(glob.status, glob.stderr).not.toBe(2);
  }, 240_000);

  it("scan refuses a bad exceptions file or policy folder before it collects", () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-exception-controls-"));
    const ldif = fileURLToPath(new URL("../../examples/demo/ad.ldif", import.meta.url));
    const exception = `exceptions:\n  - control: CG-HYG-01\n    subject: "*kiosk*"\n    reason: r\n    approver: a@example.com\n    ticket: T-1\n    expires: 2027-06-30\n`;
    writeFileSync(join(dir, "typo.yaml"), exception);
    const cases: [string, RegExp][] = [
      ["exceptions:\n  file: typo.yaml\n", /^error: .*typo\.yaml:2 exceptions\[0\]\.control: "CG-HYG-01" matches no control; did you mean CG-HYG-001\?/],
      ["exceptions:\n  file: missing.yaml\n", /^error: .*missing\.yaml --exceptions: cannot read the exceptions file: ENOENT/],
      ["policies:\n  dirs: [missing-policies]\n", /^error: .*missing-policies --policies: cannot read policy directory: ENOENT/],
    ];
    for (const [extra, expected] of cases) {
      writeFileSync(join(dir, "credgov.yaml"), `sources:\n  - { id: corp-ad, kind: ad, file: ${ldif} }\n${extra}`);
      const r = spawnSync(process.execPath, [bin, "scan", "--config", "credgov.yaml", "--out", "out", "--no-history"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
      expect(r.status, extra).toBe(2);
      expect(r.stderr, extra).toMatch(expected);
      // Nothing was collected: the mistake costs no collection.
      expect(r.stderr, extra).not.toContain("corp-ad (ad, file)");
    }
  }, 240_000);
});
