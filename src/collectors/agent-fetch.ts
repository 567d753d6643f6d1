// The fetch the live collectors send their requests with (octokit's documented `request.fetch`
// option beneath github/retrying-fetch.ts; the Graph client's last middleware,
// entra/agent-fetch-handler.ts): Node's own HTTP client (node:https, node:http) over one
// keep-alive agent, answering with a standard Response. Node's global fetch is undici's WHATWG fetch, whose
// request and response machinery (Request objects, header lists, web streams per body) cost
// about 0.1 ms of CPU per request more than node:https does for the same request (the 4,133
// requests of the cloud bench replayed 8 at a time: 1.3-1.7 s CPU against 0.9-1.1 s, this
// Response included; bench/cloud/README.md): a sixth of a GitHub collection's CPU.
//
// What a caller of fetch relies on is kept: the method, headers and body sent as given;
// redirects followed as fetch follows them (at most 20; 303, and 301/302 after a POST, become a
// GET without body; Authorization dropped when the origin changes), or returned (`manual`) or
// refused (`error`); gzip, deflate and brotli bodies decoded (asked for, as fetch asks);
// `response.url` the final URL; an abort rejects with the signal's reason (a TimeoutError for
// a timeout signal) at any point, body included; a network failure is fetch's
// `TypeError("fetch failed")` with the cause. The body is read before the promise resolves (a
// GitHub page is 100 items, a Graph page about 2 MB): a connection cut mid-body fails the request there, as a
// request without a response, rather than failing the body stream later. Inputs this does
// not carry (a Request object, a streamed, Blob or form body) go to the global fetch.
import * as http from "node:http";
import * as https from "node:https";
import { promisify } from "node:util";
import * as zlib from "node:zlib";

const maxRedirects = 20;
const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** Statuses whose Response has no body (the constructor refuses one). */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);
const decoders: Record<string, (body: Buffer) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  "x-gzip": promisify(zlib.gunzip),
  // fetch accepts zlib-wrapped and raw deflate alike.
  deflate: (body) => (body.length > 0 && (body[0] & 0x0f) === 8 ? promisify(zlib.inflate)(body) : promisify(zlib.inflateRaw)(body)),
  br: promisify(zlib.brotliDecompress),
};
/** What fetch sends when the caller leaves these out (brotli only over HTTPS, as fetch asks). */
const defaultHeaders = (secure: boolean) =>
  [
    ["accept", "*/*"],
    ["accept-encoding", secure ? "br, gzip, deflate" : "gzip, deflate"],
    ["user-agent", "node"],
  ] as const;

type Body = string | Uint8Array | null | undefined;

interface Attempt {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Body;
}

export interface AgentFetchOptions {
  /**
   * Parses a JSON body from the chunks received, for the response's `json()` (which must then
   * give what fetch's gives): a large body need not be joined into one buffer and one string.
   */
  parseJson?: (chunks: readonly Buffer[]) => unknown;
}

export function agentFetch(options: AgentFetchOptions = {}): typeof fetch {
  // Free sockets are unreferenced by the agent: they never keep the process alive. With
  // NODE_USE_ENV_PROXY set, the agent goes through HTTP(S)_PROXY as Node's fetch then does.
  const proxy = process.env.NODE_USE_ENV_PROXY ? { proxyEnv: process.env } : {};
  const agents = { "https:": new https.Agent({ keepAlive: true, ...proxy }), "http:": new http.Agent({ keepAlive: true, ...proxy }) };
  return async (input, init) => {
    const body = init?.body;
    if (input instanceof Request || !(body === undefined || body === null || typeof body === "string" || body instanceof Uint8Array)) return fetch(input, init);
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    let attempt: Attempt = { url: new URL(input), method: (init?.method ?? "GET").toUpperCase(), headers: headerRecord(init?.headers), body };
    // fetch's defaults for headers the caller leaves out.
    for (const [name, value] of defaultHeaders(attempt.url.protocol === "https:")) if (!Object.hasOwn(attempt.headers, name)) attempt.headers[name] = value;
    for (let redirects = 0; ; redirects++) {
      const reply = await send(attempt, agents, signal);
      const location = redirectStatuses.has(reply.status) ? reply.headers.find(([name]) => name.toLowerCase() === "location")?.[1] : undefined;
      if (location === undefined || init?.redirect === "manual") return await response(reply, attempt.url, redirects > 0, options.parseJson);
      if (init?.redirect === "error") throw new TypeError("fetch failed", { cause: new Error(`unexpected redirect to ${location}`) });
      if (redirects >= maxRedirects) throw new TypeError("fetch failed", { cause: new Error("redirect count exceeded") });
      attempt = redirected(attempt, reply.status, new URL(location, attempt.url));
      signal?.throwIfAborted();
    }
  };
}

/** The request a redirect leads to, as fetch builds it. */
function redirected(from: Attempt, status: number, url: URL): Attempt {
  const headers = { ...from.headers };
  let { method, body } = from;
  if ((status === 303 && method !== "GET" && method !== "HEAD") || ((status === 301 || status === 302) && method === "POST")) {
    method = "GET";
    body = undefined;
    for (const name of ["content-type", "content-length", "content-encoding", "content-language", "content-location"]) delete headers[name];
  }
  if (url.origin !== from.url.origin) {
    for (const name of ["authorization", "cookie", "proxy-authorization"]) delete headers[name];
  }
  return { url, method, headers, body };
}

/** Header names lower-cased (as fetch's header list compares them), values as strings. */
function headerRecord(init: RequestInit["headers"]): Record<string, string> {
  const record: Record<string, string> = {};
  if (init === undefined) return record;
  const entries = init instanceof Headers || Array.isArray(init) ? init : Object.entries(init);
  for (const [name, value] of entries) {
    const key = name.toLowerCase();
    record[key] = Object.hasOwn(record, key) ? `${record[key]}, ${value}` : String(value);
  }
  return record;
}

interface Reply {
  status: number;
  statusText: string;
  /** In the order received, repeated names kept (Response's Headers combines them as fetch does). */
  headers: [string, string][];
  /** As received: a large body in many chunks, joined only where a decoder needs it whole. */
  body: Buffer[];
}

/** One request and its whole reply. */
function send(attempt: Attempt, agents: { "https:": https.Agent; "http:": http.Agent }, signal: AbortSignal | undefined): Promise<Reply> {
  const { url } = attempt;
  const protocol = url.protocol;
  if (protocol !== "https:" && protocol !== "http:") return Promise.reject(new TypeError("fetch failed", { cause: new Error(`unsupported protocol ${protocol}`) }));
  return new Promise<Reply>((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", abort);
      request.destroy();
      reject(error);
    };
    const abort = () => fail(signal!.reason);
    const request = (protocol === "https:" ? https : http).request(url, { method: attempt.method, headers: attempt.headers, agent: agents[protocol] }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", (error) => fail(new TypeError("fetch failed", { cause: error })));
      incoming.on("close", () => {
        if (!incoming.complete) fail(new TypeError("fetch failed", { cause: new Error("the connection closed before the body was complete") }));
      });
      incoming.on("end", () => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener("abort", abort);
        const headers: [string, string][] = [];
        const raw = incoming.rawHeaders;
        for (let i = 0; i < raw.length; i += 2) headers.push([raw[i], raw[i + 1]]);
        resolve({ status: incoming.statusCode ?? 0, statusText: incoming.statusMessage ?? "", headers, body: chunks });
      });
    });
    request.on("error", (error) => fail(new TypeError("fetch failed", { cause: error })));
    signal?.addEventListener("abort", abort, { once: true });
    request.end(attempt.body ?? undefined);
  });
}

async function response(reply: Reply, url: URL, wasRedirected: boolean, parseJson: AgentFetchOptions["parseJson"]): Promise<Response> {
  const init = { status: reply.status, statusText: reply.statusText, headers: reply.headers };
  const chunks = nullBodyStatuses.has(reply.status) ? null : await decoded(reply);
  const result = chunks !== null && parseJson ? new ChunkedJsonResponse(chunks, parseJson, init) : new Response(chunks && chunkStream(chunks), init);
  // Response's constructor cannot set these; fetch reports the URL the answer came from.
  Object.defineProperties(result, { url: { value: url.href }, redirected: { value: wasRedirected } });
  return result;
}

/** A Response whose json() parses the chunks received with the given parser, not their joined text. */
class ChunkedJsonResponse extends Response {
  readonly #chunks: readonly Buffer[];
  readonly #parseJson: (chunks: readonly Buffer[]) => unknown;

  constructor(chunks: Buffer[], parseJson: (chunks: readonly Buffer[]) => unknown, init: ResponseInit) {
    super(chunkStream(chunks), init);
    this.#chunks = chunks;
    this.#parseJson = parseJson;
  }

  // A property, as the Response type declares it (an own property in front of the prototype's method).
  override json = async (): Promise<unknown> => this.#parseJson(await this.takeChunks());

  /** The body as the chunks received, consumed as reading it would consume it (bodyUsed is true from here on). */
  async takeChunks(): Promise<readonly Buffer[]> {
    if (this.bodyUsed) throw new TypeError("Body is unusable: Body has already been read");
    await this.body?.cancel();
    return this.#chunks;
  }
}

/**
 * A response's body as the chunks it arrived in, when agentFetch made it with `parseJson`
 * (nothing joined or copied), else its bytes as one chunk; the body is consumed either way. For
 * callers that keep a body as bytes and parse it later (entra/received-page.ts).
 */
export async function bodyChunks(response: Response): Promise<readonly Buffer[]> {
  if (response instanceof ChunkedJsonResponse) return response.takeChunks();
  return response.body === null ? [] : [Buffer.from(await response.arrayBuffer())];
}

/** The chunks as a stream: Response copies a byte body it is given, not a stream's chunks, and its reader joins them once. */
function chunkStream(chunks: Buffer[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) if (chunk.length > 0) controller.enqueue(chunk);
      controller.close();
    },
  });
}

/** The body with its content codings undone, last applied first; an unknown coding leaves it as sent, as fetch does. */
async function decoded(reply: Reply): Promise<Buffer[]> {
  const coding = reply.headers.find(([name]) => name.toLowerCase() === "content-encoding")?.[1];
  if (coding === undefined || reply.body.length === 0) return reply.body;
  const codings = coding.toLowerCase().split(",").map((c) => c.trim()).filter((c) => c !== "" && c !== "identity");
  if (codings.some((c) => !Object.hasOwn(decoders, c))) return reply.body;
  let body: Buffer = Buffer.concat(reply.body);
  for (const c of codings.reverse()) {
    try {
      body = await decoders[c](body);
    } catch (error) {
      throw new TypeError("fetch failed", { cause: error });
    }
  }
  return [body];
}
