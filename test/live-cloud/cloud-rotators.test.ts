// The Entra application secret, GitHub Actions secret and deploy key rotators against the fixture
// servers, driven through the Rotator interface in the runner's order (issue or generate ->
// store pending -> set -> verify -> promote -> retire). Items come from a live collection, so
// they carry the credential ids the collectors really produce.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ClientSecretCredential } from "@azure/identity";
import { entraCollector } from "../../src/collectors/entra/collector.ts";
import { githubCollector } from "../../src/collectors/github/collector.ts";
import type { SourcePart } from "../../src/snapshot/source-part.ts";
import type { EntraSourceConfig, GithubSourceConfig, SourceConfigEntry } from "../../src/config/types.ts";
import type { PlanItem } from "../../src/rotation/plan.ts";
import type { Rotator } from "../../src/rotation/rotator.ts";
import type { PendingMetadata, SecretSink, SinkPointer, SinkVersionInfo, StoredSecret } from "../../src/rotation/sink.ts";
import { rotatorFactories } from "../../src/rotation/rotators/registry.ts";
import { entraAppSecretRotator } from "../../src/rotation/rotators/entra-app-secret.ts";
import { GraphFixtureServer } from "../fixture-servers/graph-server.ts";
import { tenantFromExports } from "../fixture-servers/graph-export-data.ts";
import { GithubFixtureServer } from "../fixture-servers/github-server.ts";
import { orgFromExports } from "../fixture-servers/github-export-data.ts";
import { createTestPki, trustTestCa, type TestPki } from "../fixture-servers/test-pki.ts";

const fixtures = new URL("../fixtures/", import.meta.url).pathname;
const tenantId = "aaaaaaaa-0000-4000-8000-00000000000a";
const rotatorApp = { appId: "abababab-0000-4000-8000-0000000000ab", secret: `rotator-${randomUUID()}` };
const readOnlyApp = { appId: "cdcdcdcd-0000-4000-8000-0000000000cd", secret: `reader-${randomUUID()}` };
const invoiceSync = { appId: "44444444-0000-4000-8000-000000000001", oldKeyId: "55555555-0000-4000-8000-000000000001", oldSecret: `old-${randomUUID()}` };
const githubToken = `ghp_${randomUUID().replaceAll("-", "")}`;
const reads = ["User.Read.All", "Domain.Read.All", "Policy.Read.All", "Policy.Read.AuthenticationMethod", "AuditLog.Read.All", "OnPremDirectorySynchronization.Read.All", "Application.Read.All", "RoleManagement.Read.Directory", "AdministrativeUnit.Read.All"];

let pki: TestPki;
let graph: GraphFixtureServer;
let github: GithubFixtureServer;

beforeAll(async () => {
  pki = createTestPki();
  trustTestCa(pki);
  graph = await new GraphFixtureServer({
    pki,
    tenantId,
    data: tenantFromExports(join(fixtures, "entra")),
    clients: [
      { appId: rotatorApp.appId, secrets: [{ keyId: randomUUID(), secretText: rotatorApp.secret }], permissions: [...reads, "Application.ReadWrite.OwnedBy"] },
      { appId: readOnlyApp.appId, secrets: [{ keyId: randomUUID(), secretText: readOnlyApp.secret }], permissions: reads },
      // The application whose secret is rotated: it signs in with its own secrets.
      { appId: invoiceSync.appId, secrets: [{ keyId: invoiceSync.oldKeyId, secretText: invoiceSync.oldSecret }], permissions: [] },
    ],
  }).start();
  github = await new GithubFixtureServer({ pki, data: orgFromExports(join(fixtures, "github")), tokens: [githubToken] }).start();
});
afterAll(async () => {
  await graph?.stop();
  await github?.stop();
});

/** A SecretSink in memory with the pending/current/previous pointers the runner relies on. */
class MemorySink implements SecretSink {
  readonly kind = "age-file" as const;
  readonly versions = new Map<string, { secret: string; createdAt: string }[]>();
  readonly pointers = new Map<string, { pending?: number; current?: number; previous?: number }>();
  async putPending(location: string, secret: string, _metadata: PendingMetadata): Promise<number> {
    const list = this.versions.get(location) ?? [];
    list.push({ secret, createdAt: new Date().toISOString() });
    this.versions.set(location, list);
    this.pointers.set(location, { ...this.pointers.get(location), pending: list.length });
    return list.length;
  }
  async promote(location: string, version: number): Promise<void> {
    const p = this.pointers.get(location) ?? {};
    if (p.current === version) return;
    this.pointers.set(location, { previous: p.current, current: version });
  }
  async read(location: string, which: SinkPointer): Promise<StoredSecret | undefined> {
    const version = this.pointers.get(location)?.[which];
    return version === undefined ? undefined : { version, secret: this.versions.get(location)![version - 1].secret };
  }
  async listVersions(location: string): Promise<SinkVersionInfo[]> {
    const p = this.pointers.get(location) ?? {};
    return (this.versions.get(location) ?? []).map((v, i) => ({ version: i + 1, createdAt: v.createdAt, role: p.pending === i + 1 ? "pending" : p.current === i + 1 ? "current" : p.previous === i + 1 ? "previous" : "superseded" }));
  }
}

/** The runner's order for one item (issue or generate -> pending -> set -> verify -> promote -> retire). */
async function drive(rotator: Rotator, item: PlanItem, sink: SecretSink): Promise<{ secret: string; ref?: string; verification: string }> {
  const issued = rotator.issue ? await rotator.issue(item) : undefined;
  const secret = issued?.secret ?? randomBytes(24).toString("base64url");
  const version = await sink.putPending(item.sink.location, secret, { planDigest: "test", item: item.id, fingerprint: "test" });
  const ref = issued ? issued.ref : (await rotator.set(item, secret)).ref;
  const verification = await rotator.verify(item, secret);
  if (verification === "rejected") throw new Error("verification rejected");
  await sink.promote(item.sink.location, version);
  await rotator.retire?.(item, ref);
  return { secret, ref, verification };
}

function planItem(part: SourcePart, credentialId: string, source: SourceConfigEntry): PlanItem {
  const credential = part.credentials.find((c) => c.id === credentialId);
  if (!credential) throw new Error(`no credential ${credentialId} in ${part.credentials.map((c) => c.id).join(", ")}`);
  const account = part.accounts.find((a) => a.id === credential.account);
  return {
    id: "0001",
    order: 1,
    credential: credential.id,
    credentialType: credential.type as PlanItem["credentialType"],
    account: { id: credential.account, name: account?.name ?? credential.account, kind: account?.kind ?? "repository", enabled: true, nativeIds: account?.nativeIds as Record<string, string> | undefined },
    source: { id: source.id, kind: source.kind, endpoint: part.source.endpoint },
    rotator: source.kind as PlanItem["rotator"],
    sink: { kind: "age-file", location: `${source.id}/${credential.id}` },
    reasons: ["CG-NHI-001"],
    constraints: { minLength: 24, requiredClasses: [], forbiddenSubstrings: [] },
    linkedAccounts: [],
  };
}

const progress = { step() {}, tick() {} };

describe("Entra application secret rotator", () => {
  const source = (app: { appId: string }, secretEnv: string) =>
    ({ id: "cloud", kind: "entra", tenantId, clientId: app.appId, clientSecretEnv: secretEnv, authorityHost: graph.url, graphBaseUrl: graph.url, timeoutMs: 5000 }) as unknown as SourceConfigEntry;
  const env = { ROTATOR_SECRET: rotatorApp.secret, READER_SECRET: readOnlyApp.secret };
  const collect = (s: SourceConfigEntry) => entraCollector.collect({ source: s as EntraSourceConfig, configDir: fixtures, env, progress, log() {} });
  const credentialId = `cloud:33333333-0000-4000-8000-000000000001:clientSecret:${invoiceSync.oldKeyId}`;

  it("adds a password, delivers it, verifies it by signing in as the app, and removes the old one after the overlap", async () => {
    const config = source(rotatorApp, "ROTATOR_SECRET");
    const part = await collect(config);
    const item = planItem(part, credentialId, config);
    expect(rotatorFactories.entra!({ source: config, configDir: fixtures, env }).canRotate(item)).toBeUndefined();
    const rotator = entraAppSecretRotator({ source: config, configDir: fixtures, env }, { overlapSeconds: 1 });
    const sink = new MemorySink();
    const started = Date.now();
    const { secret, ref, verification } = await drive(rotator, item, sink);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(verification).toBe("works");
    expect((await sink.read(item.sink.location, "current"))?.secret).toBe(secret);
    // The directory: the new key is there, the old one gone; the snapshot shows the same.
    const after = await collect(config);
    const secrets = after.credentials.filter((c) => c.account === "cloud:33333333-0000-4000-8000-000000000001" && c.type === "clientSecret");
    expect(secrets.map((c) => c.id)).toEqual([`cloud:33333333-0000-4000-8000-000000000001:clientSecret:${ref}`]);
    // The new secret signs in; the old one no longer does.
    const scope = `${graph.url}/.default`;
    await expect(new ClientSecretCredential(tenantId, invoiceSync.appId, secret, { authorityHost: graph.url, disableInstanceDiscovery: true }).getToken(scope)).resolves.toMatchObject({ token: expect.any(String) });
    await expect(new ClientSecretCredential(tenantId, invoiceSync.appId, invoiceSync.oldSecret, { authorityHost: graph.url, disableInstanceDiscovery: true }).getToken(scope)).rejects.toThrow(/AADSTS7000215/);
    // Retiring again (a resumed run) is a no-op, not an error.
    await expect(rotator.retire!(item, ref)).resolves.toBeUndefined();
  });

  it("reports a secret the app does not accept as rejected", async () => {
    const config = source(rotatorApp, "ROTATOR_SECRET");
    const item = planItem(await collect(config), `cloud:33333333-0000-4000-8000-000000000002:clientSecret:55555555-0000-4000-8000-000000000003`, config);
    const rotator = entraAppSecretRotator({ source: config, configDir: fixtures, env }, { verifyAttempts: 1 });
    // Orphan Reporter is not registered to sign in with anything: an unknown app is not "rejected".
    await expect(rotator.verify(item, "not-the-secret")).rejects.toThrow(/AADSTS700016/);
    const invoice = planItem(await collect(config), (await collect(config)).credentials.find((c) => c.account === "cloud:33333333-0000-4000-8000-000000000001" && c.type === "clientSecret")!.id, config);
    await expect(rotator.verify(invoice, `wrong-${randomUUID()}`)).resolves.toBe("rejected");
  });

  it("without Application.ReadWrite permission: addPassword fails with the status and the permission, no secret", async () => {
    const config = source(readOnlyApp, "READER_SECRET");
    const item = planItem(await collect(config), (await collect(config)).credentials.find((c) => c.type === "clientSecret" && c.account.endsWith("000000000001"))!.id, config);
    const rotator = entraAppSecretRotator({ source: config, configDir: fixtures, env });
    const error = (await rotator.issue!(item).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error & { step: string; code: string };
    expect(error).toMatchObject({ name: "RotationError", step: "addPassword", code: "http-403" });
    expect(error.message).toMatch(/HTTP 403 Authorization_RequestDenied.*Application\.ReadWrite\.OwnedBy/);
    expect(error.message).not.toContain(readOnlyApp.secret);
  });
});

describe("GitHub secret and deploy key rotators", () => {
  const config = { id: "gh", kind: "github", org: "fixture-org", tokenEnv: "GH_TOKEN_TEST", baseUrl: "", timeoutMs: 5000 } as unknown as SourceConfigEntry & { baseUrl: string };
  const env = { GH_TOKEN_TEST: githubToken };
  const collect = () => githubCollector.collect({ source: config as GithubSourceConfig, configDir: fixtures, env, progress, log() {} });

  it("rotates an organization secret and a repository secret: sealed box the server opens, visibility kept", async () => {
    config.baseUrl = github.baseUrl;
    const part = await collect();
    const rotator = rotatorFactories.github!({ source: config, configDir: fixtures, env });
    const orgItem = planItem(part, "gh:org:fixture-org:actions-secret:NPM_PUBLISH_TOKEN", config);
    const repoSecret = part.credentials.find((c) => c.type === "actionsSecret" && c.account === "gh:repo:api")!;
    const repoItem = planItem(part, repoSecret.id, config);
    for (const item of [orgItem, repoItem]) expect(rotator.canRotate(item)).toBeUndefined();
    const sink = new MemorySink();
    const org = await drive(rotator, orgItem, sink);
    const repo = await drive(rotator, repoItem, sink);
    expect(org.verification).toBe("unverifiable");
    const stored = github.data.secrets.find((s) => s.name === "NPM_PUBLISH_TOKEN")!;
    expect(stored.value).toBe(org.secret);
    expect(stored.visibility).toBe("selected");
    expect(github.data.repos.find((r) => r.name === "api")!.secrets.find((s) => s.name === repoSecret.name)!.value).toBe(repo.secret);
    expect((await sink.read(orgItem.sink.location, "current"))?.secret).toBe(org.secret);
  });

  it("rotates environment, Dependabot and Codespaces secrets, each sealed with its own store's key, the holder's other stores untouched", async () => {
    config.baseUrl = github.baseUrl;
    const api = github.data.repos.find((r) => r.name === "api")!;
    // An environment whose name the URL path must encode.
    api.environments!.find((e) => e.name === "review/eu west")!.secrets.push({ name: "PREVIEW_TOKEN", created_at: "2024-01-01T00:00:00Z", updated_at: "2024-01-01T00:00:00Z" });
    const part = await collect();
    const rotator = rotatorFactories.github!({ source: config, configDir: fixtures, env });
    const ids = [
      "gh:repo:api:environment:production:actions-secret:DB_PASSWORD",
      "gh:repo:api:environment:review/eu west:actions-secret:PREVIEW_TOKEN",
      "gh:org:fixture-org:dependabot-secret:ARTIFACTORY_TOKEN",
      "gh:repo:api:codespaces-secret:DEV_API_KEY",
    ];
    const items = ids.map((id) => planItem(part, id, config));
    for (const item of items) expect(rotator.canRotate(item), item.credential).toBeUndefined();
    const repoSecretBefore = api.secrets.find((s) => s.name === "DB_PASSWORD")!.value;
    const sink = new MemorySink();
    const [production, preview, dependabot, codespaces] = [await drive(rotator, items[0], sink), await drive(rotator, items[1], sink), await drive(rotator, items[2], sink), await drive(rotator, items[3], sink)];
    expect(api.environments!.find((e) => e.name === "production")!.secrets.find((s) => s.name === "DB_PASSWORD")!.value).toBe(production.secret);
    expect(api.environments!.find((e) => e.name === "review/eu west")!.secrets.find((s) => s.name === "PREVIEW_TOKEN")!.value).toBe(preview.secret);
    // The repository's own DB_PASSWORD is another secret, in another store.
    expect(api.secrets.find((s) => s.name === "DB_PASSWORD")!.value).toBe(repoSecretBefore);
    const orgSecret = github.data.dependabotSecrets!.find((s) => s.name === "ARTIFACTORY_TOKEN")!;
    expect(orgSecret).toMatchObject({ value: dependabot.secret, visibility: "private" });
    expect(api.codespacesSecrets!.find((s) => s.name === "DEV_API_KEY")!.value).toBe(codespaces.secret);
    // Each PUT was sealed with its own store's key (the server refuses another store's key_id).
    expect(new Set([production.ref, preview.ref, dependabot.ref, codespaces.ref]).size).toBe(4);
    const puts = github.requests.filter((r) => r.method === "PUT").map((r) => r.path.replace(/\?.*$/, ""));
    expect(puts).toEqual(
      expect.arrayContaining([
        "/api/v3/repos/fixture-org/api/environments/production/secrets/DB_PASSWORD",
        "/api/v3/repos/fixture-org/api/environments/review%2Feu%20west/secrets/PREVIEW_TOKEN",
        "/api/v3/orgs/fixture-org/dependabot/secrets/ARTIFACTORY_TOKEN",
        "/api/v3/repos/fixture-org/api/codespaces/secrets/DEV_API_KEY",
      ]),
    );
    // After rotation the collector sees the new updated_at: the secret is no longer stale.
    const after = await collect();
    for (const id of ids) expect(Date.parse(after.credentials.find((c) => c.id === id)!.lastRotated!)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("a plan item whose type and credential id name different stores is refused", async () => {
    config.baseUrl = github.baseUrl;
    const part = await collect();
    const rotator = rotatorFactories.github!({ source: config, configDir: fixtures, env });
    const item = planItem(part, "gh:org:fixture-org:dependabot-secret:ARTIFACTORY_TOKEN", config);
    expect(rotator.canRotate({ ...item, credentialType: "actionsSecret" })).toBe("gh:org:fixture-org:dependabot-secret:ARTIFACTORY_TOKEN is not a secret of the Actions store (a actionsSecret)");
  });

  it("rotates a deploy key: a new Ed25519 key with the old key's access, delivered private key matches, old key deleted", async () => {
    config.baseUrl = github.baseUrl;
    const part = await collect();
    const rotator = rotatorFactories.github!({ source: config, configDir: fixtures, env });
    const item = planItem(part, "gh:repo:api:deploy-key:9301", config);
    expect(rotator.canRotate(item)).toBeUndefined();
    const sink = new MemorySink();
    const { secret, ref, verification } = await drive(rotator, item, sink);
    expect(verification).toBe("works");
    const keys = github.data.repos.find((r) => r.name === "api")!.keys;
    expect(keys.map((k) => k.id)).toEqual([Number(ref)]);
    expect(keys[0]).toMatchObject({ read_only: false });
    // OpenSSH reads the delivered private key and derives the public key GitHub holds.
    const file = join(pki.dir, "deploy-key");
    writeFileSync(file, secret, { mode: 0o600 });
    const derived = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim().split(" ").slice(0, 2).join(" ");
    expect(String(keys[0].key).split(" ").slice(0, 2).join(" ")).toBe(derived);
    // A resumed run: set finds the key present, retire finds the old key gone.
    await expect(rotator.set(item, secret)).resolves.toEqual({ ref });
    await expect(rotator.retire!(item, ref)).resolves.toBeUndefined();
    expect(JSON.stringify((await collect()).credentials)).not.toContain(secret.split("\n")[1]);
  });

  it("a refused write names the call and status, never the secret", async () => {
    config.baseUrl = github.baseUrl;
    const part = await collect();
    const rotator = rotatorFactories.github!({ source: config, configDir: fixtures, env });
    const item = planItem(part, "gh:org:fixture-org:actions-secret:NPM_PUBLISH_TOKEN", config);
    github.setFaults([{ path: "/api/v3/orgs/fixture-org/actions/secrets/NPM_PUBLISH_TOKEN", kind: "forbidden", message: "Resource not accessible by integration" }]);
    const secret = `candidate-${randomUUID()}`;
    try {
      const error = (await rotator.set(item, secret).then(
        () => undefined,
        (e: unknown) => e,
      )) as Error & { code: string };
      expect(error).toMatchObject({ name: "RotationError", code: "http-403" });
      expect(error.message).toMatch(/organization fixture-org secret NPM_PUBLISH_TOKEN: HTTP 403: Resource not accessible by integration/);
      expect(error.message).not.toContain(secret);
    } finally {
      github.setFaults([]);
    }
  });

  it("a refusal that echoes the request and its Authorization header never shows the token, and is bounded", async () => {
    config.baseUrl = github.baseUrl;
    const part = await collect();
    const rotator = rotatorFactories.github!({ source: config, configDir: fixtures, env });
    const item = planItem(part, "gh:org:fixture-org:actions-secret:NPM_PUBLISH_TOKEN", config);
    github.setFaults([{ path: "/api/v3/orgs/fixture-org/actions/secrets/NPM_PUBLISH_TOKEN", kind: "echo" }]);
    try {
      const error = (await rotator.set(item, `candidate-${randomUUID()}`).then(
        () => undefined,
        (e: unknown) => e,
      )) as Error & { code: string };
      expect(error).toMatchObject({ name: "RotationError", code: "http-422" });
      expect(error.message).toContain("HTTP 422: Invalid request:");
      expect(error.message).not.toContain(githubToken);
      expect(error.message.length).toBeLessThanOrEqual(400);
    } finally {
      github.setFaults([]);
    }
  });
});
