// The fetch octokit sends every request through (its documented `request.fetch` option): a
// timeout per attempt (timeout-signals.ts), and @octokit/plugin-retry's retry policy applied here instead of by the
// plugin. The plugin builds a Bottleneck limiter for every request and starts the request from
// its timer (about 0.1 ms of CPU and a timer tick per request: a tenth of a collector's time
// over thousands of repository calls); the plugin is disabled (`retry: { enabled: false }`)
// and this does what it did, at the same place in the pipeline (inside the throttling plugin,
// which still waits out rate limits after these retries are spent):
// - retried: any HTTP status >= 400 except 400, 401, 403, 404, 410, 422 and 451; a request that
//   got no response (connection refused or cut, the per-attempt timeout); a GraphQL reply whose
//   first error is GitHub's "Something went wrong while executing your query";
// - not retried: a request the caller aborted;
// - `retries` times at most, the n-th after n² × `retryAfterBaseMs` (the plugin's backoff).

import { TimeoutSignals } from "./timeout-signals.ts";

export interface GithubRetryPolicy {
  retries: number;
  retryAfterBaseMs: number;
}

/** @octokit/plugin-retry's doNotRetry default: answers a retry cannot change. */
const doNotRetry = new Set([400, 401, 403, 404, 410, 422, 451]);
const graphqlServerError = /Something went wrong while executing your query/;

export function retryingFetch(timeoutMs: number, policy: GithubRetryPolicy, send: typeof fetch = fetch): typeof fetch {
  const timeouts = new TimeoutSignals(timeoutMs);
  return async (input, init) => {
    for (let attempt = 0; ; attempt++) {
      const timeout = timeouts.signal();
      const signal = init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
      const last = attempt >= policy.retries;
      let response: Response;
      try {
        response = await send(input, { ...init, signal });
      } catch (error) {
        if (last || init?.signal?.aborted) throw error;
        await backoff(attempt, policy);
        continue;
      }
      if (last || !(await worthRetrying(response, input))) return response;
      await response.body?.cancel();
      await backoff(attempt, policy);
    }
  };
}

async function worthRetrying(response: Response, input: Parameters<typeof fetch>[0]): Promise<boolean> {
  if (response.status >= 400) return !doNotRetry.has(response.status);
  // The path without query or fragment, found without a URL object (this runs for every reply).
  const url = input instanceof Request ? input.url : String(input);
  const end = url.search(/[?#]/);
  if (!(end < 0 ? url : url.slice(0, end)).endsWith("/graphql")) return false;
  // GraphQL reports server errors in a 200 reply; octokit reads the body, so this reads a copy.
  try {
    const body = (await response.clone().json()) as { errors?: { message?: unknown }[] } | null;
    const message = body?.errors?.[0]?.message;
    return typeof message === "string" && graphqlServerError.test(message);
  } catch {
    return false;
  }
}

function backoff(attempt: number, policy: GithubRetryPolicy): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, (attempt + 1) ** 2 * policy.retryAfterBaseMs));
}
