// One Microsoft Graph session: @microsoft/microsoft-graph-client authenticated by an
// @azure/identity credential. Every request passes a concurrency limit, a per-request timeout
// and the client's RetryHandler (429/503/504, honouring Retry-After, exponential backoff
// otherwise); a connection dropped mid-response is retried here, because the client's
// middleware only retries on a status code. Failures surface as GraphCallError with the
// HTTP status and Graph's error code, never the token.
import { Client, GraphError, ResponseType, RetryHandlerOptions } from "@microsoft/microsoft-graph-client";
import { TokenCredentialAuthenticationProvider } from "@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js";
import type { TokenCredential } from "@azure/identity";
import { ConcurrencyLimit } from "../concurrency-limit.ts";
import { graphScope } from "./live-credential.ts";
import { ReusedToken } from "./reused-token.ts";
import { graphMiddlewareOverAgent } from "./agent-fetch-handler.ts";
import { GraphCallError, type GraphBody } from "./graph-call-error.ts";
import { ReceivedGraphPage } from "./received-page.ts";
import { bodyChunks } from "../agent-fetch.ts";

export { GraphCallError, type GraphBody };


export interface GraphSessionOptions {
  graphBaseUrl: string;
  credential: TokenCredential;
  /** Requests in flight at once (Graph throttles per app and tenant). */
  concurrency: number;
  timeoutMs: number;
  /** Retries of a throttled or unavailable request (429, 503, 504), each after Retry-After or a backoff. */
  maxRetries: number;
  /** Backoff base in seconds when the server gives no Retry-After. */
  retryDelaySeconds: number;
  /** Retries of a request whose connection dropped or timed out. */
  networkRetries: number;
  /** Secrets to scrub from any message (they should never appear; this makes sure). */
  secrets: string[];
}

/** Graph hosts the client library already sends tokens to; any other (a fixture, a proxy) is named as a custom host. */
const graphHosts = new Set(["graph.microsoft.com", "graph.microsoft.us", "dod-graph.microsoft.us", "graph.microsoft.de", "microsoftgraph.chinacloudapi.cn", "canary.graph.microsoft.com"]);

export class GraphSession {
  readonly client: Client;
  readonly options: GraphSessionOptions;
  readonly limit: ConcurrencyLimit;
  /** HTTP requests sent (a $batch counts once). */
  requests = 0;
  /** The credential's token, asked for once and reused by every request until near its expiry. */
  readonly #token: ReusedToken;

  constructor(options: GraphSessionOptions) {
    this.options = options;
    this.limit = new ConcurrencyLimit(options.concurrency);
    this.#token = new ReusedToken(options.credential);
    const base = new URL(options.graphBaseUrl);
    this.client = Client.initWithMiddleware({
      middleware: graphMiddlewareOverAgent(new TokenCredentialAuthenticationProvider(this.#token, { scopes: [graphScope(options.graphBaseUrl)] })),
      baseUrl: `${base.origin}/`,
      defaultVersion: "v1.0",
      ...(graphHosts.has(base.hostname) ? {} : { customHosts: new Set([base.hostname]) }),
    });
  }

  /** Acquires a token once, so a refused credential is one clear error instead of one per call. */
  async signIn(): Promise<void> {
    try {
      await this.#token.getToken(graphScope(this.options.graphBaseUrl), { abortSignal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      throw new GraphCallError(0, "sign-in", this.scrub(firstLine(error)));
    }
  }

  /** GET a path under /v1.0 (`/users?$select=...`) or an absolute @odata.nextLink. */
  get(pathOrLink: string): Promise<GraphBody> {
    return this.#send((request) => request.get() as Promise<GraphBody>, pathOrLink);
  }

  /**
   * GET one page of a collection, its body kept as the bytes received (received-page.ts): the
   * caller asks for the next page from the head's @odata.nextLink and parses this one later.
   */
  getPage(pathOrLink: string): Promise<ReceivedGraphPage> {
    return this.#send(async (request) => {
      // RAW: the client's retry, redirect and authentication middleware still run; only the
      // reading of the body, and the error a refusal becomes, are left to this.
      const response = (await request.responseType(ResponseType.RAW).get()) as Response;
      if (!response.ok) throw await this.#refusal(response);
      return new ReceivedGraphPage(await bodyChunks(response), response.status);
    }, pathOrLink);
  }

  post(path: string, body: unknown): Promise<GraphBody | undefined> {
    return this.#send((request) => request.post(body) as Promise<GraphBody | undefined>, path);
  }

  async #send<T>(run: (request: ReturnType<Client["api"]>) => Promise<T>, pathOrLink: string): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let signal: AbortSignal | undefined;
      try {
        return await this.limit.run(() => {
          this.requests++;
          signal = AbortSignal.timeout(this.options.timeoutMs);
          const request = this.client
            .api(pathOrLink)
            .middlewareOptions([new RetryHandlerOptions(this.options.retryDelaySeconds, this.options.maxRetries)])
            .option("signal", signal);
          return run(request);
        });
      } catch (error) {
        const failure = signal?.aborted ? new GraphCallError(0, "timeout", `no response within ${this.options.timeoutMs} ms`) : this.#classify(error);
        if (failure.status === 0 && attempt < this.options.networkRetries) continue;
        throw failure;
      }
    }
  }

  #classify(error: unknown): GraphCallError {
    if (error instanceof GraphCallError) return error;
    if (error instanceof GraphError) {
      const retryAfter = error.headers?.get("Retry-After");
      if (error.statusCode > 0) return new GraphCallError(error.statusCode, error.code ?? undefined, this.scrub(error.message), retryAfter ? Number(retryAfter) : undefined);
      return new GraphCallError(0, networkCode(error), this.scrub(networkMessage(error, this.options.timeoutMs)));
    }
    return new GraphCallError(0, networkCode(error), this.scrub(networkMessage(error, this.options.timeoutMs)));
  }

  /** A refused request (4xx, 5xx after the client's retries) as the client's GraphError would give it: Graph's error code and message. */
  async #refusal(response: Response): Promise<GraphCallError> {
    const text = await response.text().catch(() => "");
    let error: { code?: unknown; message?: unknown } | undefined;
    try {
      const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } } | null;
      error = body !== null && typeof body === "object" && body.error !== null && typeof body.error === "object" ? body.error : undefined;
    } catch {
      error = undefined;
    }
    const code = typeof error?.code === "string" ? error.code : undefined;
    const message = typeof error?.message === "string" ? error.message : response.statusText || "request failed";
    const retryAfter = response.headers.get("Retry-After");
    return new GraphCallError(response.status, code, this.scrub(message), retryAfter ? Number(retryAfter) : undefined);
  }

  scrub(message: string): string {
    let out = message;
    for (const secret of this.options.secrets) if (secret.length >= 4) out = out.split(secret).join("[redacted]");
    // Bearer tokens or assertions echoed by a proxy or a library message.
    return out.replace(/(Bearer\s+)[\w.~+/=-]+/gi, "$1[redacted]").replace(/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, "[redacted-jwt]");
  }
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0].slice(0, 500);
}

function networkCode(error: unknown): string {
  const name = error instanceof Error ? error.name : "";
  return name === "TimeoutError" || name === "AbortError" ? "timeout" : "network";
}

function networkMessage(error: unknown, timeoutMs: number): string {
  if (networkCode(error) === "timeout") return `no response within ${timeoutMs} ms`;
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${firstLine(error)}${cause}`;
}
