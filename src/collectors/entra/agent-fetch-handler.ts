// The Graph client's last middleware (in place of its HTTPMessageHandler, which calls the
// global fetch): the request goes out through agent-fetch.ts, Node's own HTTP client over one
// keep-alive agent. The client documents a custom middleware chain for this
// (`Client.initWithMiddleware({ middleware })`); authentication, the RetryHandler (429/503/504,
// Retry-After), the RedirectHandler and telemetry stay the client's own, in the client's order.
// Why: paired collections of the bench tenant (225 requests, 2 MB pages) took 0.91-0.96 of the
// CPU they took over undici's fetch (bench/cloud/README.md). The body reaches the client's
// `response.json()` as the chunks received, and json() parses them in pieces, never as one
// large string (src/io/json-body-pieces.ts): joining them here as well doubled the copies of
// every page outside the V8 heap and cost more than it saved.
import { HTTPMessageHandler, MiddlewareFactory, type AuthenticationProvider, type Context, type Middleware } from "@microsoft/microsoft-graph-client";
import { agentFetch } from "../agent-fetch.ts";
import { parseJsonBody } from "../../io/json-body-pieces.ts";

class AgentFetchHandler implements Middleware {
  readonly #fetch = agentFetch({ parseJson: (chunks) => parseJsonBody(chunks) });
  async execute(context: Context): Promise<void> {
    context.response = await this.#fetch(context.request, context.options);
  }
}

/** The client's default middleware chain with its HTTP handler replaced by one over node:https. */
export function graphMiddlewareOverAgent(authProvider: AuthenticationProvider): Middleware[] {
  const chain = MiddlewareFactory.getDefaultMiddlewareChain(authProvider);
  const last = chain.length - 1;
  if (!(chain[last] instanceof HTTPMessageHandler)) throw new Error("the Graph client's default middleware chain no longer ends in its HTTPMessageHandler");
  chain[last] = new AgentFetchHandler();
  return chain;
}
