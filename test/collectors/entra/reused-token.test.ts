// A Graph session asks its @azure/identity credential for a token once and reuses it for every
// request (the Graph client's middleware asks for each one), and asks again shortly before the
// token expires: the credential then renews it with the identity platform. Real
// ClientSecretCredential, real Graph client, against the Graph fixture.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ClientSecretCredential, type GetTokenOptions, type TokenCredential } from "@azure/identity";
import { GraphSession } from "../../../src/collectors/entra/live-graph-session.ts";
import { renewBeforeExpiryMs } from "../../../src/collectors/entra/reused-token.ts";
import type { GraphFixtureServer } from "../../fixture-servers/graph-server.ts";
import { newReader, startReaderGraph, tenantId } from "./reader-graph.ts";

const reader = newReader();
let graph: GraphFixtureServer;

beforeAll(async () => {
  graph = await startReaderGraph(reader);
});
afterAll(async () => graph?.stop());
afterEach(() => vi.useRealTimers());

/** The real credential, counting how often it is asked for a token. */
function countedCredential(): { credential: TokenCredential; asked: () => number } {
  const real = new ClientSecretCredential(tenantId, reader.appId, reader.secret, { authorityHost: graph.url, disableInstanceDiscovery: true });
  let asked = 0;
  return {
    credential: { getToken: (scopes: string | string[], options?: GetTokenOptions) => (asked++, real.getToken(scopes, options)) },
    asked: () => asked,
  };
}

function session(credential: TokenCredential): GraphSession {
  return new GraphSession({ graphBaseUrl: graph.url, credential, concurrency: 4, timeoutMs: 5000, maxRetries: 0, retryDelaySeconds: 0, networkRetries: 0, secrets: [reader.secret] });
}
const tokenRequests = () => graph.requests.filter((r) => r.path.includes("/oauth2/v2.0/token")).length;

describe("Graph session token", () => {
  it("is asked of the credential once for sign-in and every request", async () => {
    const { credential, asked } = countedCredential();
    const graphSession = session(credential);
    await graphSession.signIn();
    const bodies = await Promise.all(Array.from({ length: 12 }, () => graphSession.get("/users?$select=id")));
    expect(bodies.every((b) => Array.isArray(b.value))).toBe(true);
    expect(asked()).toBe(1);
  });

  it(`is asked for again ${renewBeforeExpiryMs / 60_000} minutes before it expires, and renewed`, async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const { credential, asked } = countedCredential();
    const graphSession = session(credential);
    const before = tokenRequests();
    await graphSession.signIn();
    await graphSession.get("/users?$select=id");
    expect([asked(), tokenRequests() - before]).toEqual([1, 1]);
    // The fixture's tokens last 3599 s: one minute before the renewal point, still reused.
    vi.setSystemTime(Date.now() + 3599_000 - renewBeforeExpiryMs - 60_000);
    await graphSession.get("/users?$select=id");
    expect(asked()).toBe(1);
    // Past it: asked again, and the credential fetches a new token (the old one still works).
    vi.setSystemTime(Date.now() + 2 * 60_000);
    await graphSession.get("/users?$select=id");
    expect([asked(), tokenRequests() - before]).toEqual([2, 2]);
  });
});
