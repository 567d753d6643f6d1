import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { githubCollector } from "../../../src/collectors/github/collector.ts";
import { UserInputError } from "../../../src/errors.ts";
import type { SourcePart } from "../../../src/snapshot/source-part.ts";

const fixtures = new URL("../../fixtures/", import.meta.url).pathname;

function collect(configDir: string): Promise<SourcePart> {
  return githubCollector.collect({ source: { id: "gh", kind: "github", dir: "github" }, configDir, env: {}, progress: { step() {}, tick() {} }, log() {} });
}

function copyFixture(): string {
  const dir = mkdtempSync(join(tmpdir(), "credgov-github-"));
  cpSync(join(fixtures, "github"), join(dir, "github"), { recursive: true });
  return dir;
}

describe("GitHub collector on REST/GraphQL exports", async () => {
  const part = await collect(fixtures);
  const credential = (id: string) => part.credentials.find((c) => c.id === id)!;

  it("records each export as the documented call, including per-repository ones", () => {
    expect(part.source).toMatchObject({ kind: "github", transport: "file", status: "ok", errors: [], namingContext: "fixture-org" });
    expect(part.source.queries.map((q) => `${q.call} -> ${q.resultCount}`)).toEqual([
      "GET /orgs/{org} -> 1",
      "GET /orgs/{org}/members?per_page=100 -> 3",
      "POST /graphql organization(login: $org) { membersWithRole(first: 1) { totalCount } } -> 1",
      "GET /orgs/{org}/members?role=admin&per_page=100 -> 1",
      expect.stringMatching(/^POST \/graphql organization\(login: \$org\) \{ samlIdentityProvider .* -> 3$/),
      "GET /orgs/{org}/credential-authorizations?per_page=100 -> 2",
      "GET /orgs/{org}/actions/secrets?per_page=100 -> 1",
      "GET /orgs/{org}/dependabot/secrets?per_page=100 -> 1",
      "GET /orgs/{org}/codespaces/secrets?per_page=100 -> 0",
      "GET /orgs/{org}/repos?per_page=100 -> 2",
      "POST /graphql organization(login: $org) { repositories(first: 1) { totalCount } } -> 1",
      "GET /repos/{org}/api/actions/secrets?per_page=100 -> 1",
      "GET /repos/{org}/api/codespaces/secrets?per_page=100 -> 1",
      "GET /repos/{org}/api/dependabot/secrets?per_page=100 -> 0",
      "GET /repos/{org}/api/keys?per_page=100 -> 1",
      "GET /repos/{org}/api/environments?per_page=100 -> 2",
      "GET /repos/{org}/api/environments/production/secrets?per_page=100 -> 1",
      "GET /repos/{org}/api/environments/review%2Feu%20west/secrets?per_page=100 -> 0",
      "GET /repos/{org}/docs/actions/secrets?per_page=100 -> 0",
      "GET /repos/{org}/docs/codespaces/secrets?per_page=100 -> 0",
      "GET /repos/{org}/docs/dependabot/secrets?per_page=100 -> 0",
      "GET /repos/{org}/docs/keys?per_page=100 -> 1",
      "GET /repos/{org}/docs/environments?per_page=100 -> 0",
    ]);
    expect(part.source.queries[1].pages).toBe(2);
  });

  it("turns members into human and bot accounts, owners privileged, SAML nameId attached", () => {
    expect(part.accounts.map((a) => [a.id, a.kind, a.privileged, a.nativeIds.samlNameId ?? null])).toEqual([
      ["gh:octo-alice", "human", false, "alice@fixture.example"],
      ["gh:octo-bob", "human", true, "bob@fixture.example"],
      ["gh:release-bot", "bot", false, null],
      // Holder of a credential authorization who is no longer a member: kept, disabled, so the
      // credential never points at nothing.
      ["gh:old-contractor", "human", false, null],
    ]);
    expect(part.accounts[3].enabled).toBe(false);
    expect(part.accounts[1].privilegedReasons).toEqual(["organization owner"]);
    expect(part.accounts[0].nativeIds.githubId).toBe(501);
  });

  it("turns credential authorizations into user-managed tokens and SSH keys without token fragments", () => {
    expect(credential("gh:credential-authorization:7001")).toMatchObject({
      account: "gh:octo-alice",
      type: "token",
      name: "release tooling",
      created: "2026-01-15T12:00:00.000Z",
      lastUsed: "2026-11-20T08:00:00.000Z",
      expires: "2026-12-15T12:00:00.000Z",
      neverExpires: false,
      managedBy: "user",
      scope: "repo",
    });
    const ssh = credential("gh:credential-authorization:7002");
    expect(ssh).toMatchObject({ type: "sshKey", neverExpires: true, name: "contractor laptop" });
    // The key's holder is no longer a member: its owner is reported as gone.
    expect(ssh.owners).toEqual([{ ref: "old-contractor", name: "old-contractor", source: "gh", relation: "owner", status: "deleted" }]);
    expect(JSON.stringify(part)).not.toContain("9f8e7d6c");
  });

  it("turns Actions secrets and deploy keys into credentials of the org and its repositories", () => {
    expect(credential("gh:org:fixture-org:actions-secret:NPM_PUBLISH_TOKEN")).toMatchObject({ type: "actionsSecret", lastRotated: "2025-02-01T00:00:00.000Z", scope: "selected" });
    expect(credential("gh:repo:api:actions-secret:DB_PASSWORD")).toMatchObject({ account: "gh:repo:api", lastRotated: "2022-06-01T00:00:00.000Z" });
    expect(credential("gh:repo:api:deploy-key:9301")).toMatchObject({ type: "deployKey", writeAccess: true, managedBy: "user", lastUsed: "2026-11-01T00:00:00.000Z" });
    expect(credential("gh:repo:api:deploy-key:9301").owners?.[0]).toMatchObject({ ref: "gh:octo-bob", status: "enabled" });
    expect(credential("gh:repo:docs:deploy-key:9302")).toMatchObject({ writeAccess: false, managedBy: "unknown", lastUsed: null });
  });

  it("turns environment, Dependabot and Codespaces secrets into credentials of the org and its repositories, each store its own type", () => {
    // The environment's DB_PASSWORD is a second credential beside the repository's DB_PASSWORD.
    expect(credential("gh:repo:api:environment:production:actions-secret:DB_PASSWORD")).toMatchObject({
      account: "gh:repo:api",
      type: "actionsSecret",
      name: "production/DB_PASSWORD",
      created: "2022-01-10T15:00:00.000Z",
      lastRotated: "2023-08-01T00:00:00.000Z",
      managedBy: "unknown",
      owners: [],
      deliveryChannel: "github-actions",
      scope: "repository api environment production",
    });
    expect(credential("gh:org:fixture-org:dependabot-secret:ARTIFACTORY_TOKEN")).toMatchObject({ account: "gh:org:fixture-org", type: "dependabotSecret", lastRotated: "2023-03-01T00:00:00.000Z", deliveryChannel: "github-dependabot", scope: "private" });
    expect(credential("gh:repo:api:codespaces-secret:DEV_API_KEY")).toMatchObject({ account: "gh:repo:api", type: "codespacesSecret", lastRotated: "2025-09-01T00:00:00.000Z", deliveryChannel: "github-codespaces", scope: "repository api" });
    expect(part.source.counts).toMatchObject({ orgDependabotSecrets: 1, orgCodespacesSecrets: 0, environments: 2, environmentSecrets: 1, repoDependabotSecrets: 0, repoCodespacesSecrets: 1 });
  });

  it("reads organization settings", () => {
    expect(part.settings).toEqual({ kind: "github", domainName: null, twoFactorRequired: true, samlEnabled: true });
  });
});

describe("GitHub collector with incomplete exports", () => {
  it("leaves the 2FA setting unknown when org.json is missing, and says which call", async () => {
    const dir = copyFixture();
    rmSync(join(dir, "github", "org.json"));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    expect(part.settings.twoFactorRequired).toBeNull();
    expect(part.source.errors).toEqual([
      expect.objectContaining({ step: "org", call: "GET /orgs/{org}", code: "export-missing", affects: ["settings.twoFactorRequired"] }),
    ]);
  });

  it("reports a GraphQL FORBIDDEN answer for SAML identities as a failed call, not as SAML off", async () => {
    const dir = copyFixture();
    const body = { data: { organization: { samlIdentityProvider: null } }, errors: [{ type: "FORBIDDEN", path: ["organization", "samlIdentityProvider"], message: "Resource not accessible by integration" }] };
    writeFileSync(join(dir, "github", "saml-identities.json"), JSON.stringify(body));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    expect(part.settings.samlEnabled).toBeNull();
    expect(part.source.errors).toEqual([expect.objectContaining({ step: "samlIdentities", code: "api-error", affects: ["settings.samlEnabled", "accounts.nativeIds", "identities"] })]);
    expect(part.source.errors[0].message).toContain("GitHub GraphQL error (FORBIDDEN): Resource not accessible by integration; the data it returned is partial");
  });

  it("reports SAML identities with hasNextPage: true on the last page as incomplete", async () => {
    const dir = copyFixture();
    const page = {
      data: {
        organization: {
          samlIdentityProvider: {
            externalIdentities: { pageInfo: { hasNextPage: true, endCursor: "Y3Vyc29yOjI=" }, nodes: [{ samlIdentity: { nameId: "alice@fixture.example" }, user: { login: "octo-alice" } }] },
          },
        },
      },
    };
    writeFileSync(join(dir, "github", "saml-identities.json"), JSON.stringify(page));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    const error = part.source.errors.find((e) => e.step === "samlIdentities")!;
    expect(error).toMatchObject({ code: "export-incomplete", affects: ["settings.samlEnabled", "accounts.nativeIds", "identities"] });
    expect(error.message).toContain("hasNextPage: true (1 identities read)");
    expect(part.source.queries.find((q) => q.step === "samlIdentities")?.status).toBe("partial");
  });

  it("reports an empty members export as incomplete (an organization always has members)", async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, "github", "members.json"), "[]");
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    expect(part.source.errors.find((e) => e.step === "members")).toMatchObject({ code: "export-incomplete", affects: expect.arrayContaining(["accounts", "credentials.owners"]) });
    // No dangling references: every credential's holder is an account or an org/repo holder.
    const ids = new Set(part.accounts.map((a) => a.id));
    expect(part.credentials.filter((c) => c.type === "token" || c.type === "sshKey").every((c) => ids.has(c.account))).toBe(true);
  });

  it("reports an owner missing from members.json as a short members export", async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, "github", "admins.json"), JSON.stringify([{ login: "octo-carol", id: 509, type: "User" }]));
    const part = await collect(dir);
    expect(part.source.errors.find((e) => e.step === "members")?.message).toContain("1 organization owner(s) in admins.json are not in it (octo-carol)");
  });

  it("reports a members export missing a page with no owner on it as incomplete, against GitHub's member count", async () => {
    const dir = copyFixture();
    // Page 2 holds only release-bot: the owner cross-check alone cannot see it go.
    writeFileSync(join(dir, "github", "members.json"), JSON.stringify([[{ login: "octo-alice", id: 501, type: "User" }, { login: "octo-bob", id: 502, type: "User" }]]));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    const error = part.source.errors.find((e) => e.step === "members")!;
    expect(error).toMatchObject({ code: "export-incomplete", affects: expect.arrayContaining(["accounts", "credentials.owners"]) });
    expect(error.message).toContain("members.json is incomplete: it holds 2 member(s), GitHub counts 3 (membersWithRole.totalCount)");
  });

  it("reports a repos.json missing a page (and the loop over it never exporting those repositories) against GitHub's repository count", async () => {
    const dir = copyFixture();
    // docs is listed on its own page; the export lost that page and, looping over the list, its folder.
    writeFileSync(join(dir, "github", "repos.json"), JSON.stringify([[{ name: "api" }]]));
    rmSync(join(dir, "github", "repos", "docs"), { recursive: true });
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    const error = part.source.errors.find((e) => e.step === "repos")!;
    expect(error).toMatchObject({ code: "export-incomplete", affects: ["credentials"] });
    expect(error.message).toContain("repos.json is incomplete: it holds 1 repositories, GitHub counts 2 (repositories.totalCount)");
  });

  it("reads an export without members-count.json (made before it existed) as before; a malformed one names the field", async () => {
    const dir = copyFixture();
    rmSync(join(dir, "github", "members-count.json"));
    rmSync(join(dir, "github", "repos-count.json"));
    const part = await collect(dir);
    expect(part.source).toMatchObject({ status: "ok", errors: [] });
    expect(part.source.queries.some((q) => q.step === "membersCount" || q.step === "reposCount")).toBe(false);
    writeFileSync(join(dir, "github", "members-count.json"), JSON.stringify({ data: { organization: { membersWithRole: { totalCount: "3" } } } }));
    const error = await collect(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as UserInputError).format()).toMatch(/members-count\.json.*data\.organization\.membersWithRole\.totalCount.*must be a non-negative integer/);
  });

  it("reports Actions secrets fewer than total_count as incomplete", async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, "github", "actions-secrets.json"), JSON.stringify({ total_count: 3, secrets: [{ name: "A", created_at: "2025-01-01T00:00:00Z", updated_at: "2025-01-01T00:00:00Z" }] }));
    const part = await collect(dir);
    expect(part.source.errors.find((e) => e.step === "actionsSecrets")).toMatchObject({ code: "export-incomplete", affects: ["credentials"] });
  });

  it("reports SAML as off when the organization has no identity provider", async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, "github", "saml-identities.json"), '{"data": {"organization": {"samlIdentityProvider": null}}}');
    const part = await collect(dir);
    expect(part.settings.samlEnabled).toBe(false);
    expect(part.accounts.every((a) => a.nativeIds.samlNameId === undefined)).toBe(true);
  });

  it("reports deploy keys and member items that lack a property the API always returns as partial, naming it", async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, "github", "repos", "api", "deploy-keys.json"), JSON.stringify([{ id: 7, title: "deployer", created_at: "2025-01-01T00:00:00Z" }]));
    writeFileSync(join(dir, "github", "admins.json"), JSON.stringify([{ login: "octo-alice", id: 501 }]));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    expect(part.source.errors.find((e) => e.step === "repos/deployKeys")).toEqual({
      step: "repos/deployKeys",
      message: "1 deploy key lacks the property read_only (e.g. api #7): whether they can write is unknown; export the API's responses unchanged, as docs/exports.md gives them",
      affects: ["credentials"],
    });
    expect(part.source.errors.find((e) => e.step === "admins")?.message).toMatch(/^1 owner lacks the property type \(e\.g\. octo-alice\)/);
    // What was read is kept: the key is still a credential, its write access unknown.
    expect(part.credentials.find((c) => c.id.endsWith(":deploy-key:7"))).toMatchObject({ writeAccess: null });
  });

  it("reads an org.json saved with a member's token (no two_factor_requirement_enabled, which GitHub shows only to owners) as partial, not as unknown without a reason", async () => {
    const dir = copyFixture();
    const org = JSON.parse(readFileSync(join(dir, "github", "org.json"), "utf8")) as Record<string, unknown>;
    delete org.two_factor_requirement_enabled;
    writeFileSync(join(dir, "github", "org.json"), JSON.stringify(org));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    expect(part.settings.twoFactorRequired).toBeNull();
    expect(part.source.errors.find((e) => e.step === "org")).toMatchObject({ affects: ["settings.twoFactorRequired"] });
    expect(part.source.errors.find((e) => e.step === "org")?.message).toMatch(/^1 organization lacks the property two_factor_requirement_enabled \(e\.g\. fixture-org\): .*only to an organization owner/);
  });

  it("reports an export without repos.json as partial: nothing shows every repository was exported", async () => {
    const dir = copyFixture();
    rmSync(join(dir, "github", "repos.json"), { force: true });
    rmSync(join(dir, "github", "repos"), { recursive: true });
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    expect(part.source.errors).toEqual([
      { step: "repos", call: "GET /orgs/{org}/repos?per_page=100", code: "export-missing", message: expect.stringMatching(/^export file repos\.json not found in .*; credentials left unknown$/), affects: ["credentials"] },
    ]);
  });

  it("reports a repository listed in repos.json without its folder as that repository's files missing", async () => {
    const dir = copyFixture();
    rmSync(join(dir, "github", "repos", "docs"), { recursive: true });
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    expect(part.source.errors.map((e) => [e.step, e.code])).toEqual([
      ["repos/docs/actionsSecrets", "export-missing"],
      ["repos/docs/codespacesSecrets", "export-missing"],
      ["repos/docs/dependabotSecrets", "export-missing"],
      ["repos/docs/deployKeys", "export-missing"],
      ["repos/docs/environments", "export-missing"],
    ]);
  });

  it("reports a missing environments list, or one environment's missing secrets file, as partial, naming the file, with credentials affected", async () => {
    const dir = copyFixture();
    rmSync(join(dir, "github", "repos", "api", "environment-secrets", "production.json"));
    rmSync(join(dir, "github", "repos", "docs", "environments.json"));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    expect(part.source.errors.map((e) => [e.step, e.code, e.affects])).toEqual([
      ["repos/api/environments/production/secrets", "export-missing", ["credentials"]],
      ["repos/docs/environments", "export-missing", ["credentials"]],
    ]);
    expect(part.source.errors[0].message).toContain("repos/api/environment-secrets/production.json");
    expect(part.credentials.some((c) => c.id.includes(":environment:production:"))).toBe(false);
  });

  it("reports Dependabot and Codespaces secrets fewer than total_count, or without updated_at, as partial", async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, "github", "dependabot-secrets.json"), JSON.stringify({ total_count: 2, secrets: [{ name: "A", created_at: "2025-01-01T00:00:00Z", updated_at: "2025-01-01T00:00:00Z" }] }));
    writeFileSync(join(dir, "github", "repos", "api", "codespaces-secrets.json"), JSON.stringify({ total_count: 1, secrets: [{ name: "B", created_at: "2025-01-01T00:00:00Z" }] }));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    expect(part.source.errors.map((e) => e.step)).toEqual(["dependabotSecrets", "repos/codespacesSecrets"]);
    expect(part.source.errors[0].message).toContain("total_count says 2 secret(s), the file holds 1");
    expect(part.source.errors[1].message).toContain("1 repository Codespaces secret lacks the property updated_at (e.g. api/B)");
  });

  it("reads a list that repeats an object (pages shifted while it was read) once, and as partial", async () => {
    const dir = copyFixture();
    const whole = await collect(dir);
    const keysFile = join(dir, "github", "repos", "api", "deploy-keys.json");
    const keys = JSON.parse(readFileSync(keysFile, "utf8")) as object[];
    // Two pages whose boundary shifted: the last key of page 1 is the first of page 2.
    writeFileSync(keysFile, JSON.stringify([keys, [keys[keys.length - 1]]]));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    expect(part.source.errors).toEqual([
      expect.objectContaining({ step: "repos/api/deployKeys", code: "export-incomplete", affects: ["credentials"], message: expect.stringMatching(/^repos\/api\/deploy-keys\.json is incomplete: it lists one of its items twice \(id \d+\): the list changed while it was read, so others may be missing/) }),
    ]);
    // One credential per key, as before: no second object with the same id in the snapshot.
    expect(part.credentials.map((c) => c.id)).toEqual(whole.credentials.map((c) => c.id));
  });

  it("refuses an id beyond 2^53 - 1, naming the file and field, instead of letting two ids round to one credential", async () => {
    const dir = copyFixture();
    // Both parse to 9007199254740992: accepted, the two keys would become one credential id.
    const keys = (id: string) => `{"id": ${id}, "title": "k${id}", "read_only": true, "created_at": "2025-01-01T00:00:00Z"}`;
    writeFileSync(join(dir, "github", "repos", "api", "deploy-keys.json"), `[\n  ${keys("9007199254740992")},\n  ${keys("9007199254740993")}\n]\n`);
    const error = await collect(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    // The line and column of the value, found in the file once the shape check failed.
    expect((error as UserInputError).format()).toMatch(/github\/repos\/api\/deploy-keys\.json:2:10 \[0\]\.id: is an integer beyond 2\^53 - 1 \(9007199254740991\): JSON numbers that large lose precision/);
    // The largest exact id is read as it is; a string id is still a type error, not this one.
    writeFileSync(join(dir, "github", "repos", "api", "deploy-keys.json"), `[${keys("9007199254740991")}]`);
    expect((await collect(dir)).credentials.some((c) => c.id.endsWith(":deploy-key:9007199254740991"))).toBe(true);
    // Pages of a list, and the org object: the same positions.
    writeFileSync(join(dir, "github", "members.json"), JSON.stringify([[{ login: "octo-bob", id: 502 }], [{ login: "octo-alice", id: "501" }]], null, 2));
    expect(((await collect(dir).catch((e: unknown) => e)) as UserInputError).format()).toMatch(/members\.json:11:13 page 2 \[0\]\.id: must be an integer$/);
    writeFileSync(join(dir, "github", "org.json"), '{\n  "login": "octo",\n  "id": 1e400\n}\n');
    expect(((await collect(dir).catch((e: unknown) => e)) as UserInputError).format()).toMatch(/org\.json:3:9 \(body\)\.id: /);
  });

  it("throws a UserInputError naming the file and position of malformed JSON", async () => {
    const dir = copyFixture();
    writeFileSync(join(dir, "github", "repos", "api", "deploy-keys.json"), '[\n  {"id": 1, "title": "x" "read_only": true}\n]\n');
    const error = await collect(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as UserInputError).format()).toMatch(/github\/repos\/api\/deploy-keys\.json:2:26 malformed JSON: expected ',' or '}'/);
  });
});
