// A live call reads at most `pagesAhead` pages ahead of its handler: while its gate is closed
// (applications wait for users) it stops requesting pages, and once the gate opens every page
// reaches the handler in order. Real @microsoft/microsoft-graph-client against the Graph fixture.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setTimeout as sleep } from "node:timers/promises";
import { EntraLiveCalls, pagesAhead } from "../../../src/collectors/entra/live-calls.ts";
import { graphSessionFor } from "../../../src/collectors/entra/live-session-config.ts";
import type { GraphBody } from "../../../src/collectors/entra/live-graph-session.ts";
import type { GraphFixtureServer } from "../../fixture-servers/graph-server.ts";
import { tenantFromExports } from "../../fixture-servers/graph-export-data.ts";
import { fixtures, newReader, startReaderGraph, tenantId } from "./reader-graph.ts";

const reader = newReader();
let graph: GraphFixtureServer;

beforeAll(async () => {
  // One user per page: the fixture tenant's six users are six pages.
  graph = await startReaderGraph(reader, { maxPageSize: 1 });
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
