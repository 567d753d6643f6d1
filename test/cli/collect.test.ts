import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { validateSnapshot } from "../../src/snapshot/validate.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const fixtures = new URL("../fixtures/", import.meta.url).pathname;

function run(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
}

/** A workspace holding copies of the Entra and GitHub fixture exports and a credgov.yaml reading them. */
function workspace(config?: string): string {
  const dir = mkdtempSync(join(tmpdir(), "credgov-collect-"));
  cpSync(join(fixtures, "entra"), join(dir, "exports", "entra"), { recursive: true });
  cpSync(join(fixtures, "github"), join(dir, "exports", "github"), { recursive: true });
  writeFileSync(
    join(dir, "credgov.yaml"),
    config ??
      [
        "# yaml-language-server: $schema=../schemas/credgov.config.schema.json",
        "sources:",
        "  - id: cloud",
        "    kind: entra",
        "    dir: exports/entra",
        "  - id: gh",
        "    kind: github",
        "    dir: exports/github",
        "",
      ].join("\n"),
  );
  return dir;
}

const readSnapshotFile = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Snapshot;

describe("credgov collect", () => {
  it("collects Entra and GitHub exports into a valid, correlated snapshot", () => {
    const dir = workspace();
    const r = run(dir, "collect", "--config", "credgov.yaml", "--out", "out/snapshot.json");
    expect(r.stderr).toContain("cloud (entra, file) ok: accounts=10 credentials=10");
    // 2 credential authorizations, 2 deploy keys, Actions secrets of the org, a repository and an
    // environment, a Dependabot and a Codespaces secret.
    expect(r.stderr).toContain("gh (github, file) ok: accounts=4 credentials=9 resetPaths=2 passwordPolicies=0");
    expect(r.stderr).toContain("wrote out/snapshot.json");
    expect(r.status).toBe(0);
    const snapshot = readSnapshotFile(join(dir, "out", "snapshot.json"));
    expect(validateSnapshot(snapshot)).toEqual([]);
    expect(snapshot.sources.map((s) => [s.id, s.status])).toEqual([
      ["cloud", "ok"],
      ["gh", "ok"],
    ]);
    expect(Object.keys(snapshot.settings)).toEqual(["cloud", "gh"]);
    expect(snapshot.generator).toMatchObject({ name: "credgov", config: "credgov.yaml" });
    expect(snapshot.generator.configSha256).toMatch(/^[0-9a-f]{64}$/);
    // alice in Entra and octo-alice on GitHub are one person, joined by the SAML nameId.
    const alice = snapshot.identities.find((i) => i.accounts.includes("gh:octo-alice"))!;
    expect(alice).toMatchObject({ kind: "person", name: "Alice Archer", accounts: ["cloud:11111111-0000-4000-8000-000000000001", "gh:octo-alice"] });
    expect(alice.links).toEqual([{ from: "gh:octo-alice", to: "cloud:11111111-0000-4000-8000-000000000001", method: "saml-nameId", value: "alice@fixture.example" }]);
    expect(snapshot.identities.find((i) => i.accounts.includes("gh:release-bot"))?.kind).toBe("workload");
    expect(snapshot.correlation?.ambiguous).toEqual([]);
  });

  it("collects only the sources named with --source and rejects unknown ids", () => {
    const dir = workspace();
    const r = run(dir, "collect", "--config", "credgov.yaml", "--out", "s.json", "--source", "gh");
    expect(r.status).toBe(0);
    expect(readSnapshotFile(join(dir, "s.json")).sources.map((s) => s.id)).toEqual(["gh"]);
    const bad = run(dir, "collect", "--config", "credgov.yaml", "--out", "s.json", "--source", "nope");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("--source: unknown source id nope (the config defines cloud, gh)");
  });

  it("writes the snapshot but exits 3 when an export file is missing", () => {
    const dir = workspace();
    rmSync(join(dir, "exports", "entra", "authorizationPolicy.json"));
    const r = run(dir, "collect", "--config", "credgov.yaml", "--out", "s.json");
    expect(r.status).toBe(3);
    expect(r.stderr).toContain("cloud (entra, file) partial");
    expect(r.stderr).toContain("authorizationPolicy: export file authorizationPolicy.json not found");
    const snapshot = readSnapshotFile(join(dir, "s.json"));
    expect(snapshot.settings.cloud.ssprForAdmins).toBeNull();
    expect(snapshot.sources[0].errors[0].call).toBe("GET /v1.0/policies/authorizationPolicy");
  });

  it("exits 2 with file:line:col for a malformed Graph export and writes nothing", () => {
    const dir = workspace();
    writeFileSync(join(dir, "exports", "entra", "roleAssignments.json"), '{\n  "value": [\n    {"id": "ra1", "principalId": }\n  ]\n}\n');
    const r = run(dir, "collect", "--config", "credgov.yaml", "--out", "s.json");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error: exports/entra/roleAssignments.json:3:34 malformed JSON: expected a JSON value");
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(dir, "s.json"))).toBe(false);
  });

  it("exits 2 naming file, line, column and field for a bad config", () => {
    const dir = workspace(["sources:", "  - id: cloud", "    kind: entra", "    dir: exports/entra", "  - id: gh", "    kind: gitlab", "    dir: exports/github", ""].join("\n"));
    const r = run(dir, "collect", "--config", "credgov.yaml", "--out", "s.json");
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe("error: credgov.yaml:6:5 sources[1].kind: must be one of ad, ldap, entra, github");
  });

  it("reports a live source it cannot reach as an error source, not a crash", () => {
    // Nothing listens on port 2: every call fails without a response (after octokit's retries).
    const dir = workspace(["sources:", "  - id: gh", "    kind: github", "    org: fixture-org", "    tokenEnv: CREDGOV_TEST_GH_TOKEN", "    baseUrl: https://127.0.0.1:2/api/v3", ""].join("\n"));
    const r = spawnSync(process.execPath, [bin, "collect", "--config", "credgov.yaml", "--out", "s.json"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", CREDGOV_TEST_GH_TOKEN: "ghp_unreachable" },
    });
    expect(r.status).toBe(3);
    const snapshot = readSnapshotFile(join(dir, "s.json"));
    expect(snapshot.sources[0]).toMatchObject({ id: "gh", status: "error", transport: "live" });
    expect(snapshot.sources[0].errors[0].message).toMatch(/failed: no response: connect ECONNREFUSED/);
    expect(validateSnapshot(snapshot)).toEqual([]);
  }, 120_000);

  it("checks --out before collecting: below a file, a folder, or under /proc is exit 2 'cannot write'", () => {
    const dir = workspace();
    writeFileSync(join(dir, "a-file"), "");
    const cases: [string, string][] = [
      [join("a-file", "s.json"), "error: cannot write a-file/s.json: a-file is a file, not a folder"],
      ["exports", "error: cannot write exports: it is a folder; give a file name"],
      ["/proc/credgov-x/s.json", "error: cannot write /proc/credgov-x/s.json: the location does not exist and cannot be created"],
    ];
    for (const [out, expected] of cases) {
      const r = run(dir, "collect", "--config", "credgov.yaml", "--out", out);
      expect(r.status).toBe(2);
      // The whole of stderr is the one error: nothing was collected before the check.
      expect(r.stderr.trim().replace(`${dir}/`, "")).toBe(expected);
    }
  });

  it("an unset passwordEnv of a live AD/LDAP source is a config error naming the field (exit 2)", () => {
    const live = (kind: string) =>
      ["sources:", "  - id: corp", `    kind: ${kind}`, "    url: ldap://127.0.0.1:1", "    baseDN: DC=corp,DC=example", "    bindDN: CN=svc,DC=corp,DC=example", "    passwordEnv: CREDGOV_TEST_UNSET_PW", ""].join("\n");
    for (const kind of ["ad", "ldap"]) {
      const dir = workspace(live(kind));
      const r = spawnSync(process.execPath, [bin, "collect", "--config", "credgov.yaml", "--out", "s.json"], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", CREDGOV_TEST_UNSET_PW: undefined },
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toBe(
        "error: credgov.yaml:7:5 sources[0].passwordEnv: environment variable CREDGOV_TEST_UNSET_PW is not set (it must hold the bind password for CN=svc,DC=corp,DC=example)",
      );
      expect(existsSync(join(dir, "s.json"))).toBe(false);
    }
  });

  // Found by test/fuzz/cli-fuzz.ts: these used to name the setting but not the file or line
  // ("error: sources[cloud].auth: no credential configured ...").
  it("a live Entra or GitHub source without a usable credential is a config error at its line (exit 2)", () => {
    const cases: [string[], string][] = [
      [["  - id: cloud", "    kind: entra", "    tenantId: contoso.example"], "error: credgov.yaml:3:5 sources[0].auth: no credential configured"],
      [["  - id: gh", "    kind: github", "    org: corp", "    tokenEnv: CREDGOV_TEST_UNSET_TOKEN"], "error: credgov.yaml:6:5 sources[0].tokenEnv: environment variable CREDGOV_TEST_UNSET_TOKEN is not set"],
    ];
    for (const [source, expected] of cases) {
      const dir = workspace(["version: 1", "sources:", ...source, ""].join("\n"));
      const r = spawnSync(process.execPath, [bin, "collect", "--config", "credgov.yaml", "--out", "s.json"], {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", AZURE_CLIENT_SECRET: undefined, AZURE_CLIENT_CERTIFICATE_PATH: undefined, AZURE_FEDERATED_TOKEN_FILE: undefined, CREDGOV_TEST_UNSET_TOKEN: undefined },
      });
      expect(r.status).toBe(2);
      expect(r.stderr.trim()).toMatch(new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
      expect(existsSync(join(dir, "s.json"))).toBe(false);
    }
  });

  it("an unreachable live AD source does not speak of a missing export entry", () => {
    const dir = workspace(["sources:", "  - id: corp", "    kind: ad", "    url: ldap://127.0.0.1:1", "    baseDN: DC=corp,DC=example", ""].join("\n"));
    const r = run(dir, "collect", "--config", "credgov.yaml", "--out", "s.json");
    expect(r.status).toBe(3);
    const errors = readSnapshotFile(join(dir, "s.json")).sources[0].errors.map((e) => e.message);
    expect(errors.join("\n")).not.toContain("export");
    expect(errors).toContain("the domain head entry (objectClass=domainDNS) was not read from the directory: the domain password policy and functional level are unknown");
  });
});
