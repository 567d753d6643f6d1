// The CLI against the fixture servers, as a user runs it: the child process trusts the test CA
// through NODE_EXTRA_CA_CERTS, reads secrets from named environment variables, and either
// collects live or exports once and collects the files. Both must give the same snapshot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Snapshot } from "../../src/snapshot/types.ts";
import { entraExports } from "../../src/collectors/entra/export-files.ts";
import { GraphFixtureServer } from "../fixture-servers/graph-server.ts";
import { tenantFromExports } from "../fixture-servers/graph-export-data.ts";
import { GithubFixtureServer } from "../fixture-servers/github-server.ts";
import { orgFromExports } from "../fixture-servers/github-export-data.ts";
import { createTestPki, type TestPki } from "../fixture-servers/test-pki.ts";

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const fixtures = new URL("../fixtures/", import.meta.url).pathname;
const tenantId = "aaaaaaaa-0000-4000-8000-00000000000a";
const reader = { appId: "cccccccc-0000-4000-8000-00000000000c", secret: `s3cret-${randomUUID()}` };
const limited = { appId: "ffffffff-0000-4000-8000-00000000000f", secret: `limited-${randomUUID()}` };
const githubToken = `ghp_${randomUUID().replaceAll("-", "")}`;
const allRead = ["User.Read.All", "Domain.Read.All", "Policy.Read.All", "Policy.Read.AuthenticationMethod", "AuditLog.Read.All", "OnPremDirectorySynchronization.Read.All", "Application.Read.All", "RoleManagement.Read.Directory", "AdministrativeUnit.Read.All"];

let pki: TestPki;
let graph: GraphFixtureServer;
let github: GithubFixtureServer;
let work: string;

beforeAll(async () => {
  pki = createTestPki();
  graph = await new GraphFixtureServer({
    pki,
    tenantId,
    data: tenantFromExports(join(fixtures, "entra")),
    clients: [
      { appId: reader.appId, secrets: [{ keyId: randomUUID(), secretText: reader.secret }], permissions: allRead },
      { appId: limited.appId, secrets: [{ keyId: randomUUID(), secretText: limited.secret }], permissions: allRead.filter((p) => p !== "AuditLog.Read.All") },
    ],
    maxPageSize: 2,
  }).start();
  github = await new GithubFixtureServer({ pki, data: orgFromExports(join(fixtures, "github")), tokens: [githubToken] }).start();
  work = mkdtempSync(join(tmpdir(), "credgov-cloud-cli-"));
});
afterAll(async () => {
  await graph?.stop();
  await github?.stop();
});

function run(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: work,
      env: { ...process.env, NO_COLOR: "1", NODE_EXTRA_CA_CERTS: pki.caFile, READER_SECRET: reader.secret, LIMITED_SECRET: limited.secret, GH_TOKEN_TEST: githubToken },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function config(name: string, sources: string[]): string {
  writeFileSync(join(work, name), ["sources:", ...sources, ""].join("\n"));
  return name;
}

const liveEntra = (id = "cloud", app = reader.appId, secretEnv = "READER_SECRET") =>
  `  - { id: ${id}, kind: entra, tenantId: ${tenantId}, clientId: ${app}, clientSecretEnv: ${secretEnv}, authorityHost: "${graph.url}", graphBaseUrl: "${graph.url}" }`;
const liveGithub = () => `  - { id: gh, kind: github, org: fixture-org, tokenEnv: GH_TOKEN_TEST, baseUrl: "${github.baseUrl}" }`;

/**
 * A snapshot without what differs by design between runs and transports: a live read notes a
 * call it did not need (no SAML provider; a server without Codespaces), and `notedSteps` (the
 * steps of such notes) leaves out their page counts, since the file read in their place holds
 * the answer they stand for as one page.
 */
function comparable(file: string, notedSteps: ReadonlySet<string> = new Set()) {
  const snapshot = JSON.parse(readFileSync(join(work, file), "utf8")) as Snapshot;
  const { generatedAt: _at, generator: _generator, ...rest } = snapshot as Snapshot & { generatedAt?: string; generator?: unknown };
  return {
    ...rest,
    sources: snapshot.sources.map((s) => ({ ...s, transport: "", endpoint: "", collectedAt: "", queries: s.queries.map(({ durationMs: _d, call, pages, ...q }) => ({ ...q, call: call.replace(/ \((not called|answered 404): .*\)$/, ""), ...(notedSteps.has(q.step) ? {} : { pages }) })) })),
  };
}

describe("credgov export, then collect offline", () => {
  it("writes exactly the files the file transport reads, and both ways give the same snapshot", async () => {
    config("live.yaml", [liveEntra(), liveGithub()]);
    const exportedEntra = await run("export", "entra", "--config", "live.yaml", "--out", "exports/entra");
    // The ten calls' files and the members of the administrative unit a resetter is scoped to.
    expect(exportedEntra.stderr).toContain("wrote 11 export files to exports/entra");
    expect(exportedEntra.status).toBe(0);
    expect(readdirSync(join(work, "exports/entra")).sort()).toEqual([...Object.values(entraExports).map((f) => f.path), "administrativeUnitMembers"].sort());
    const exportedGithub = await run("export", "github", "--config", "live.yaml", "--out", "exports/github");
    expect(exportedGithub.status).toBe(0);
    expect(existsSync(join(work, "exports/github/repos/api/deploy-keys.json"))).toBe(true);
    expect(existsSync(join(work, "exports/github/repos.json"))).toBe(true);
    // Every secret store: the organization's and each repository's, each environment's by its encoded name.
    for (const file of ["dependabot-secrets.json", "codespaces-secrets.json", "repos/api/environments.json", "repos/api/environment-secrets/production.json", "repos/api/environment-secrets/review%2Feu%20west.json", "repos/docs/dependabot-secrets.json", "repos/docs/codespaces-secrets.json"]) {
      expect(existsSync(join(work, "exports/github", file)), file).toBe(true);
    }
    // GitHub's member and repository counts, which the file transport checks the lists against.
    expect(JSON.parse(readFileSync(join(work, "exports/github/members-count.json"), "utf8"))).toEqual({ data: { organization: { membersWithRole: { totalCount: 3 } } } });
    expect(JSON.parse(readFileSync(join(work, "exports/github/repos-count.json"), "utf8"))).toEqual({ data: { organization: { repositories: { totalCount: 2 } } } });

    config("offline.yaml", ["  - { id: cloud, kind: entra, dir: exports/entra }", "  - { id: gh, kind: github, dir: exports/github }"]);
    const live = await run("collect", "--config", "live.yaml", "--out", "live.json");
    const offline = await run("collect", "--config", "offline.yaml", "--out", "offline.json");
    expect(live.status).toBe(0);
    expect(offline.status).toBe(0);
    expect(comparable("live.json")).toEqual(comparable("offline.json"));
    for (const output of [exportedEntra, exportedGithub, live, offline]) {
      expect(output.stdout + output.stderr).not.toContain(reader.secret);
      expect(output.stdout + output.stderr).not.toContain(githubToken);
    }
    for (const file of ["live.json", "offline.json"]) expect(readFileSync(join(work, file), "utf8")).not.toContain(reader.secret);
  }, 240_000);

  it("GitHub Enterprise Server, which has no Codespaces: its 404 is read as no Codespaces secrets, live and exported alike, status ok", async () => {
    const enterprise = await new GithubFixtureServer({ pki, data: orgFromExports(join(fixtures, "github")), tokens: [githubToken], enterpriseVersion: "3.14.2" }).start();
    try {
      const ghes = `  - { id: gh, kind: github, org: fixture-org, tokenEnv: GH_TOKEN_TEST, baseUrl: "${enterprise.baseUrl}" }`;
      config("ghes.yaml", [ghes]);
      const exported = await run("export", "github", "--config", "ghes.yaml", "--out", "exports/ghes");
      expect(exported.status, exported.stderr).toBe(0);
      expect(JSON.parse(readFileSync(join(work, "exports/ghes/codespaces-secrets.json"), "utf8"))).toEqual([{ total_count: 0, secrets: [] }]);
      expect(JSON.parse(readFileSync(join(work, "exports/ghes/repos/api/codespaces-secrets.json"), "utf8"))).toEqual([{ total_count: 0, secrets: [] }]);
      // Only the organization's call was made: it told the repositories' calls apart from a refusal.
      expect(enterprise.requests.filter((r) => r.path.includes("/codespaces/")).map((r) => [r.path.replace(/\?.*$/, ""), r.status])).toEqual([["/api/v3/orgs/fixture-org/codespaces/secrets", 404]]);
      config("ghes-offline.yaml", ["  - { id: gh, kind: github, dir: exports/ghes }"]);
      const live = await run("collect", "--config", "ghes.yaml", "--out", "ghes-live.json");
      const offline = await run("collect", "--config", "ghes-offline.yaml", "--out", "ghes-offline.json");
      expect(live.status, live.stderr).toBe(0);
      expect(offline.status, offline.stderr).toBe(0);
      const snapshot = JSON.parse(readFileSync(join(work, "ghes-live.json"), "utf8")) as Snapshot;
      const noted = new Set(snapshot.sources[0].queries.filter((q) => / \((not called|answered 404): /.test(q.call)).map((q) => q.step));
      expect([...noted].sort()).toEqual(["codespacesSecrets", "repos/api/codespacesSecrets", "repos/docs/codespacesSecrets"]);
      expect(comparable("ghes-live.json", noted)).toEqual(comparable("ghes-offline.json", noted));
      expect(snapshot.sources[0].queries.find((q) => q.step === "codespacesSecrets")!.call).toBe("GET /orgs/{org}/codespaces/secrets?per_page=100 (answered 404: GitHub Enterprise Server 3.14.2 has no Codespaces)");
      expect(snapshot.sources[0].queries.find((q) => q.step === "repos/api/codespacesSecrets")!.call).toMatch(/\(not called: GitHub Enterprise Server 3\.14\.2 has no Codespaces\)$/);
      expect(snapshot.credentials.filter((c) => c.type === "codespacesSecret")).toEqual([]);
    } finally {
      await enterprise.stop();
    }
  }, 120_000);

  it("a call refused with 403: export leaves that file out and exits 3; scan gives error findings naming the permission and exits 3", async () => {
    config("limited.yaml", [liveEntra("cloud", limited.appId, "LIMITED_SECRET")]);
    const exported = await run("export", "entra", "--config", "limited.yaml", "--out", "exports/limited");
    expect(exported.status).toBe(3);
    expect(exported.stderr).toMatch(/userRegistrationDetails\?\$top=999 failed: HTTP 403 Authorization_RequestDenied.*AuditLog\.Read\.All/);
    expect(existsSync(join(work, "exports/limited/userRegistrationDetails.json"))).toBe(false);
    expect(existsSync(join(work, "exports/limited/users.json"))).toBe(true);

    const scan = await run("scan", "--config", "limited.yaml", "--out", "scan-limited");
    expect(scan.status).toBe(3);
    const findings = JSON.parse(readFileSync(join(work, "scan-limited/findings.json"), "utf8")) as { findings?: { status: string; message: string; controlId: string }[] } | { status: string; message: string; controlId: string }[];
    const list = Array.isArray(findings) ? findings : (findings.findings ?? []);
    const errors = list.filter((f) => f.status === "error");
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.some((f) => /AuditLog\.Read\.All/.test(f.message))).toBe(true);
    expect(scan.stdout + scan.stderr).not.toContain(limited.secret);
  }, 240_000);

  it("a refused repository list: the export exits 3, and collecting its folder is partial with the repositories' credentials unknown", async () => {
    github.setFaults([{ path: "/api/v3/orgs/fixture-org/repos", kind: "forbidden" }]);
    try {
      config("gh-live.yaml", [liveGithub()]);
      const exported = await run("export", "github", "--config", "gh-live.yaml", "--out", "exports/github-no-repos");
      expect(exported.status).toBe(3);
    } finally {
      github.setFaults([]);
    }
    config("gh-offline.yaml", ["  - { id: gh, kind: github, dir: exports/github-no-repos }"]);
    const scan = await run("scan", "--config", "gh-offline.yaml", "--out", "scan-no-repos", "--no-history");
    expect(scan.status).toBe(3);
    expect(scan.stderr).toContain("export file repos.json not found");
    const findings = JSON.parse(readFileSync(join(work, "scan-no-repos/findings.json"), "utf8")) as { controlId: string; status: string }[];
    expect(findings.filter((f) => f.controlId === "CG-NHI-003").map((f) => f.status)).toContain("error");
  }, 240_000);

  it("an unset secret variable is a configuration error (exit 2) naming the field", async () => {
    config("unset.yaml", [liveEntra("cloud", reader.appId, "NOT_SET_ANYWHERE")]);
    const r = await run("collect", "--config", "unset.yaml", "--out", "unset.json");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/clientSecretEnv: environment variable NOT_SET_ANYWHERE is not set/);
  }, 120_000);
});
