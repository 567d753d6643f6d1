// A live call reads at most `pagesAhead` pages ahead of its handler: while its gate is closed
// (applications wait for users) it stops requesting pages, and once the gate opens every page
// reaches the handler in order. Real @microsoft/microsoft-graph-client against the Graph fixture.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { EntraLiveCalls, pagesAhead } from "../../../src/collectors/entra/live-calls.ts";
import { graphSessionFor } from "../../../src/collectors/entra/live-session-config.ts";
import type { GraphBody } from "../../../src/collectors/entra/live-graph-session.ts";
import { GraphFixtureServer } from "../../fixture-servers/graph-server.ts";
import { tenantFromExports } from "../../fixture-servers/graph-export-data.ts";
import { createTestPki, trustTestCa } from "../../fixture-servers/test-pki.ts";

const fixtures = new URL("../../fixtures/entra/", import.meta.url).pathname;
const tenantId = "aaaaaaaa-0000-4000-8000-00000000000a";
const reader = { appId: "cccccccc-0000-4000-8000-00000000000c", secret: `s3cret-${randomUUID()}` };
let graph: GraphFixtureServer;

beforeAll(async () => {
  const pki = createTestPki();
  trustTestCa(pki);
  // One user per page: the fixture tenant's six users are six pages.
  graph = await new GraphFixtureServer({
    pki,
    tenantId,
    data: tenantFromExports(fixtures),
    clients: [{ appId: reader.appId, secrets: [{ keyId: randomUUID(), secretText: reader.secret }], permissions: ["User.Read.All"] }],
    maxPageSize: 1,
  }).start();
});
afterAll(async () => graph?.stop());

describe("live Entra paging", () => {
  it(`reads at most ${pagesAhead} pages ahead of a closed gate, then hands over every page in order`, async () => {
    const source = { id: "cloud", kind: "entra" as const, tenantId, clientId: reader.appId, clientSecretEnv: "READER_SECRET", authorityHost: graph.url, graphBaseUrl: graph.url, timeoutMs: 5000 };
    const session = graphSessionFor(source, { READER_SECRET: reader.secret }, fixtures);
    await session.signIn();
    const calls = new EntraLiveCalls(session, { step() {}, tick() {} });
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const seen: string[] = [];
    const userPages = () => graph.requests.filter((r) => r.path.startsWith("/v1.0/users")).length;
    graph.requests.length = 0;
    const read = calls.read("users", { gate, page: (body: GraphBody) => void seen.push(...(body.value as { id: string }[]).map((u) => u.id)) });

    while (userPages() < pagesAhead) await sleep(10);
    // Time enough for more requests, were any to be sent.
    await sleep(300);
    expect(userPages()).toBe(pagesAhead);
    expect(seen).toEqual([]);

    open();
    await expect(read).resolves.toEqual({ complete: true });
    expect(userPages()).toBe(6);
    const inExport = tenantFromExports(fixtures).users!;
    expect(seen).toEqual(Array.from({ length: inExport.size }, (_, i) => inExport.at(i).id));
  });
});
