import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { entraCollector } from "../../src/collectors/entra/collector.ts";
import type { SourcePart } from "../../src/collectors/collector.ts";
import { GraphFixtureServer } from "../fixture-servers/graph-server.ts";
import { tenantFromExports } from "../fixture-servers/graph-export-data.ts";
import { createTestPki, trustTestCa, type TestPki } from "../fixture-servers/test-pki.ts";

const fixtures = new URL("../fixtures/entra/", import.meta.url).pathname;
const tenantId = "aaaaaaaa-0000-4000-8000-00000000000a";
const reader = { appId: "cccccccc-0000-4000-8000-00000000000c", secret: `s3cret-${randomUUID()}` };
const allRead = ["User.Read.All", "Domain.Read.All", "Policy.Read.All", "AuditLog.Read.All", "OnPremDirectorySynchronization.Read.All", "Application.Read.All", "RoleManagement.Read.Directory"];

let pki: TestPki;
let graph: GraphFixtureServer;

beforeAll(async () => {
  pki = createTestPki();
  trustTestCa(pki);
  graph = await new GraphFixtureServer({
    pki,
    tenantId,
    data: tenantFromExports(fixtures),
    clients: [{ appId: reader.appId, secrets: [{ keyId: randomUUID(), secretText: reader.secret }], permissions: allRead }],
    maxPageSize: 2,
  }).start();
});
afterAll(async () => graph?.stop());

function collectLive(settings: Record<string, unknown> = {}, env: NodeJS.ProcessEnv = { READER_SECRET: reader.secret }): Promise<SourcePart> {
  return entraCollector.collect({
    source: { id: "cloud", kind: "entra", tenantId, clientId: reader.appId, clientSecretEnv: "READER_SECRET", authorityHost: graph.url, graphBaseUrl: graph.url, timeoutMs: 5000, ...settings },
    configDir: fixtures,
    env,
    progress: { step() {}, tick() {} },
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
});

describe("debug", () => {
  it("prints", async () => {
    graph.requests.length = 0;
    await collectLive();
    console.log(graph.requests.map((r) => `${r.batched ? "  [b] " : ""}${r.method} ${r.path.slice(0, 90)} ${r.status}`).join("\n"));
  });
});
