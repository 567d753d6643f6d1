// --eval-timeout and --eval-memory on `credgov evaluate`: a package past either limit is stopped,
// its controls are error naming the limit and the flag, and the run exits 3; bad values exit 2.
import { spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluationLimits } from "../../src/cli/evaluation-limits.ts";
import { UserInputError } from "../../src/errors.ts";
import { loadConfig } from "../../src/config/load.ts";

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const snapshot = new URL("../fixtures/snapshots/all-controls.json", import.meta.url).pathname;

const control = (id: string, pkg: string) => `  - id: ${id}
    title: Limit ${pkg}
    severity: high
    package: credgov.limits.${pkg}
    rationale: tests the evaluation limits
    remediation: none
    rotation: { eligible: false, rotator: null }
    mappings: { nist_csf_2: [PR.AA-01], owasp_nhi_2025: [], cis_v8: [], iso27001_2022: [A.5.17] }`;

describe("--eval-timeout and --eval-memory", () => {
  it("stop a runaway and a memory-hungry package: error findings, exit 3, the others evaluate", () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-eval-limits-"));
    const policies = join(dir, "policies");
    mkdirSync(policies);
    // Hours of Wasm allocating nothing; tens of millions of values (far past 64 MiB); a trivial one.
    writeFileSync(join(policies, "runaway.rego"), `package credgov.limits.runaway

s := {x | some x in numbers.range(1, 10000)}
spin := count([1 | s[a]; s[b]; s[c]; a == b; b == c; a != c])
results contains {"control": "CG-LIM-001", "status": "pass", "subject": {"id": "s"}, "evidence": {}, "message": "m"} if spin == 0
`);
    writeFileSync(join(policies, "hog.rego"), `package credgov.limits.hog

r := numbers.range(1, 6000)
big := [x | some a in r; some b in r; x := a * b]
results contains {"control": "CG-LIM-002", "status": "pass", "subject": {"id": "s"}, "evidence": {}, "message": "m"} if count(big) > 0
`);
    writeFileSync(join(policies, "healthy.rego"), `package credgov.limits.healthy

results contains {"control": "CG-LIM-003", "status": "fail", "subject": {"id": "s"}, "evidence": {}, "message": "m"} if true
`);
    writeFileSync(join(policies, "catalog.yaml"), `version: 1\ncontrols:\n${[control("CG-LIM-001", "runaway"), control("CG-LIM-002", "hog"), control("CG-LIM-003", "healthy")].join("\n")}\n`);
    const r = spawnSync(process.execPath, [bin, "evaluate", "--snapshot", snapshot, "--no-builtin-policies", "--policies", policies, "--eval-timeout", "6s", "--eval-memory", "64", "--out", join(dir, "out"), "--format", "json"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1" },
    });
    expect(r.stderr).toContain("credgov.limits.runaway: evaluation of credgov/limits/runaway/results was stopped after 6 s (the per-package evaluation deadline; raise it with --eval-timeout or policies.evalTimeout in credgov.yaml)");
    expect(r.stderr).toMatch(/credgov\.limits\.hog: evaluation of credgov\/limits\/hog\/results failed: .*the evaluation memory ceiling is 64 MiB; raise it with --eval-memory/);
    expect(r.stdout).toMatch(/CG-LIM-001 +high +0 +0 +0 +1 /);
    expect(r.stdout).toMatch(/CG-LIM-002 +high +0 +0 +0 +1 /);
    expect(r.stdout).toMatch(/CG-LIM-003 +high +1 +0 +0 +0 /); // the healthy package still judged its subject
    expect(r.status).toBe(3);
  }, 240_000);

  it("refuse values outside their range with exit 2 naming the flag", () => {
    const refused = (options: Parameters<typeof evaluationLimits>[0]) => {
      try {
        evaluationLimits(options);
      } catch (error) {
        return error instanceof UserInputError ? error.format() : String(error);
      }
      return "accepted";
    };
    expect(refused({ evalMemory: "8" })).toBe('--eval-memory: must be a whole number of MiB from 16 to 4096, got "8"');
    expect(refused({ evalMemory: "5000" })).toMatch(/^--eval-memory: /);
    expect(refused({ evalTimeout: "soon" })).toBe('--eval-timeout: must be a duration such as 90s or 10m (at most 24h), got "soon"');
    expect(evaluationLimits({ evalMemory: "512", evalTimeout: "90s" })).toEqual({ maxMemoryMiB: 512, packageDeadlineMs: 90_000 });
    expect(evaluationLimits({ evalTimeout: "1.5m" })).toEqual({ packageDeadlineMs: 90_000 });
    expect(evaluationLimits({})).toEqual({});
  });

  it("come from credgov.yaml (policies.evalTimeout, policies.evalMemory) when no flag is given; a flag wins", () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-eval-limits-config-"));
    const config = (policies: string) => {
      const file = join(dir, `credgov-${Math.random().toString(36).slice(2)}.yaml`);
      writeFileSync(file, `sources:\n  - id: corp-ad\n    kind: ad\n    file: corp.ldif\npolicies:\n${policies}`);
      return loadConfig(file);
    };
    const both = config("  evalTimeout: 90s\n  evalMemory: 512\n");
    expect(evaluationLimits({}, both)).toEqual({ maxMemoryMiB: 512, packageDeadlineMs: 90_000 });
    expect(evaluationLimits({ evalMemory: "64", evalTimeout: "5s" }, both)).toEqual({ maxMemoryMiB: 64, packageDeadlineMs: 5_000 });
    expect(evaluationLimits({}, config("  builtin: true\n"))).toEqual({});
    // Past 24 h: exit 2 at the setting's line.
    const long = config("  evalTimeout: 25h\n");
    let message = "";
    try {
      evaluationLimits({}, long);
    } catch (error) {
      message = (error as UserInputError).format();
    }
    expect(message).toBe(`${long.file}:6:3 policies.evalTimeout: must be a duration such as 90s or 10m (at most 24h), got "25h"`);
  });

  it("a memory ceiling from credgov.yaml stops a memory-hungry package (exit 3); a value out of range is exit 2 at its line", () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-eval-limits-yaml-"));
    const policies = join(dir, "policies");
    mkdirSync(policies);
    writeFileSync(join(policies, "hog.rego"), `package credgov.limits.hog

r := numbers.range(1, 6000)
big := [x | some a in r; some b in r; x := a * b]
results contains {"control": "CG-LIM-002", "status": "pass", "subject": {"id": "s"}, "evidence": {}, "message": "m"} if count(big) > 0
`);
    writeFileSync(join(policies, "catalog.yaml"), `version: 1\ncontrols:\n${control("CG-LIM-002", "hog")}\n`);
    const run = (yaml: string) => {
      const file = join(dir, "credgov.yaml");
      writeFileSync(file, `sources:\n  - id: corp-ad\n    kind: ad\n    file: corp.ldif\npolicies:\n  builtin: false\n  dirs: [policies]\n${yaml}`);
      return spawnSync(process.execPath, [bin, "evaluate", "--snapshot", snapshot, "--config", file], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    };
    const stopped = run("  evalMemory: 64\n");
    expect(stopped.stderr).toMatch(/credgov\.limits\.hog: evaluation of credgov\/limits\/hog\/results failed: .*the evaluation memory ceiling is 64 MiB; raise it with --eval-memory or policies\.evalMemory in credgov\.yaml/);
    expect(stopped.status).toBe(3);
    const refused = run("  evalMemory: 8\n");
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/credgov\.yaml:8:\d+ policies\.evalMemory: /);
  }, 240_000);
});
