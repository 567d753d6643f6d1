// The drift and history commands and scan's drift/history options, run as a user runs them.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DriftReport } from "../../src/drift/drift-report.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const demoConfig = new URL("../../examples/demo/credgov.yaml", import.meta.url).pathname;
const demoBaseline = new URL("../../examples/demo/baseline.yaml", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "credgov-drift-cli-"));
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
const snapshotFile = join(dir, "demo.json");

beforeAll(() => {
  const r = run("collect", "--quiet", "--config", demoConfig, "--out", snapshotFile);
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("credgov drift --baseline", () => {
  it("reports where the demo estate drifts from its baseline, and exits 1 with --fail-on-drift", () => {
    const out = join(dir, "drift-1");
    const r = run("drift", "--baseline", demoBaseline, "--snapshot", snapshotFile, "--config", demoConfig, "--out", out, "--fail-on-drift");
    expect(r.status, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/drift\s+corp-ad passwordPolicies\[0\]\.minLength: password policy corp\.example in corp-ad: minLength is 8, the baseline wants at least 14/);
    expect(r.stdout).toContain("github settings.twoFactorRequired");
    const report = JSON.parse(readFileSync(join(out, "drift.json"), "utf8")) as DriftReport;
    expect(report.summary).toMatchObject({ drift: true, baselineUnknown: 0, baselineWeakened: 0 });
    // Partly violated: some declared values hold (the Tier0 PSO, northwind's 2FA).
    const settings = new Set(report.baseline!.items.map((i) => `${i.source} ${i.setting}`));
    expect(settings.has("corp-ad passwordPolicies[1].minLength")).toBe(false);
    expect(settings.has("northwind-github settings.twoFactorRequired")).toBe(false);
    expect(existsSync(join(out, "drift.md")) && existsSync(join(out, "drift.sarif"))).toBe(true);
    expect(run("drift", "--baseline", demoBaseline, "--snapshot", snapshotFile, "--quiet").status).toBe(0);
  }, 120_000);

  it("fails a baseline weakened below the controls' thresholds, on the weakened line", () => {
    const weakened = join(dir, "weakened.yaml");
    writeFileSync(weakened, readFileSync(demoBaseline, "utf8").replace("twoFactorRequired: true\n      samlEnabled", "twoFactorRequired: false\n      samlEnabled"));
    const out = join(dir, "drift-weak");
    const r = run("drift", "--baseline", weakened, "--snapshot", snapshotFile, "--config", demoConfig, "--out", out, "--fail-on-drift");
    expect(r.status).toBe(1);
    const line = readFileSync(weakened, "utf8").split("\n").findIndex((l) => l.includes("twoFactorRequired: false")) + 1;
    expect(r.stdout).toMatch(new RegExp(`${weakened}:${line} settings\\.twoFactorRequired.*: weaker than CG-SAAS-001 allows`));
    const sarif = JSON.parse(readFileSync(join(out, "drift.sarif"), "utf8")) as { runs: { results: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }[] }[] };
    expect(sarif.runs[0].results.find((x) => x.ruleId === "CG-SAAS-001")?.locations[0].physicalLocation.region.startLine).toBe(line);
  }, 120_000);

  it("without --snapshot, collects from --config first", () => {
    const out = join(dir, "drift-collect");
    const r = run("drift", "--config", demoConfig, "--baseline", demoBaseline, "--out", out);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(out, "snapshot.json"))).toBe(true);
    const report = JSON.parse(readFileSync(join(out, "drift.json"), "utf8")) as DriftReport;
    expect(report.snapshot.file).toBe(join(out, "snapshot.json"));
    expect(report.summary.baselineDrift).toBeGreaterThan(0);
  }, 120_000);

  it("rejects a bad baseline with file, line and field (exit 2)", () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "version: 1\ndirectories:\n  corp-ad:\n    kind: ad\n    settings:\n      twoFactorRequierd: true\n");
    const r = run("drift", "--baseline", bad, "--snapshot", snapshotFile);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${bad}:6:7 directories.corp-ad.settings.twoFactorRequierd: is not a known key here`);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("needs something to compare with (exit 2)", () => {
    const r = run("drift", "--snapshot", snapshotFile);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("--baseline");
  });
});

describe("credgov drift --since", () => {
  it("compares with an earlier snapshot file: new and resolved findings, changed objects", () => {
    const later = JSON.parse(readFileSync(snapshotFile, "utf8")) as Snapshot;
    later.settings.github = { ...later.settings.github, twoFactorRequired: true };
    const svc = later.accounts.find((a) => a.name === "svc-backup")!;
    svc.enabled = false;
    const laterFile = join(dir, "later.json");
    writeFileSync(laterFile, JSON.stringify(later));
    const out = join(dir, "since-file");
    const r = run("drift", "--snapshot", laterFile, "--since", snapshotFile, "--out", out, "--fail-on-drift");
    expect(r.status, r.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(out, "drift.json"), "utf8")) as DriftReport;
    expect(report.since!.findings.resolved.map((f) => f.controlId)).toContain("CG-SAAS-001");
    const changes = report.since!.objects!.changes.map((c) => `${c.kind}:${c.name}:${(c.fields ?? []).map((f) => `${f.field}=${JSON.stringify(f.before)}->${JSON.stringify(f.after)}`).join(",")}`);
    expect(changes).toContain("settings:github:twoFactorRequired=false->true");
    expect(changes).toContain("accounts:svc-backup:enabled=true->false");
    expect(readFileSync(join(out, "drift.md"), "utf8")).toContain("changed **svc-backup**");
  }, 120_000);
});

describe("scan records history; drift and history read it", () => {
  const history = () => join(dir, "hist", "history.db");

  it("scan --since last compares with the previous recorded scan, then history lists, shows, trends and prunes", () => {
    const first = run("scan", "--quiet", "--config", demoConfig, "--out", join(dir, "scan-1"), "--history", history(), "--fail-on", "none");
    expect(first.status, first.stderr).toBe(0);
    const second = run("scan", "--config", demoConfig, "--out", join(dir, "scan-2"), "--history", history(), "--fail-on", "none", "--baseline", demoBaseline, "--since", "last", "--fail-on-drift");
    expect(second.status, second.stderr).toBe(1); // the baseline drifts; nothing changed since the last scan
    expect(second.stdout).toMatch(/since scan \d{8}T\d{6}Z-[0-9a-f]{6}: 0 new, 0 resolved, 476 persisting failing findings; accounts \+0 -0 ~0/);
    expect(second.stderr).toMatch(/recorded scan \d{8}T\d{6}Z-[0-9a-f]{6} in /);

    const list = run("history", "list", "--history", history(), "--json");
    const scans = JSON.parse(list.stdout) as { id: string; counts: { accounts: number; failed: number }; hasSnapshot: boolean; exitCode: number }[];
    expect(scans.length).toBe(2);
    expect(scans[0]).toMatchObject({ counts: { accounts: 750, failed: 476 }, hasSnapshot: true, exitCode: 1 });
    expect(scans[1].exitCode).toBe(0);

    const show = run("history", "show", "last", "--history", history());
    expect(show.stdout).toContain(`scan ${scans[0].id}`);
    expect(show.stdout).toMatch(/CG-SAAS-001\s+critical\s+1/);

    const trend = JSON.parse(run("history", "trend", "CG-RESET-003", "--history", history(), "--json").stdout) as { failed: number }[];
    expect(trend.map((p) => p.failed)).toEqual([19, 19]);

    const prune = run("history", "prune", "--keep", "1", "--history", history());
    expect(prune.stdout).toMatch(/deleted 1 scan\(s\); 1 kept/);
    const byId = run("drift", "--snapshot", snapshotFile, "--since", scans[0].id.slice(0, 20), "--history", history());
    expect(byId.status, byId.stderr).toBe(0);
    const gone = run("drift", "--snapshot", snapshotFile, "--since", scans[1].id, "--history", history());
    expect(gone.status).toBe(2);
    expect(gone.stderr).toContain(`no scan ${scans[1].id}`);
  }, 240_000);

  it("scan --baseline locates the SARIF results of what the baseline declares on its lines (without it, on credgov.yaml)", () => {
    const lines = readFileSync(demoBaseline, "utf8").split("\n");
    /** 1-based line of the first `key:` after the line that names `after`. */
    const lineOf = (after: string, key: string) => {
      const start = lines.findIndex((l) => l.includes(after));
      return start + 1 + lines.slice(start).findIndex((l) => l.trimStart().startsWith(`${key}:`));
    };
    type Sarif = { runs: [{ originalUriBaseIds: { "%SRCROOT%": { uri: string } }; results: Array<{ ruleId: string; locations: Array<{ physicalLocation?: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } }; logicalLocations: [{ name: string }] }> }> }] };
    const located = (folder: string) => {
      const run = (JSON.parse(readFileSync(join(dir, folder, "results.sarif"), "utf8")) as Sarif).runs[0];
      return run.results.map((r) => {
        const at = r.locations[0].physicalLocation;
        const uri = at?.artifactLocation.uri ?? "";
        const file = at?.artifactLocation.uriBaseId ? fileURLToPath(new URL(uri, run.originalUriBaseIds["%SRCROOT%"].uri)) : uri.startsWith("file:") ? fileURLToPath(uri) : uri;
        return { rule: r.ruleId, subject: r.locations[0].logicalLocations[0].name, file, line: at?.region.startLine };
      });
    };
    const withBaseline = located("scan-2");
    const at = (rule: string, subject: string) => withBaseline.find((r) => r.rule === rule && r.subject === subject);
    // The domain policy allows 8 characters: the declared minLength of corp-ad's domain policy.
    expect(at("CG-HYG-004", "corp.example")).toMatchObject({ file: demoBaseline, line: lineOf("select: { scope: domain }", "minLength") });
    // 2FA not enforced: twoFactorRequired, not samlEnabled (enabled as declared) beside it.
    expect(at("CG-SAAS-001", "corp-example")).toMatchObject({ file: demoBaseline, line: lineOf("github:", "twoFactorRequired") });
    // Writeback off: passwordWritebackEnabled, not onPremisesSyncEnabled (on as declared).
    const entra = withBaseline.filter((r) => r.rule === "CG-RESET-004");
    expect(entra.map((r) => r.line)).toContain(lineOf("kind: entra", "passwordWritebackEnabled"));
    // Accounts without an owner: the owners rule of their kind.
    expect(at("CG-NHI-004", "svc-orphan")).toMatchObject({ file: demoBaseline, line: lineOf("owners:", "- accountKind") });
    // What the baseline does not declare stays on the source's entry in credgov.yaml.
    const undeclared = withBaseline.filter((r) => r.rule === "CG-HYG-001");
    expect(undeclared.length).toBeGreaterThan(0);
    expect(undeclared.every((r) => r.file === demoConfig)).toBe(true);
    // A secret past its lifetime: credentials.maxLifetimeDays of its directory.
    expect(withBaseline.filter((r) => r.rule === "CG-NHI-001" && r.file === demoBaseline).map((r) => r.line)).toContain(lineOf("credentials:", "maxLifetimeDays"));
    for (const r of withBaseline) expect(existsSync(r.file), `${r.rule} ${r.file}`).toBe(true);
    expect(located("scan-1").some((r) => r.file === demoBaseline)).toBe(false);
  });

  it("scan --no-history records nothing", () => {
    const where = join(dir, "none", "history.db");
    const r = run("scan", "--quiet", "--config", demoConfig, "--out", join(dir, "scan-3"), "--history", where, "--no-history", "--fail-on", "none");
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(where)).toBe(false);
  }, 120_000);
});
