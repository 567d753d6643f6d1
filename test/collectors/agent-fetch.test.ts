// The fetch over node:https / node:http that octokit is given: against local HTTP and HTTPS
// servers, each answer compared with what Node's own fetch gives for the same request (status,
// headers, final URL, body, what the server received), plus aborts, timeouts, cut connections and
// connection reuse.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import * as zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentFetch } from "../../src/collectors/agent-fetch.ts";
import { parseJsonBody } from "../../src/io/json-body-pieces.ts";
import { createTestPki, trustTestCa } from "../fixture-servers/test-pki.ts";

interface Received {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

const received: Received[] = [];
let connections = 0;
let origin = "";
let otherOrigin = "";
let secureOrigin = "";

const json = '{"login":"rené","ok":true}';
function handler(req: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const url = new URL(req.url ?? "/", "http://x");
    received.push({ method: req.method ?? "", path: url.pathname + url.search, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
    const to = url.searchParams.get("to") ?? "";
    switch (url.pathname) {
      case "/json":
        res.writeHead(200, "Fine", [["content-type", "application/json; charset=utf-8"], ["x-multi", "a"], ["x-multi", "b"], ["set-cookie", "a=1"], ["set-cookie", "b=2"], ["link", '<http://x/next>; rel="next"']]);
        return void res.end(json);
      case "/echo":
        return void res.writeHead(201, { "content-type": "text/plain" }).end(`${req.method} ${Buffer.concat(chunks).toString("utf8")}`);
      case "/gzip":
        return void res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" }).end(zlib.gzipSync(json));
      case "/deflate":
        return void res.writeHead(200, { "content-type": "application/json", "content-encoding": "deflate" }).end(zlib.deflateSync(json));
      case "/deflate-raw":
        return void res.writeHead(200, { "content-type": "application/json", "content-encoding": "deflate" }).end(zlib.deflateRawSync(json));
      case "/br":
        return void res.writeHead(200, { "content-type": "application/json", "content-encoding": "br" }).end(zlib.brotliCompressSync(json));
      case "/unknown-coding":
        return void res.writeHead(200, { "content-encoding": "x-made-up" }).end("as sent");
      case "/empty":
        return void res.writeHead(204).end();
      case "/not-found":
        return void res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
      case "/redirect":
        return void res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: to || "/json" }).end();
      case "/loop":
        return void res.writeHead(302, { location: "/loop" }).end();
      case "/cut":
        return void res.socket?.destroy();
      case "/cut-body":
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"partial":');
        return void setTimeout(() => res.socket?.destroy(), 20);
      case "/stall-body":
        res.writeHead(200, { "content-type": "application/json" });
        return void res.write('{"partial":');
      case "/silent":
        return;
      default:
        return void res.writeHead(500).end();
    }
  });
}

const servers: Server[] = [];
async function listen(server: Server, scheme: string): Promise<string> {
  servers.push(server);
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  origin = await listen(createHttpServer(handler), "http");
  otherOrigin = await listen(createHttpServer(handler), "http");
  const pki = createTestPki();
  trustTestCa(pki);
  secureOrigin = await listen(createHttpsServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, handler), "https");
});
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** What a caller can see of a response, and what the server was sent. */
async function observed(send: typeof fetch, url: string, init?: RequestInit) {
  received.length = 0;
  const response = await send(url, init);
  const body = response.body === null ? null : await response.text();
  const headers = [...response.headers].filter(([name]) => name !== "date" && name !== "keep-alive" && name !== "connection");
  const sent = received.map((r) => ({ method: r.method, path: r.path, body: r.body, authorization: r.headers.authorization, contentType: r.headers["content-type"], accept: r.headers.accept, acceptEncoding: r.headers["accept-encoding"] }));
  return { status: response.status, statusText: response.statusText, ok: response.ok, url: response.url, redirected: response.redirected, headers, setCookie: response.headers.getSetCookie(), body, sent };
}

describe("agentFetch", () => {
  const send = agentFetch();

  it.each([
    ["a JSON reply with repeated headers", "/json", undefined],
    ["a 404", "/not-found", undefined],
    ["a 204 without body", "/empty", undefined],
    ["a POST with a string body", "/echo", { method: "POST", body: '{"query":"q"}', headers: { "content-type": "application/json", authorization: "token t" } }],
    ["a PUT with a byte body", "/echo", { method: "put", body: new TextEncoder().encode("bytes é") }],
    ["a gzip body", "/gzip", undefined],
    ["a zlib deflate body", "/deflate", undefined],
    ["a raw deflate body", "/deflate-raw", undefined],
    ["a brotli body", "/br", undefined],
    ["a body in an unknown coding", "/unknown-coding", undefined],
    ["the caller's own headers", "/json", { headers: { accept: "application/vnd.github+json", "accept-encoding": "identity", "User-Agent": "octokit" } }],
    ["a 302 followed", "/redirect?status=302", { headers: { authorization: "token t" } }],
    ["a 301 after a POST, followed as a GET", "/redirect?status=301&to=/echo", { method: "POST", body: "data", headers: { "content-type": "text/plain" } }],
    ["a 303 after a PUT, followed as a GET", "/redirect?status=303&to=/echo", { method: "PUT", body: "data", headers: { "content-type": "text/plain" } }],
    ["a 307 after a POST, followed with its body", "/redirect?status=307&to=/echo", { method: "POST", body: "data", headers: { "content-type": "text/plain" } }],
    ["a 308 not followed (manual)", "/redirect?status=308", { redirect: "manual" as const }],
  ])("answers %s as Node's fetch does", async (_name, path, init) => {
    for (const base of [origin, secureOrigin]) {
      const expected = await observed(fetch, `${base}${path}`, init);
      expect(await observed(send, `${base}${path}`, init)).toEqual(expected);
    }
  });

  it("drops Authorization on a redirect to another origin, as fetch does", async () => {
    const url = `${origin}/redirect?to=${encodeURIComponent(`${otherOrigin}/json`)}`;
    const init = { headers: { authorization: "token secret" } };
    const expected = await observed(fetch, url, init);
    const actual = await observed(send, url, init);
    expect(actual).toEqual(expected);
    expect(actual.sent.map((s) => s.authorization)).toEqual(["token secret", undefined]);
  });

  it("refuses a redirect when told to, and a redirect loop, as failed fetches", async () => {
    await expect(send(`${origin}/redirect`, { redirect: "error" })).rejects.toMatchObject({ name: "TypeError", message: "fetch failed" });
    received.length = 0;
    await expect(send(`${origin}/loop`)).rejects.toMatchObject({ name: "TypeError", message: "fetch failed" });
    expect(received).toHaveLength(21);
  });

  it("rejects with the signal's reason: aborted before, timed out waiting for headers, timed out in the body", async () => {
    const aborted = new AbortController();
    aborted.abort(new Error("stop"));
    await expect(send(`${origin}/json`, { signal: aborted.signal })).rejects.toThrow("stop");
    for (const path of ["/silent", "/stall-body"]) {
      const started = performance.now();
      await expect(send(`${origin}${path}`, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: "TimeoutError" });
      expect(performance.now() - started).toBeLessThan(2_000);
    }
  });

  it("fails a cut connection as fetch does, before the reply and in the middle of the body", async () => {
    await expect(send(`${origin}/cut`)).rejects.toMatchObject({ name: "TypeError", message: "fetch failed", cause: expect.any(Error) });
    await expect(fetch(`${origin}/cut`)).rejects.toMatchObject({ name: "TypeError", message: "fetch failed" });
    await expect(send(`${origin}/cut-body`)).rejects.toMatchObject({ name: "TypeError", message: "fetch failed", cause: expect.any(Error) });
  });

  it("parses json() with the parser it is given, and then counts the body as read, as fetch does", async () => {
    const parsed: number[] = [];
    const own = agentFetch({ parseJson: (chunks) => (parsed.push(chunks.length), parseJsonBody(chunks)) });
    for (const path of ["/json", "/gzip", "/not-found"]) {
      const mine = await own(`${secureOrigin}${path}`);
      const theirs = await fetch(`${secureOrigin}${path}`);
      await expect(mine.json()).resolves.toEqual(await theirs.json());
      expect(mine.bodyUsed).toBe(true);
      await expect(mine.json()).rejects.toThrow(TypeError);
      await expect(mine.text()).rejects.toThrow(TypeError);
    }
    expect(parsed).toHaveLength(3);
    // Other reads of the body are fetch's own.
    expect(await (await own(`${origin}/json`)).text()).toBe(json);
  });

  it("keeps one connection alive across requests made one after another", async () => {
    const own = agentFetch();
    await (await own(`${origin}/json`)).text();
    const before = connections;
    for (let i = 0; i < 5; i++) await (await own(`${origin}/json`)).text();
    expect(connections).toBe(before);
  });

  it("hands what it does not carry (a Request object) to Node's fetch", async () => {
    const response = await send(new Request(`${origin}/echo`, { method: "POST", body: "via request" }));
    expect(await response.text()).toBe("POST via request");
  });
});
