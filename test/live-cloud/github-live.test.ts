import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { githubCollector } from "../../src/collectors/github/collector.ts";
import type { SourcePart } from "../../src/snapshot/source-part.ts";
import { GithubFixtureServer, type GithubOrgData } from "../fixture-servers/github-server.ts";
import { orgFromExports } from "../fixture-servers/github-export-data.ts";
import { createTestPki, trustTestCa, type TestPki } from "../fixture-servers/test-pki.ts";

const fixtures = new URL("../fixtures/github/", import.meta.url).pathname;
const token = "ghp_fixtureToken0000000000000000000000";

const appKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
const app = { appId: 31337, installationId: 4242 };

let pki: TestPki;
let github: GithubFixtureServer;
let appKeyFile: string;
let otherKeyFile: string;

beforeAll(async () => {
  pki = createTestPki();
  trustTestCa(pki);
  appKeyFile = join(pki.dir, "app.pem");
  otherKeyFile = join(pki.dir, "other.pem");
  writeFileSync(appKeyFile, appKey.privateKey.export({ type: "pkcs1", format: "pem" }), { mode: 0o600 });
  writeFileSync(otherKeyFile, otherKey.privateKey.export({ type: "pkcs1", format: "pem" }), { mode: 0o600 });
  github = await new GithubFixtureServer({
    pki,
    data: orgFromExports(fixtures),
    tokens: [token],
    app: { ...app, publicKeyPem: appKey.publicKey.export({ type: "spki", format: "pem" }).toString() },
  }).start();
});
afterAll(async () => github?.stop());
afterEach(() => {
  github.setFaults([]);
  github.resetRateLimit();
});

const errorOf = (part: SourcePart, step: string) => part.source.errors.find((e) => e.step === step);
const queryOf = (part: SourcePart, step: string) => part.source.queries.find((q) => q.step === step);

/** A larger organization: 250 members (3 REST pages), 250 SAML identities (3 GraphQL pages); `repos` repositories with a deploy key each. */
function bigOrg(saml: boolean, repos = 0): GithubOrgData {
  const members = Array.from({ length: 250 }, (_, i) => ({ login: `user-${i}`, id: 10_000 + i, type: "User", site_admin: false, role: i < 3 ? ("admin" as const) : ("member" as const) }));
  return {
    org: { login: "big-org", id: 77, two_factor_requirement_enabled: false },
    members,
    samlIdentities: saml ? members.map((m, i) => ({ guid: `g-${i}`, nameId: `${m.login}@big.example`, login: m.login })) : null,
    credentialAuthorizations: [],
    secrets: [],
    repos: repos === 0
      ? [{ name: "only", secrets: [], keys: [] }]
      : Array.from({ length: repos }, (_, r) => ({
          name: `repo-${String(repos - r).padStart(3, "0")}`,
          secrets: [],
          keys: [{ id: 5000 + r, key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBig", title: `deploy ${r}`, verified: true, created_at: "2024-01-01T00:00:00Z", read_only: true, added_by: "user-1", last_used: null, enabled: true }],
        })),
  };
}

function collectLive(settings: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = { GH_TOKEN_TEST: token }): Promise<SourcePart> {
  return githubCollector.collect({
    source: { id: "gh", kind: "github", org: "fixture-org", tokenEnv: "GH_TOKEN_TEST", baseUrl: github.baseUrl, timeoutMs: 5000, ...settings },
    configDir: fixtures,
    env,
    progress: { step() {}, tick() {} },
    log() {},
  });
}

const collectFiles = (): Promise<SourcePart> => githubCollector.collect({ source: { id: "gh", kind: "github", dir: "." }, configDir: fixtures, env: {}, progress: { step() {}, tick() {} }, log() {} });

describe("GitHub live collection through octokit", () => {
  it("reads the organization the exports hold", async () => {
    const live = await collectLive();
    const file = await collectFiles();
    expect(live.source.errors).toEqual([]);
    expect(live.source).toMatchObject({ transport: "live", status: "ok" });
    const strip = (p: SourcePart) => ({ ...p, source: { ...p.source, transport: "", endpoint: "", collectedAt: "", queries: p.source.queries.map(({ durationMs: _d, pages: _p, ...q }) => q) } });
    expect(strip(live)).toEqual(strip(file));
  });
});

describe("GitHub live paging, authentication and limits", () => {
  it("follows Link headers and GraphQL cursors across pages", async () => {
    const big = await new GithubFixtureServer({ pki, data: bigOrg(true), tokens: [token] }).start();
    try {
      const part = await collectLive({ org: "big-org", baseUrl: big.baseUrl });
      expect(part.source.status).toBe("ok");
      expect(queryOf(part, "members")).toMatchObject({ resultCount: 250, pages: 3 });
      expect(queryOf(part, "samlIdentities")).toMatchObject({ resultCount: 250, pages: 3 });
      expect(part.accounts.filter((a) => a.nativeIds.samlNameId)).toHaveLength(250);
      expect(part.accounts.filter((a) => a.privileged)).toHaveLength(3);
      expect(big.requests.filter((r) => r.path.startsWith("/api/v3/orgs/big-org/members?")).map((r) => new URL(r.path, big.url).searchParams.get("page"))).toEqual(
        expect.arrayContaining([null, "2", "3"]),
      );
    } finally {
      await big.stop();
    }
  });

  it("a members list that comes back one short of GitHub's member count (paging shifted mid-read) is partial", async () => {
    const big = await new GithubFixtureServer({ pki, data: bigOrg(false), tokens: [token], faults: [{ path: "/api/v3/orgs/big-org/members", query: "page=2", kind: "shifted" }] }).start();
    try {
      const part = await collectLive({ org: "big-org", baseUrl: big.baseUrl });
      expect(queryOf(part, "members")).toMatchObject({ resultCount: 249, pages: 3 });
      expect(part.source.status).toBe("partial");
      expect(part.source.errors.find((e) => e.step === "members")).toMatchObject({ code: "read-incomplete", affects: expect.arrayContaining(["accounts", "accounts.owners"]) });
      expect(part.source.errors.find((e) => e.step === "members")!.message).toContain("it holds 249 member(s), GitHub counts 250");
    } finally {
      await big.stop();
    }
  });

  it("a members list whose pages shifted the other way (one member twice, one not at all: the count still matches) is partial", async () => {
    const big = await new GithubFixtureServer({ pki, data: bigOrg(false), tokens: [token], faults: [{ path: "/api/v3/orgs/big-org/members", query: "page=2", kind: "repeated" }] }).start();
    try {
      const part = await collectLive({ org: "big-org", baseUrl: big.baseUrl });
      // 250 answers, as GitHub counts; one of them a repeat, so 249 members.
      expect(queryOf(part, "members")).toMatchObject({ resultCount: 249, pages: 3, status: "partial" });
      expect(part.source.status).toBe("partial");
      const error = part.source.errors.find((e) => e.step === "members")!;
      expect(error).toMatchObject({ code: "read-incomplete", affects: expect.arrayContaining(["accounts", "accounts.owners"]) });
      expect(error.message).toMatch(/read short: it lists one of its items twice \(id \d+\): the list changed while it was read, so others may be missing/);
      expect(new Set(part.accounts.map((a) => a.id)).size).toBe(part.accounts.length);
    } finally {
      await big.stop();
    }
  });

  it("a repository list one short of GitHub's repository count is partial, the members' count checked the same way", async () => {
    const big = await new GithubFixtureServer({ pki, data: bigOrg(false, 150), tokens: [token], faults: [{ path: "/api/v3/orgs/big-org/repos", query: "page=2", kind: "shifted" }] }).start();
    try {
      const part = await collectLive({ org: "big-org", baseUrl: big.baseUrl });
      expect(queryOf(part, "repos")).toMatchObject({ resultCount: 149 });
      expect(part.source.status).toBe("partial");
      expect(part.source.errors.find((e) => e.step === "repos")).toMatchObject({ code: "read-incomplete", affects: ["credentials"] });
      expect(part.source.errors.find((e) => e.step === "repos")!.message).toContain("it holds 149 repositories, GitHub counts 150");
      expect(part.source.errors.filter((e) => e.step === "members")).toEqual([]);
    } finally {
      await big.stop();
    }
  });

  it("calls each list page's repositories as the page arrives, and keeps them in name order; a list page that fails leaves every repository unknown", async () => {
    const big = await new GithubFixtureServer({ pki, data: bigOrg(false, 250), tokens: [token] }).start();
    try {
      const part = await collectLive({ org: "big-org", baseUrl: big.baseUrl });
      expect(part.source.status).toBe("ok");
      expect(queryOf(part, "repos")).toMatchObject({ resultCount: 250, pages: 3 });
      const keyCalls = big.requests.filter((r) => /^\/api\/v3\/repos\/big-org\/[^/]+\/keys/.test(r.path));
      expect(keyCalls).toHaveLength(250);
      // Repositories of the first page were called before the last list page was asked for.
      const lastPage = big.requests.findIndex((r) => r.path.startsWith("/api/v3/orgs/big-org/repos?") && r.path.includes("page=3"));
      expect(big.requests.findIndex((r) => r === keyCalls[0])).toBeLessThan(lastPage);
      // Per repository: Actions, Dependabot and Codespaces secrets, deploy keys, environments.
      expect(part.source.queries.filter((q) => q.step.startsWith("repos/"))).toHaveLength(1250);
      // The list is in reverse name order; the data is in name order, as the file transport reads it.
      const holders = part.credentials.filter((c) => c.type === "deployKey").map((c) => c.account);
      expect(holders).toHaveLength(250);
      expect(holders).toEqual([...holders].sort());
      expect(holders[0]).toMatch(/repo-001$/);

      big.setFaults([{ path: "/api/v3/orgs/big-org/repos", kind: "forbidden", skip: 1, times: 1 }]);
      const failed = await collectLive({ org: "big-org", baseUrl: big.baseUrl });
      expect(failed.source.status).toBe("partial");
      expect(errorOf(failed, "repos")).toMatchObject({ code: "http-403", affects: ["credentials"] });
      // The first page's repositories were called, but nothing of them is kept.
      expect(big.requests.filter((r) => /\/keys/.test(r.path)).length).toBeGreaterThan(250);
      expect(failed.source.queries.filter((q) => q.step.startsWith("repos/"))).toEqual([]);
      expect(failed.source.errors.map((e) => e.step)).toEqual(["repos"]);
      expect(failed.credentials.filter((c) => c.type === "deployKey")).toEqual([]);
    } finally {
      await big.stop();
    }
  });

  it("an organization without SAML reports samlEnabled false, not an error", async () => {
    const plain = await new GithubFixtureServer({ pki, data: bigOrg(false), tokens: [token] }).start();
    try {
      const part = await collectLive({ org: "big-org", baseUrl: plain.baseUrl });
      expect(part.source.errors).toEqual([]);
      expect(part.source.status).toBe("ok");
      expect(part.settings.samlEnabled).toBe(false);
      expect(queryOf(part, "credentialAuthorizations")).toMatchObject({ status: "ok", resultCount: 0 });
      expect(plain.requests.some((r) => r.path.includes("credential-authorizations"))).toBe(false);
      // Nor does one that uses neither Dependabot nor Codespaces: GitHub lists no secrets.
      expect(queryOf(part, "dependabotSecrets")).toMatchObject({ status: "ok", resultCount: 0 });
      expect(queryOf(part, "codespacesSecrets")).toMatchObject({ status: "ok", resultCount: 0 });
    } finally {
      await plain.stop();
    }
  });

  it("signs in as a GitHub App installation with the app's private key file", async () => {
    const part = await collectLive({ tokenEnv: undefined, app: { ...app, privateKeyFile: appKeyFile } }, {});
    expect(part.source.errors).toEqual([]);
    expect(part.source.status).toBe("ok");
    expect(github.requests.some((r) => r.path === `/api/v3/app/installations/${app.installationId}/access_tokens` && r.status === 201)).toBe(true);
  });

  it("an app key GitHub does not know fails the source, naming the endpoint and not the key", async () => {
    const part = await collectLive({ tokenEnv: undefined, app: { ...app, privateKeyFile: otherKeyFile } }, {});
    expect(part.source.status).toBe("error");
    expect(part.source.errors[0]).toMatchObject({ step: "sign-in", code: "auth" });
    expect(part.source.errors[0].message).toMatch(/Bad credentials/);
    expect(JSON.stringify(part)).not.toMatch(/PRIVATE KEY/);
  });

  it("a bad token is a failed source (401 on every call), without the token in any message", async () => {
    const part = await collectLive({}, { GH_TOKEN_TEST: "ghp_notTheRightToken000000000000000000" });
    expect(part.source.status).toBe("error");
    expect(errorOf(part, "org")).toMatchObject({ code: "http-401" });
    expect(JSON.stringify(part)).not.toContain("ghp_notTheRightToken");
  });

  it("waits out the primary rate limit (x-ratelimit-remaining 0 until reset) and completes", async () => {
    // About 25 requests: the first 15 of a window pass, the rest wait for the next one (each
    // request waits at most rateLimitRetries times, so one more window than that could fail it).
    const limited = await new GithubFixtureServer({ pki, data: orgFromExports(fixtures), tokens: [token], rateLimit: { limit: 15, windowMs: 3000 } }).start();
    try {
      const part = await collectLive({ baseUrl: limited.baseUrl });
      expect(part.source.errors).toEqual([]);
      expect(part.source.status).toBe("ok");
      expect(limited.requests.filter((r) => r.status === 403).length).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });

  it("waits out a secondary rate limit (403 with Retry-After) and completes", async () => {
    github.setFaults([{ path: "/api/v3/orgs/fixture-org/members", kind: "secondary-limit", times: 1 }]);
    github.requests.length = 0;
    const part = await collectLive();
    expect(part.source.status).toBe("ok");
    expect(github.requests.filter((r) => r.status === 403)).toHaveLength(1);
  });

  it("gives up after rateLimitRetries: partial, naming the call and status", async () => {
    github.setFaults([{ path: "/api/v3/orgs/fixture-org/members", kind: "secondary-limit" }]);
    const part = await collectLive({ rateLimitRetries: 0 });
    expect(part.source.status).toBe("partial");
    expect(errorOf(part, "members")).toMatchObject({ code: "http-403", call: "GET /orgs/{org}/members?per_page=100" });
    expect(errorOf(part, "members")!.message).toMatch(/secondary rate limit/);
  });

  it("a 403 on one repository's secrets leaves that repository's secrets unknown and names the permission", async () => {
    github.setFaults([{ path: "/api/v3/repos/fixture-org/api/actions/secrets", kind: "forbidden" }]);
    const part = await collectLive();
    expect(part.source.status).toBe("partial");
    const error = errorOf(part, "repos/api/actionsSecrets")!;
    expect(error).toMatchObject({ code: "http-403", call: "GET /repos/{org}/api/actions/secrets?per_page=100", affects: ["credentials"] });
    expect(error.message).toMatch(/Resource not accessible by integration.*repository Secrets \(read\) permission/);
    expect(queryOf(part, "repos/docs/actionsSecrets")!.status).toBe("ok");
  });

  it("a 403 on the organization's Dependabot secrets or on one environment's secrets leaves them unknown and names the permission", async () => {
    github.setFaults([
      { path: "/api/v3/orgs/fixture-org/dependabot/secrets", kind: "forbidden" },
      { path: "/api/v3/repos/fixture-org/api/environments/production/secrets", kind: "forbidden" },
    ]);
    const part = await collectLive();
    expect(part.source.status).toBe("partial");
    expect(errorOf(part, "dependabotSecrets")).toMatchObject({ code: "http-403", call: "GET /orgs/{org}/dependabot/secrets?per_page=100", affects: ["credentials"] });
    expect(errorOf(part, "dependabotSecrets")!.message).toMatch(/organization Dependabot secrets \(read\) permission/);
    const environment = errorOf(part, "repos/api/environments/production/secrets")!;
    expect(environment).toMatchObject({ code: "http-403", call: "GET /repos/{org}/api/environments/production/secrets?per_page=100", affects: ["credentials"] });
    expect(environment.message).toMatch(/repository Environments \(read\) permission/);
    expect(part.source.errors).toHaveLength(2);
    expect(part.credentials.some((c) => c.type === "dependabotSecret" || c.id.includes(":environment:production:"))).toBe(false);
    // The other environment and stores were read.
    expect(queryOf(part, "repos/api/environments/review%2Feu%20west/secrets")!.status).toBe("ok");
    expect(queryOf(part, "codespacesSecrets")!.status).toBe("ok");
  });

  it("a 404 on Codespaces secrets from GitHub.com (no Enterprise Server version) is a failed call naming the permission, not an absent feature", async () => {
    github.setFaults([{ path: "/api/v3/orgs/fixture-org/codespaces/secrets", kind: "not-found" }]);
    const part = await collectLive();
    expect(part.source.status).toBe("partial");
    expect(errorOf(part, "codespacesSecrets")).toMatchObject({ code: "http-404", affects: ["credentials"] });
    expect(errorOf(part, "codespacesSecrets")!.message).toMatch(/organization Codespaces secrets \(read\) permission/);
    // The repositories' Codespaces secrets are still read.
    expect(queryOf(part, "repos/api/codespacesSecrets")).toMatchObject({ status: "ok", resultCount: 1 });
  });

  it("pages environments and every secrets list by Link header", async () => {
    const secrets = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ name: `${prefix}_${i}`, created_at: "2025-01-01T00:00:00Z", updated_at: "2025-02-01T00:00:00Z" }));
    const data = bigOrg(false);
    data.dependabotSecrets = secrets("DEP", 130);
    data.codespacesSecrets = secrets("CS", 101);
    data.repos[0].environments = Array.from({ length: 120 }, (_, i) => ({ name: `env ${i}`, secrets: i === 7 ? secrets("ENV", 150) : [] }));
    data.repos[0].dependabotSecrets = secrets("RDEP", 205);
    const paged = await new GithubFixtureServer({ pki, data, tokens: [token] }).start();
    try {
      const part = await collectLive({ org: "big-org", baseUrl: paged.baseUrl });
      expect(part.source.errors).toEqual([]);
      expect(queryOf(part, "dependabotSecrets")).toMatchObject({ resultCount: 130, pages: 2 });
      expect(queryOf(part, "codespacesSecrets")).toMatchObject({ resultCount: 101, pages: 2 });
      expect(queryOf(part, "repos/only/environments")).toMatchObject({ resultCount: 120, pages: 2 });
      expect(queryOf(part, "repos/only/environments/env%207/secrets")).toMatchObject({ resultCount: 150, pages: 2 });
      expect(queryOf(part, "repos/only/dependabotSecrets")).toMatchObject({ resultCount: 205, pages: 3 });
      expect(part.source.counts).toMatchObject({ orgDependabotSecrets: 130, orgCodespacesSecrets: 101, environments: 120, environmentSecrets: 150, repoDependabotSecrets: 205 });
      expect(part.credentials.filter((c) => c.type === "actionsSecret" && c.scope === "repository only environment env 7")).toHaveLength(150);
    } finally {
      await paged.stop();
    }
  });

  it("retries a 5xx and times out on a silent server", async () => {
    github.setFaults([{ path: "/api/v3/orgs/fixture-org", kind: "server-error", times: 1 }]);
    const retried = await collectLive();
    expect(retried.source.status).toBe("ok");

    github.setFaults([{ path: "/api/v3/repos/fixture-org/docs/keys", kind: "silent" }]);
    const silent = await collectLive({ timeoutMs: 300 });
    expect(silent.source.status).toBe("partial");
    expect(errorOf(silent, "repos/docs/deployKeys")).toMatchObject({ code: "timeout" });
  });
});
