// A path that names nothing usable is the user's to fix: exit 2 and a message naming the path
// (and, in credgov.yaml, the setting's line), never a stack trace, an internal error, a silently
// ignored flag, or a new empty file where one was to be read. Each case is a real process.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const demo = new URL("../../examples/demo/", import.meta.url).pathname;
let work: string;

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: work, encoding: "utf8", timeout: 120_000, env: { ...process.env, NO_COLOR: "1", CREDGOV_CONFIG: undefined } });
  return { status: r.status, stderr: r.stderr };
}

/** Exit 2, one clean line naming `path` (and whatever else the case expects). */
function expectPathError(r: { status: number | null; stderr: string }, path: string, ...more: (string | RegExp)[]) {
  expect(r.stderr).not.toMatch(/internal error|\n\s+at |ERR_/);
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr).toContain(path);
  for (const m of more) expect(r.stderr).toMatch(m);
}

function config(name: string, sources: string): string {
  writeFileSync(join(work, name), `version: 1\nsources:\n${sources}`);
  return name;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "credgov-paths-"));
  writeFileSync(join(work, "a-file"), "x");
  mkdirSync(join(work, "a-folder"));
  cpSync(join(demo, "ad.ldif"), join(work, "ad.ldif"));
  // A findings.json and snapshot.json to point the other flags at (a tiny estate: one source).
  config("ad.yaml", "  - { id: corp-ad, kind: ad, file: ad.ldif }\n");
  const r = spawnSync(process.execPath, [bin, "scan", "--config", "ad.yaml", "--out", "out", "--fail-on", "none", "--no-history", "--quiet"], { cwd: work, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
}, 180_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("a source's export path", () => {
  it("missing: exit 2 at the file: line, not a failed source (exit 3)", () => {
    const r = run("collect", "--config", config("c1.yaml", "  - id: legacy\n    kind: ldap\n    file: exports/legacy.ldif\n"), "--out", "s.json");
    expectPathError(r, "exports/legacy.ldif", /c1\.yaml:5:5 sources\[0\]\.file: export file exports\/legacy\.ldif not found/);
    expect(existsSync(join(work, "s.json"))).toBe(false);
  });

  it("a folder where a file is expected, a file where a folder is expected", () => {
    expectPathError(run("collect", "--config", config("c2.yaml", "  - { id: a, kind: ad, file: a-folder }\n"), "--out", "s.json"), "a-folder", /sources\[0\]\.file: .* is a folder, not a regular file/);
    expectPathError(run("collect", "--config", config("c3.yaml", "  - { id: e, kind: entra, dir: a-file }\n"), "--out", "s.json"), "a-file", /sources\[0\]\.dir: export folder a-file is a file/);
    expectPathError(run("scan", "--config", config("c4.yaml", "  - { id: g, kind: github, dir: nowhere }\n"), "--out", "o4", "--no-history"), "nowhere", /sources\[0\]\.dir: export folder nowhere not found/);
  });

  it("through a file (a-file/x.ldif) and a missing CA or certificate file", () => {
    expectPathError(run("collect", "--config", config("c5.yaml", "  - { id: a, kind: ad, file: a-file/x.ldif }\n"), "--out", "s.json"), "a-file/x.ldif", /cannot be read: a folder on the way is a file/);
    const tls = config("c6.yaml", "  - { id: a, kind: ldap, url: 'ldaps://127.0.0.1:1', baseDN: 'dc=x', tls: { caFile: certs/ca.pem } }\n");
    expectPathError(run("collect", "--config", tls, "--out", "s.json"), "certs/ca.pem", /sources\[0\]\.tls\.caFile: CA file certs\/ca\.pem not found/);
    const cert = config("c7.yaml", "  - { id: e, kind: entra, tenantId: t, clientId: c, certificate: { file: app.pem } }\n");
    expectPathError(run("export", "entra", "--config", cert, "--out", "exports"), "app.pem", /sources\[0\]\.certificate\.file: certificate file app\.pem not found/);
  });

  it("a file missing inside an export folder is still an incomplete export (exit 3), not a config error", () => {
    cpSync(join(demo, "github"), join(work, "gh"), { recursive: true });
    rmSync(join(work, "gh", "org.json"));
    const r = run("collect", "--config", config("c8.yaml", "  - { id: g, kind: github, dir: gh }\n"), "--out", "s8.json");
    expect(r.status, r.stderr).toBe(3);
    expect(r.stderr).toContain("org.json not found");
  });
});

describe("file arguments", () => {
  it("through a file, or a folder where a JSON file is expected", () => {
    expectPathError(run("evaluate", "--snapshot", "a-file/s.json", "--out", "e1"), "a-file/s.json", /a folder on the way is a file/);
    expectPathError(run("snapshot", "validate", "a-file/s.json"), "a-file/s.json");
    expectPathError(run("drift", "--snapshot", "a-file/s.json", "--baseline", join(demo, "baseline.yaml")), "a-file/s.json");
    expectPathError(run("report", "--findings", "a-folder", "--format", "md", "--out", "r1"), "a-folder", /is a folder, not a regular file/);
    expectPathError(run("report", "--findings", "a-file/f.json", "--format", "md", "--out", "r1"), "a-file/f.json");
    expectPathError(run("rotate", "plan", "--config", "ad.yaml", "--snapshot", "a-file/s.json", "--accounts", "kind=service", "--out", "p.json"), "a-file/s.json");
  });

  it("report --snapshot given but missing is an error, not a pack without sources", () => {
    expectPathError(run("report", "--findings", "out/findings.json", "--snapshot", "nope.json", "--format", "md", "--out", "r2"), "nope.json", /--snapshot/);
  });

  it("rotate plan --findings missing names the findings file, not the snapshot beside it", () => {
    expectPathError(run("rotate", "plan", "--config", "ad.yaml", "--findings", "gone/findings.json", "--out", "p.json"), "gone/findings.json", /no such findings file/);
  });

  it("a history to read that does not exist is exit 2 and is not created", () => {
    expectPathError(run("history", "list", "--history", "missing.db"), "missing.db", /--history: no scan history here/);
    expectPathError(run("report", "--findings", "out/findings.json", "--history", "missing.db", "--format", "html", "--out", "r3"), "missing.db", /no scan history here/);
    expect(existsSync(join(work, "missing.db"))).toBe(false);
    expectPathError(run("history", "list", "--history", "a-folder"), "a-folder", /not a history database file/);
  });

  it("history commands on a history.path that names nothing (a typo, or no scan yet) are exit 2, and create nothing", () => {
    config("typo-history.yaml", "  - { id: corp-ad, kind: ad, file: ad.ldif }\nhistory:\n  path: histroy/scans.db\n");
    for (const command of ["list", "show last", "trend CG-RESET-003", "prune --keep 30"]) {
      expectPathError(run("history", ...command.split(" "), "--config", "typo-history.yaml"), join("histroy", "scans.db"), /history\.path: no scan history here/);
    }
    expect(existsSync(join(work, "histroy"))).toBe(false);
    // No config, no flag: the default .credgov/history.db beside the working directory.
    expectPathError(run("history", "list"), join(".credgov", "history.db"), /history\.path: no scan history here/);
    expect(existsSync(join(work, ".credgov"))).toBe(false);
  });

  it("an existing history with no scan in it says so, exit 0", () => {
    const r = spawnSync(process.execPath, [bin, "scan", "--config", "ad.yaml", "--out", "out-empty", "--fail-on", "none", "--history", "kept.db", "--quiet"], { cwd: work, encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const pruned = spawnSync(process.execPath, [bin, "history", "prune", "--keep", "0", "--history", "kept.db"], { cwd: work, encoding: "utf8" });
    expect(pruned.status, pruned.stderr).toBe(0);
    const listed = spawnSync(process.execPath, [bin, "history", "list", "--history", "kept.db"], { cwd: work, encoding: "utf8" });
    expect(listed.status, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^the history .*kept\.db exists but holds no scan yet/);
  });

  it("controls --policies that names nothing says so", () => {
    expectPathError(run("controls", "--policies", "no-such-policies"), "no-such-policies", /--policies: .*not found/);
  });
});
