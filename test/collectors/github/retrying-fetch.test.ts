// The fetch that carries @octokit/plugin-retry's policy in place of the plugin, through the real
// octokit (plugin disabled) against a local HTTP server that answers from a script per path.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "octokit";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { retryingFetch } from "../../../src/collectors/github/retrying-fetch.ts";

type Reply = (res: ServerResponse) => void;
const json = (status: number, body: unknown): Reply => (res) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
const cut: Reply = (res) => res.socket?.destroy();

let scripts = new Map<string, Reply[]>();
const hits = new Map<string, number>();
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  hits.set(path, (hits.get(path) ?? 0) + 1);
  req.resume();
  const script = scripts.get(path) ?? [];
  (script.length > 1 ? script.shift()! : (script[0] ?? json(404, { message: "Not Found" })))(res);
});
let baseUrl = "";
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  scripts = new Map();
  hits.clear();
});

const client = (retries = 2, send: typeof fetch = fetch) =>
  new Octokit({ baseUrl, retry: { enabled: false }, throttle: { enabled: false }, request: { fetch: retryingFetch(2_000, { retries, retryAfterBaseMs: 1 }, send) } });

describe("retryingFetch (octokit's retry policy)", () => {
  it("retries server errors and cut connections, then answers", async () => {
    scripts.set("/orgs/a", [json(502, { message: "Bad Gateway" }), cut, json(200, { login: "a" })]);
    const response = await client().request("GET /orgs/{org}", { org: "a" });
    expect(response.data).toEqual({ login: "a" });
    expect(hits.get("/orgs/a")).toBe(3);
  });

  it("gives up after `retries` retries with the last answer's status", async () => {
    scripts.set("/orgs/b", [json(503, { message: "Unavailable" })]);
    await expect(client().request("GET /orgs/{org}", { org: "b" })).rejects.toMatchObject({ status: 503 });
    expect(hits.get("/orgs/b")).toBe(3);
  });

  it("does not retry the statuses the plugin does not retry", async () => {
    for (const status of [400, 401, 403, 404, 410, 422, 451]) {
      scripts.set(`/orgs/s${status}`, [json(status, { message: `status ${status}` })]);
      await expect(client().request("GET /orgs/{org}", { org: `s${status}` })).rejects.toMatchObject({ status });
      expect(hits.get(`/orgs/s${status}`)).toBe(1);
    }
    scripts.set("/orgs/s429", [json(429, { message: "slow down" }), json(200, { login: "s429" })]);
    await expect(client().request("GET /orgs/{org}", { org: "s429" })).resolves.toMatchObject({ status: 200 });
    expect(hits.get("/orgs/s429")).toBe(2);
  });

  it("retries a GraphQL reply whose error is GitHub's server error, not other GraphQL errors", async () => {
    scripts.set("/graphql", [json(200, { errors: [{ message: "Something went wrong while executing your query. Please try again." }] }), json(200, { data: { viewer: { login: "me" } } })]);
    await expect(client().graphql("query { viewer { login } }")).resolves.toEqual({ viewer: { login: "me" } });
    expect(hits.get("/graphql")).toBe(2);

    hits.clear();
    scripts.set("/graphql", [json(200, { errors: [{ type: "NOT_FOUND", message: "Could not resolve to an Organization" }] })]);
    await expect(client().graphql("query { organization(login: \"x\") { login } }")).rejects.toThrow(/Could not resolve/);
    expect(hits.get("/graphql")).toBe(1);
  });

  it("does not retry a request its caller aborted", async () => {
    scripts.set("/orgs/c", [json(500, { message: "boom" })]);
    const controller = new AbortController();
    controller.abort();
    // Attempts are counted at the fetch beneath: an aborted request never reaches the server,
    // so the server's count could not tell one attempt from three.
    let attempts = 0;
    const counting: typeof fetch = (input, init) => (attempts++, fetch(input, init));
    await expect(client(2, counting).request("GET /orgs/{org}", { org: "c", request: { signal: controller.signal } })).rejects.toThrow();
    expect(attempts).toBe(1);
    expect(hits.get("/orgs/c") ?? 0).toBe(0);
  });
});
