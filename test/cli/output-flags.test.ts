// The conftest/Prowler conventions as a user meets them, each a real `node bin/credgov.js`
// process: --format, --out -, --controls/--skip-controls, --severity/--status, --sarif-category,
// config discovery, controls, init, colour switches, "did you mean".
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/policy/engine/finding.ts";
import { sarifValidator } from "../report/sarif-validators.ts";

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const demo = new URL("../../examples/demo/", import.meta.url).pathname;
let work: string;
let snapshot: string;

function run(args: string[], opts: { cwd?: string; env?: Record<string, string | undefined> } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], {
    cwd: opts.cwd ?? work,
    encoding: "utf8",
    timeout: 150_000,
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, CREDGOV_CONFIG: undefined, ...opts.env },
  });
}

function folder(name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "credgov-flags-"));
  const r = run(["scan", "--demo", "--out", "base", "--fail-on", "none"]);
  expect(r.status, r.stderr).toBe(0);
  snapshot = join(work, "base", "snapshot.json");
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

const findingsOf = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Finding[];

describe("--format and --out -", () => {
  it("scan --demo --format sarif --out - prints valid SARIF alone on stdout, the table on stderr, and leaves no folder named -", () => {
    const cwd = folder("stdout-scan");
    const r = run(["scan", "--demo", "--format", "sarif", "--out", "-"], { cwd });
    expect(r.status).toBe(1);
    const sarif = JSON.parse(r.stdout) as unknown;
    expect(sarifValidator()(sarif)).toBe(true);
    expect(r.stderr).toContain("CONTROL");
    expect(readdirSync(cwd).filter((e) => e !== ".credgov")).toEqual([]); // .credgov: the demo's scan history
  }, 120_000);

  it("--format junit md --out DIR writes findings.json and just those", () => {
    const r = run(["evaluate", "--snapshot", snapshot, "--format", "junit", "md", "--out", "fmt"]);
    expect(r.status).toBe(1);
    expect(readdirSync(join(work, "fmt")).sort()).toEqual(["findings.json", "junit.xml", "run.json", "summary.md"]);
  }, 60_000);

  it("--format github --out - prints workflow commands", () => {
    const r = run(["evaluate", "--snapshot", snapshot, "--format", "github", "--out", "-"]);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^::(error|warning|notice) .*title=CG-/);
  }, 60_000);

  it("rejects an unknown format with a suggestion, a pack format on stdout, and --out - with two formats (exit 2, before any work)", () => {
    const typo = run(["evaluate", "--snapshot", snapshot, "--format", "sarf", "--out", "x"]);
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('--format: unknown format "sarf"; did you mean sarif?');
    const pdf = run(["evaluate", "--snapshot", snapshot, "--format", "pdf", "--out", "-"]);
    expect(pdf.status).toBe(2);
    expect(pdf.stderr).toContain("--out: --format pdf writes a folder; give --out DIR");
    const two = run(["scan", "--demo", "--format", "sarif", "junit", "--out", "-"]);
    expect(two.status).toBe(2);
    expect(two.stderr).toContain("--out - writes one format to stdout");
    for (const r of [typo, pdf, two]) expect(r.stderr).not.toContain("evaluating");
  }, 60_000);

  it("--sarif-category sets automationDetails.id", () => {
    const r = run(["report", "--findings", join(work, "base", "findings.json"), "--format", "sarif", "--sarif-category", "pr/corp", "--out", "-"]);
    expect(r.status).toBe(0);
    expect((JSON.parse(r.stdout) as { runs: Array<{ automationDetails: { id: string } }> }).runs[0].automationDetails.id).toBe("pr/corp/");
  }, 60_000);
});

describe("--controls, --skip-controls, --severity, --status", () => {
  it("--controls takes globs and ids, --skip-controls removes from them", () => {
    const r = run(["evaluate", "--snapshot", snapshot, "--controls", "CG-RESET-*,CG-HYG-003", "--skip-controls", "CG-RESET-004", "--out", "sel", "--fail-on", "none"]);
    expect(r.status).toBe(0);
    const ids = new Set(findingsOf(join(work, "sel", "findings.json")).map((f) => f.controlId));
    expect([...ids].sort()).toEqual(["CG-HYG-003", "CG-RESET-001", "CG-RESET-002", "CG-RESET-003", "CG-RESET-005"]);
  }, 60_000);

  it("a control id that names nothing is exit 2 with the closest id", () => {
    const r = run(["scan", "--demo", "--skip-controls", "CG-RSET-001", "--out", "x"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--skip-controls: "CG-RSET-001" matches no control; did you mean CG-RESET-001?');
  }, 60_000);

  it("--severity and --status filter what outputs show, not the exit code", () => {
    const r = run(["evaluate", "--snapshot", snapshot, "--severity", "critical", "--status", "fail", "--format", "json", "--out", "-"]);
    expect(r.status).toBe(1); // high findings still gate under --fail-on high
    const findings = JSON.parse(r.stdout) as Finding[];
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect([f.severity, f.status]).toEqual(["critical", "fail"]);
    const bad = run(["report", "--findings", join(work, "base", "findings.json"), "--status", "failed", "--out", "-", "--format", "md"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--status: "failed" is not one of fail, pass, error, not_evaluated, not_applicable; did you mean fail?');
  }, 60_000);
});

describe("config discovery", () => {
  let estate: string;
  beforeAll(() => {
    estate = join(work, "estate");
    cpSync(demo, estate, { recursive: true });
  });

  it("reads ./credgov.yaml when no --config is given", () => {
    const r = run(["scan", "--out", "found", "--fail-on", "none", "--controls", "CG-SAAS-001", "-v"], { cwd: estate });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain("using credgov.yaml (from ./credgov.yaml)");
    expect(existsSync(join(estate, "found", "findings.json"))).toBe(true);
  }, 120_000);

  it("prefers CREDGOV_CONFIG to ./credgov.yaml, and --config to both", () => {
    const empty = folder("no-config");
    const viaEnv = run(["scan", "--out", "env-out", "--fail-on", "none", "--controls", "CG-SAAS-001"], { cwd: empty, env: { CREDGOV_CONFIG: join(estate, "credgov.yaml") } });
    expect(viaEnv.status).toBe(0);
    expect(existsSync(join(empty, "env-out", "findings.json"))).toBe(true);
    const flagWins = run(["scan", "--config", "missing.yaml", "--out", "x"], { cwd: estate, env: { CREDGOV_CONFIG: join(estate, "credgov.yaml") } });
    expect(flagWins.status).toBe(2);
    expect(flagWins.stderr).toContain("missing.yaml cannot read config file: no such file");
  }, 120_000);

  it("report takes the config's exceptions.file, resolved from the config's folder, for the pack", () => {
    writeFileSync(join(estate, "with-exceptions.yaml"), `${readFileSync(join(estate, "credgov.yaml"), "utf8")}\nexceptions: { file: exceptions.yaml }\n`);
    const elsewhere = folder("report-elsewhere");
    const findings = join(work, "base", "findings.json");
    const r = run(["report", "--findings", findings, "--config", join("..", "estate", "with-exceptions.yaml"), "--format", "html", "--out", "pack"], { cwd: elsewhere });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(join(elsewhere, "pack", "evidence.html"), "utf8")).toContain("SEC-1042");
    // Without the config (and without --exceptions) the pack lists none.
    const none = run(["report", "--findings", findings, "--format", "html", "--out", "pack-none"], { cwd: elsewhere });
    expect(none.status, none.stderr).toBe(0);
    expect(readFileSync(join(elsewhere, "pack-none", "evidence.html"), "utf8")).not.toContain("SEC-1042");
  }, 120_000);

  it("without any config, scan says the three ways to give one (exit 2)", () => {
    const r = run(["scan"], { cwd: folder("nothing") });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("no config: give --config <file>, set CREDGOV_CONFIG, or create ./credgov.yaml");
  });
});

describe("scan --demo without --out", () => {
  it("writes under the working folder (reports/demo), never inside the package", () => {
    const cwd = folder("demo-default");
    const r = run(["scan", "--demo", "--controls", "CG-SAAS-001"], { cwd });
    expect(r.status).toBe(1);
    expect(readdirSync(join(cwd, "reports", "demo")).sort()).toEqual(["findings.json", "junit.xml", "results.sarif", "run.json", "snapshot.json", "summary.md"]);
    expect(existsSync(join(demo, "reports"))).toBe(false);
  }, 120_000);
});

describe("controls", () => {
  it("lists every control with severity, title and framework ids; --format json for tools", () => {
    const table = run(["controls"]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/^CG-RESET-003 +critical +Non-admin principal can reset .* NIST CSF 2\.0: /m);
    expect(table.stdout).toContain("21 controls");
    const json = run(["controls", "--format", "json", "--controls", "CG-NHI-*"]);
    const list = JSON.parse(json.stdout) as Array<{ id: string; severity: string; mappings: { owasp_nhi_2025: string[] } }>;
    expect(list.map((c) => c.id)).toEqual(["CG-NHI-001", "CG-NHI-002", "CG-NHI-003", "CG-NHI-004"]);
    expect(list[0].mappings.owasp_nhi_2025.length).toBeGreaterThan(0);
    expect(run(["controls", "--format", "yaml"]).status).toBe(2);
  });
});

describe("init", () => {
  it("writes a commented starter config for the kinds asked for, refuses to overwrite, suggests a kind", () => {
    const cwd = folder("init");
    const r = run(["init", "ldap", "github"], { cwd });
    expect(r.status).toBe(0);
    const text = readFileSync(join(cwd, "credgov.yaml"), "utf8");
    expect(text).toContain("kind: ldap");
    expect(text).toContain("kind: github");
    expect(text).not.toContain("kind: ad");
    expect(text).toMatch(/^# /m);
    // It parses and validates: what stops the scan is the unset secret variable it names.
    const scan = run(["scan"], { cwd });
    expect(scan.status).toBe(2);
    expect(scan.stderr).toContain("CREDGOV_LDAP_PASSWORD is not set");
    expect(run(["init"], { cwd }).stderr).toContain("credgov.yaml already exists; use --force to overwrite it");
    expect(run(["init", "entra", "--force"], { cwd }).status).toBe(0);
    expect(readFileSync(join(cwd, "credgov.yaml"), "utf8")).toContain("kind: entra");
    const typo = run(["init", "gihtub"], { cwd });
    expect(typo.status).toBe(2);
    expect(typo.stderr).toContain('unknown source kind "gihtub"; did you mean github?');
  }, 60_000);
});

describe("colour", () => {
  it("FORCE_COLOR colours a non-TTY stderr, --no-color wins over it, NO_COLOR alone turns it off", () => {
    const args = ["evaluate", "--snapshot", "missing.json"];
    expect(run(args, { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } }).stderr).toContain("\u001b[31merror:");
    expect(run(["--no-color", ...args], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } }).stderr).not.toContain("\u001b[");
    expect(run(args, { env: { NO_COLOR: "1" } }).stderr).not.toContain("\u001b[");
  });
});

describe("did you mean, in credgov.yaml", () => {
  it("suggests the known key closest to an unknown one", () => {
    const file = join(folder("typo"), "credgov.yaml");
    writeFileSync(file, "version: 1\nsources:\n  - id: a\n    kind: ad\n    file: a.ldif\n    pageSise: 10\n");
    const r = run(["scan", "--config", file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/credgov\.yaml:6:5 sources\[0\]\.pageSise: is not a known key here; did you mean pageSize\?/);
  });
});
