import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateKeyPairSync, randomUUID, sign } from "node:crypto";
import diagnostics from "node:diagnostics_channel";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { entraCollector } from "../../src/collectors/entra/collector.ts";
import type { SourcePart } from "../../src/snapshot/source-part.ts";
import { GraphFixtureServer } from "../fixture-servers/graph-server.ts";
import { tenantFromExports } from "../fixture-servers/graph-export-data.ts";
import { createClientCertificate, createTestPki, trustTestCa, type TestPki } from "../fixture-servers/test-pki.ts";

const fixtures = new URL("../fixtures/entra/", import.meta.url).pathname;
const tenantId = "aaaaaaaa-0000-4000-8000-00000000000a";
const reader = { appId: "cccccccc-0000-4000-8000-00000000000c", secret: `s3cret-${randomUUID()}` };
const certApp = "dddddddd-0000-4000-8000-00000000000d";
const federatedApp = "eeeeeeee-0000-4000-8000-00000000000e";
const limitedApp = { appId: "ffffffff-0000-4000-8000-00000000000f", secret: `limited-${randomUUID()}` };
const noMethodPolicyApp = { appId: "ffffffff-0000-4000-8000-0000000000f1", secret: `no-tap-${randomUUID()}` };
const noPolicyApp = { appId: "ffffffff-0000-4000-8000-0000000000f2", secret: `no-policy-${randomUUID()}` };
const methodPolicyOnlyApp = { appId: "ffffffff-0000-4000-8000-0000000000f3", secret: `method-only-${randomUUID()}` };
const noUnitsApp = { appId: "ffffffff-0000-4000-8000-0000000000f5", secret: `no-units-${randomUUID()}` };
const managedIdentityClient = "99999999-0000-4000-8000-000000000009";
const oidc = { issuer: "https://token.actions.githubusercontent.com", subject: "repo:fixture-org/infra:ref:refs/heads/main", audience: "api://AzureADTokenExchange" };
const oidcKeys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const allRead = ["User.Read.All", "Domain.Read.All", "Policy.Read.All", "Policy.Read.AuthenticationMethod", "AuditLog.Read.All", "OnPremDirectorySynchronization.Read.All", "Application.Read.All", "RoleManagement.Read.Directory", "AdministrativeUnit.Read.All"];

let pki: TestPki;
let graph: GraphFixtureServer;
let certificate: { file: string; certPem: string };
let unregistered: { file: string; certPem: string };

beforeAll(async () => {
  pki = createTestPki();
  trustTestCa(pki);
  certificate = createClientCertificate(pki.dir, "credgov-reader");
  unregistered = createClientCertificate(pki.dir, "someone-else");
  graph = await new GraphFixtureServer({
    pki,
    tenantId,
    data: tenantFromExports(fixtures),
    clients: [
      { appId: reader.appId, secrets: [{ keyId: randomUUID(), secretText: reader.secret }], permissions: allRead },
      { appId: certApp, certificates: [certificate.certPem], permissions: allRead },
      { appId: federatedApp, federated: { ...oidc, publicKeyPem: oidcKeys.publicKey.export({ type: "spki", format: "pem" }).toString() }, permissions: allRead },
      // Everything but the audit log reports: userRegistrationDetails must fail with 403.
      { appId: limitedApp.appId, secrets: [{ keyId: randomUUID(), secretText: limitedApp.secret }], permissions: allRead.filter((p) => p !== "AuditLog.Read.All") },
      // Everything but the authentication method configurations: the Temporary Access Pass call must fail with 403.
      { appId: noMethodPolicyApp.appId, secrets: [{ keyId: randomUUID(), secretText: noMethodPolicyApp.secret }], permissions: allRead.filter((p) => p !== "Policy.Read.AuthenticationMethod") },
      // No policy permission at all: each policy call must fail, naming its least-privileged permission.
      { appId: noPolicyApp.appId, secrets: [{ keyId: randomUUID(), secretText: noPolicyApp.secret }], permissions: allRead.filter((p) => !p.startsWith("Policy.")) },
      // The authentication method permission alone: both authentication methods calls succeed.
      { appId: methodPolicyOnlyApp.appId, secrets: [{ keyId: randomUUID(), secretText: methodPolicyOnlyApp.secret }], permissions: allRead.filter((p) => p !== "Policy.Read.All") },
      // Everything but the administrative units: the scoped User Administrator's unit must fail with 403.
      { appId: noUnitsApp.appId, secrets: [{ keyId: randomUUID(), secretText: noUnitsApp.secret }], permissions: allRead.filter((p) => p !== "AdministrativeUnit.Read.All") },
    ],
    managedIdentity: { header: randomUUID(), clientId: managedIdentityClient, permissions: allRead },
    maxPageSize: 2,
  }).start();
});
afterAll(async () => graph?.stop());
afterEach(() => graph.setFaults([]));

/** A CI provider's OIDC token (what GitHub Actions writes for azure/login), signed by the test issuer. */
function federatedTokenFile(claims: { sub?: string } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const body = `${encode({ alg: "RS256", typ: "JWT", kid: "ci" })}.${encode({ iss: oidc.issuer, sub: oidc.subject, aud: oidc.audience, iat: now, nbf: now, exp: now + 600, ...claims })}`;
  const jwt = `${body}.${sign("sha256", Buffer.from(body), oidcKeys.privateKey).toString("base64url")}`;
  const file = join(pki.dir, `oidc-${randomUUID()}.jwt`);
  writeFileSync(file, jwt);
  return file;
}

const errorOf = (part: SourcePart, step: string) => part.source.errors.find((e) => e.step === step);
const queryOf = (part: SourcePart, step: string) => part.source.queries.find((q) => q.step === step);

function collectLive(settings: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = { READER_SECRET: reader.secret }, progress = { step() {}, tick() {} }): Promise<SourcePart> {
  return entraCollector.collect({
    source: { id: "cloud", kind: "entra", tenantId, clientId: reader.appId, clientSecretEnv: "READER_SECRET", authorityHost: graph.url, graphBaseUrl: graph.url, timeoutMs: 5000, ...settings },
    configDir: fixtures,
    env,
    progress,
    log() {},
  });
}

function collectFiles(): Promise<SourcePart> {
  return entraCollector.collect({ source: { id: "cloud", kind: "entra", dir: "." }, configDir: fixtures, env: {}, progress: { step() {}, tick() {} }, log() {} });
}

describe("Entra live collection through @microsoft/microsoft-graph-client", () => {
  it("signs in with a client secret and reads the tenant the exports hold", async () => {
    const live = await collectLive();
    const file = await collectFiles();
    expect(live.source.errors).toEqual([]);
    expect(live.source).toMatchObject({ transport: "live", status: "ok", endpoint: graph.url });
    const strip = (p: SourcePart) => ({ ...p, source: { ...p.source, transport: "", endpoint: "", collectedAt: "", queries: p.source.queries.map(({ durationMs: _d, pages: _p, ...q }) => q) } });
    expect(strip(live)).toEqual(strip(file));
  });

  it("asks for a collection's next page before it normalizes the page it has (the server prepares one while credgov works on the other)", async () => {
    // Requests as Node's HTTP client starts them, and pages as the collector finishes them, in one timeline.
    const timeline: string[] = [];
    const started = (message: unknown) => timeline.push(`request ${(message as { request: { path: string } }).request.path}`);
    diagnostics.subscribe("http.client.request.start", started);
    try {
      const part = await collectLive({}, undefined, { step() {}, tick: () => void timeline.push("page done") });
      expect(part.source.status).toBe("ok");
    } finally {
      diagnostics.unsubscribe("http.client.request.start", started);
    }
    // The users' first page comes in the $batch; the request for their second page is on its
    // way before any page is normalized.
    const firstPageDone = timeline.indexOf("page done");
    const secondUsersPage = timeline.findIndex((e) => e.startsWith("request /v1.0/users?") && e.includes("skip"));
    expect(secondUsersPage).toBeGreaterThan(-1);
    expect(secondUsersPage).toBeLessThan(firstPageDone);
  });
});


describe("Entra sign-in with each @azure/identity credential", () => {
  it("signs in with a certificate: the assertion is verified against the registered public certificate", async () => {
    const part = await collectLive({ clientId: certApp, clientSecretEnv: undefined, certificate: { file: certificate.file } }, {});
    expect(part.source.errors).toEqual([]);
    expect(part.source.status).toBe("ok");
    expect(part.accounts.length).toBeGreaterThan(5);
  });

  it("refuses a certificate the application does not hold: the source is an error naming the AADSTS code", async () => {
    const part = await collectLive({ clientId: certApp, clientSecretEnv: undefined, certificate: { file: unregistered.file } }, {});
    expect(part.source.status).toBe("error");
    expect(part.source.errors[0]).toMatchObject({ step: "sign-in", code: "auth" });
    expect(part.source.errors[0].message).toMatch(/AADSTS700027/);
    expect(part.accounts).toEqual([]);
  });

  it("signs in by workload identity federation from AZURE_* variables alone (CI OIDC token file)", async () => {
    const env = { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: federatedApp, AZURE_FEDERATED_TOKEN_FILE: federatedTokenFile() };
    const part = await collectLive({ tenantId: undefined, clientId: undefined, clientSecretEnv: undefined }, env);
    expect(part.source.errors).toEqual([]);
    expect(part.source.status).toBe("ok");
  });

  it("refuses a federated token for another subject (no matching federated identity credential)", async () => {
    const file = federatedTokenFile({ sub: "repo:fixture-org/other:ref:refs/heads/main" });
    const part = await collectLive({ clientId: federatedApp, clientSecretEnv: undefined, auth: "workloadIdentity", federatedTokenFile: file }, {});
    expect(part.source.status).toBe("error");
    expect(part.source.errors[0].message).toMatch(/AADSTS700213/);
  });

  it("signs in with a managed identity (App Service identity endpoint)", async () => {
    const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
    process.env.IDENTITY_ENDPOINT = `${graph.url}/msi/token`;
    process.env.IDENTITY_HEADER = graph.options.managedIdentity!.header;
    try {
      const part = await collectLive({ clientId: undefined, clientSecretEnv: undefined, auth: "managedIdentity" }, {});
      expect(part.source.errors).toEqual([]);
      expect(part.source.status).toBe("ok");
    } finally {
      for (const [key, value] of [["IDENTITY_ENDPOINT", saved.endpoint], ["IDENTITY_HEADER", saved.header]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it("reports a wrong client secret as a failed source without echoing the secret", async () => {
    const wrong = `wrong-${randomUUID()}`;
    const part = await collectLive({}, { READER_SECRET: wrong });
    expect(part.source.status).toBe("error");
    expect(part.source.errors[0].message).toMatch(/AADSTS7000215/);
    expect(JSON.stringify(part)).not.toContain(wrong);
  });
});

describe("Entra live failure modes", () => {
  it("fetches the first page of all ten calls in one $batch, then follows @odata.nextLink", async () => {
    graph.requests.length = 0;
    const part = await collectLive();
    expect(part.source.status).toBe("ok");
    const batched = graph.requests.filter((r) => r.batched);
    expect(batched).toHaveLength(10);
    expect(graph.requests.filter((r) => r.path === "/v1.0/$batch")).toHaveLength(1);
    const users = queryOf(part, "users")!;
    expect(users).toMatchObject({ resultCount: 6, pages: 3, status: "ok" });
    // Only the later pages travel alone, each one by its @odata.nextLink ($skiptoken), and the
    // members of the one administrative unit a resetter is scoped to, which the role assignments name.
    const unitMembers = "/v1.0/directory/administrativeUnits/77777777-0000-4000-8000-000000000001/members?$select=id&$top=999";
    const alone = graph.requests.filter((r) => !r.batched && r.path.startsWith("/v1.0/") && r.path !== "/v1.0/$batch" && r.path !== unitMembers);
    expect(alone.length).toBeGreaterThan(0);
    expect(alone.every((r) => r.path.includes("$skiptoken="))).toBe(true);
    expect(graph.requests.filter((r) => r.path === unitMembers)).toHaveLength(1);
  });

  it("a 403 on one call makes the source partial and names the missing application permission", async () => {
    const part = await collectLive({ clientId: limitedApp.appId }, { READER_SECRET: limitedApp.secret });
    expect(part.source.status).toBe("partial");
    expect(part.source.errors).toHaveLength(1);
    const error = errorOf(part, "userRegistrationDetails")!;
    expect(error).toMatchObject({ code: "http-403", call: "GET /v1.0/reports/authenticationMethods/userRegistrationDetails?$top=999" });
    expect(error.message).toMatch(/HTTP 403 Authorization_RequestDenied/);
    expect(error.message).toMatch(/application permission AuditLog\.Read\.All/);
    expect(error.affects).toContain("settings.ssprEnabled");
    // What the failed call would have given is unknown, not false.
    expect(part.settings.ssprEnabled).toBeNull();
    expect(part.accounts.find((a) => a.kind === "human")!.ssprRegistered).toBeNull();
    expect(queryOf(part, "users")!.status).toBe("ok");
  });

  it("a 403 on the Temporary Access Pass policy names Policy.Read.AuthenticationMethod and leaves the reset paths unknown", async () => {
    const part = await collectLive({ clientId: noMethodPolicyApp.appId }, { READER_SECRET: noMethodPolicyApp.secret });
    expect(part.source.status).toBe("partial");
    expect(part.source.errors).toHaveLength(1);
    const error = errorOf(part, "temporaryAccessPass")!;
    expect(error).toMatchObject({ code: "http-403", call: "GET /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass" });
    expect(error.message).toMatch(/application permission Policy\.Read\.AuthenticationMethod/);
    // The reset controls read resetPaths: they report error for this source, never a pass.
    expect(error.affects).toEqual(["resetPaths", "settings.temporaryAccessPass"]);
    expect(part.settings.temporaryAccessPass).toBeNull();
    expect(part.resetPaths.some((p) => p.mechanism === "temporary-access-pass")).toBe(false);
    expect(part.resetPaths.some((p) => p.mechanism === "helpdesk")).toBe(true);
  });

  it("a 403 on the members of the unit a resetter is scoped to names AdministrativeUnit.Read.All and leaves the reset paths unknown", async () => {
    const part = await collectLive({ clientId: noUnitsApp.appId }, { READER_SECRET: noUnitsApp.secret });
    expect(part.source.status).toBe("partial");
    expect(part.source.errors).toHaveLength(1);
    const error = errorOf(part, "administrativeUnitMembers")!;
    expect(error).toMatchObject({ code: "http-403", call: "GET /v1.0/directory/administrativeUnits/77777777-0000-4000-8000-000000000001/members?$select=id&$top=999", affects: ["resetPaths"] });
    expect(error.message).toMatch(/application permission AdministrativeUnit\.Read\.All \(/);
    // No path is guessed for the unit's administrator.
    expect(part.resetPaths.some((p) => p.actor.name === "User Administrator")).toBe(false);
  });

  it("each policy call's 403 names its own least-privileged permission: Policy.Read.AuthenticationMethod for the authentication methods policy", async () => {
    const part = await collectLive({ clientId: noPolicyApp.appId }, { READER_SECRET: noPolicyApp.secret });
    expect(part.source.status).toBe("partial");
    expect(part.source.errors.map((e) => e.step).sort()).toEqual(["authenticationMethodsPolicy", "authorizationPolicy", "temporaryAccessPass"]);
    expect(errorOf(part, "authenticationMethodsPolicy")!.message).toMatch(/application permission Policy\.Read\.AuthenticationMethod \(/);
    expect(errorOf(part, "temporaryAccessPass")!.message).toMatch(/application permission Policy\.Read\.AuthenticationMethod \(/);
    expect(errorOf(part, "authorizationPolicy")!.message).toMatch(/application permission Policy\.Read\.All \(/);
    // Policy.Read.AuthenticationMethod alone reads both authentication methods calls.
    const least = await collectLive({ clientId: methodPolicyOnlyApp.appId }, { READER_SECRET: methodPolicyOnlyApp.secret });
    expect(least.source.errors.map((e) => e.step)).toEqual(["authorizationPolicy"]);
    expect(queryOf(least, "authenticationMethodsPolicy")!.status).toBe("ok");
    expect(queryOf(least, "temporaryAccessPass")!.status).toBe("ok");
  });

  it("rides out a throttling storm (429 and 503 with Retry-After) and completes", async () => {
    graph.setFaults([
      { path: "/$batch", kind: "throttle", times: 1, retryAfter: 1 },
      { path: "/users", kind: "throttle", times: 2, retryAfter: 1, laterPagesOnly: true },
      { path: "/servicePrincipals", kind: "unavailable", times: 1, retryAfter: 1, laterPagesOnly: true },
    ]);
    graph.requests.length = 0;
    const started = Date.now();
    const part = await collectLive();
    expect(part.source.errors).toEqual([]);
    expect(part.source.status).toBe("ok");
    expect(graph.requests.filter((r) => r.status === 429)).toHaveLength(3);
    expect(graph.requests.filter((r) => r.status === 503)).toHaveLength(1);
    // Retry-After was honoured: the batch waited a second, then the users pages another two.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it("gives up on a throttled call after maxRetries: partial, with the call and status", async () => {
    graph.setFaults([{ path: "/servicePrincipals", kind: "throttle", retryAfter: 1, laterPagesOnly: true }]);
    const part = await collectLive({ maxRetries: 1 });
    expect(part.source.status).toBe("partial");
    const error = errorOf(part, "servicePrincipals")!;
    expect(error.code).toBe("http-429");
    expect(error.message).toMatch(/^GET \/v1\.0\/servicePrincipals\?\$select=.* failed on page 2 \(after 2 results\): HTTP 429 TooManyRequests/);
    expect(queryOf(part, "servicePrincipals")).toMatchObject({ status: "partial", pages: 1, resultCount: 2 });
  });

  it("a server error mid-paging leaves that collection partial and the rest complete", async () => {
    graph.setFaults([{ path: "/users", kind: "server-error", laterPagesOnly: true }]);
    const part = await collectLive();
    expect(part.source.status).toBe("partial");
    expect(errorOf(part, "users")).toMatchObject({ code: "http-500" });
    expect(part.settings.onPremisesSyncEnabled).toBeNull();
    expect(queryOf(part, "applications")!.status).toBe("ok");
  });

  it("retries a connection cut mid-page, and reports it when it keeps happening", async () => {
    graph.setFaults([{ path: "/users", kind: "cut", times: 1, laterPagesOnly: true }]);
    const recovered = await collectLive();
    expect(recovered.source.status).toBe("ok");
    expect(queryOf(recovered, "users")).toMatchObject({ resultCount: 6, status: "ok" });

    graph.setFaults([{ path: "/users", kind: "cut", laterPagesOnly: true }]);
    const cut = await collectLive();
    expect(cut.source.status).toBe("partial");
    expect(errorOf(cut, "users")).toMatchObject({ code: "network" });
    expect(errorOf(cut, "users")!.message).toMatch(/no response/);
  });

  it("times out on a silent server instead of hanging", async () => {
    graph.setFaults([{ path: "/roleManagement/directory/roleAssignments", kind: "silent", laterPagesOnly: true }]);
    const part = await collectLive({ timeoutMs: 400 });
    expect(part.source.status).toBe("partial");
    expect(errorOf(part, "roleAssignments")).toMatchObject({ code: "timeout" });
    expect(errorOf(part, "roleAssignments")!.message).toMatch(/no response within 400 ms/);
    // Privilege comes from role assignments: unknown, so the affected areas are named.
    expect(errorOf(part, "roleAssignments")!.affects).toContain("accounts.privileged");
  });

  it("a page whose body is not JSON is a failed call: partial, named, none of the body quoted", async () => {
    graph.setFaults([{ path: "/users", kind: "malformed", laterPagesOnly: true, times: 1 }]);
    const part = await collectLive();
    expect(part.source.status).toBe("partial");
    const error = errorOf(part, "users")!;
    expect(error.code).toBe("invalid-json");
    expect(error.message).toMatch(/^GET \/v1\.0\/users\?\$select=.* failed on page 2 \(after 2 results\): HTTP 200 invalid-json: the response body \(\d+ bytes\) is not valid JSON/);
    expect(error.message).not.toMatch(/\$metadata|@odata\.context/);
    expect(queryOf(part, "users")).toMatchObject({ status: "partial", pages: 1, resultCount: 2 });
    expect(queryOf(part, "applications")!.status).toBe("ok");
  });

  it("a page naming two different @odata.nextLink is a failed call, not a guess at which to follow", async () => {
    graph.setFaults([{ path: "/users", kind: "repeated-next-link", laterPagesOnly: true, times: 1 }]);
    const part = await collectLive();
    expect(part.source.status).toBe("partial");
    expect(errorOf(part, "users")).toMatchObject({ code: "invalid-response" });
    expect(errorOf(part, "users")!.message).toMatch(/failed on page 2 \(after 2 results\): HTTP 200 invalid-response: the response gives @odata.nextLink twice, with different values/);
  });

  it("an object listed twice while paging fails its call at that object (partial), never two accounts with one id", async () => {
    // users: the collection's first user again on a later page; applications and service
    // principals (one page, in the $batch): their first object again on the same page.
    const cases = [
      ["/users", "users", true, /the users collection listed object [0-9a-f-]+ twice \(it changed while it was paged\)/],
      ["/applications", "applications", false, /value\[\d+\]\.id: repeats the id of value\[0\]: the list holds this object twice/],
      ["/servicePrincipals", "servicePrincipals", false, /value\[\d+\]\.id: repeats the id of value\[0\]: the list holds this object twice/],
    ] as const;
    for (const [path, step, laterPagesOnly, message] of cases) {
      graph.setFaults([{ path, kind: "repeated-item", times: 1, laterPagesOnly }]);
      const part = await collectLive();
      expect(part.source.status, step).toBe("partial");
      expect(errorOf(part, step), step).toMatchObject({ code: "invalid-response" });
      expect(errorOf(part, step)!.message).toMatch(message);
      const ids = part.accounts.map((a) => a.id);
      expect(new Set(ids).size, step).toBe(ids.length);
    }
    graph.setFaults([]);
  });

  it("follows an @odata.nextLink written after value (OData allows either place) to the same snapshot", async () => {
    graph.options.nextLinkAfterValue = true;
    try {
      const live = await collectLive();
      expect(live.source.status).toBe("ok");
      expect(queryOf(live, "users")).toMatchObject({ resultCount: 6, pages: 3, status: "ok" });
      const file = await collectFiles();
      expect(live.accounts).toEqual(file.accounts);
      expect(live.resetPaths).toEqual(file.resetPaths);
    } finally {
      graph.options.nextLinkAfterValue = false;
    }
  });

  it("a token rejected mid-run (401) is a failed call, not a silent gap", async () => {
    graph.setFaults([{ path: "/servicePrincipals", kind: "unauthorized", laterPagesOnly: true }]);
    const part = await collectLive();
    expect(part.source.status).toBe("partial");
    expect(errorOf(part, "servicePrincipals")).toMatchObject({ code: "http-401" });
    expect(errorOf(part, "servicePrincipals")!.message).toMatch(/HTTP 401 InvalidAuthenticationToken: .*; the access token was rejected/);
    expect(JSON.stringify(part)).not.toContain(reader.secret);
  });
});
