// The octokit client of a live GitHub source: a token (tokenEnv, else GITHUB_TOKEN) or a GitHub
// App installation (app id, private key from a file or a variable, installation id); github.com
// or a GitHub Enterprise Server base URL. octokit's throttling plugin waits out primary and
// secondary rate limits (a bounded number of times); server errors are retried with
// @octokit/plugin-retry's policy by the fetch octokit is given (retrying-fetch.ts, over
// agent-fetch.ts); every request has a timeout. Secrets come from environment variables or a key file only.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { App, Octokit } from "octokit";
import { agentFetch } from "../agent-fetch.ts";
import { retryingFetch } from "./retrying-fetch.ts";
import { ThrottleLimiter } from "./throttle-limiter.ts";

export interface GithubLiveSettings {
  org?: string;
  tokenEnv?: string;
  app?: { appId: number | string; installationId: number; privateKeyEnv?: string; privateKeyFile?: string };
  baseUrl?: string;
  timeoutMs?: number;
  concurrency?: number;
  /** Rate-limit waits allowed per request before the call is reported as failed. */
  rateLimitRetries?: number;
}

/**
 * `read`: a collector's client, whose only POSTs are GraphQL queries. octokit's throttling
 * plugin paces every GraphQL request as a write (one at a time, one second apart: GitHub's
 * advice for requests that create content); a query creates nothing and costs one point of the
 * GraphQL budget, so a reader sends its queries one at a time without the pause (50 pages of
 * SAML identities: 50 s saved). `write` (rotators): octokit's pacing as it is. Both still wait
 * out any rate limit the server signals.
 */
export type GithubClientUse = "read" | "write";

export const defaultGithubBaseUrl = "https://api.github.com";

export class GithubClientConfigError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = "GithubClientConfigError";
    this.field = field;
  }
}

export interface GithubClient {
  octokit: Octokit;
  /** Rate-limit waits taken (primary and secondary). */
  rateLimitWaits: { primary: number; secondary: number };
  secrets: string[];
}

export async function githubClient(settings: GithubLiveSettings, env: NodeJS.ProcessEnv, configDir: string, log: (message: string) => void, use: GithubClientUse): Promise<GithubClient> {
  const baseUrl = (settings.baseUrl ?? defaultGithubBaseUrl).replace(/\/+$/, "");
  const timeoutMs = settings.timeoutMs ?? 30_000;
  const allowed = settings.rateLimitRetries ?? 3;
  const waits = { primary: 0, secondary: 0 };
  const options = {
    baseUrl,
    throttle: {
      // A reader's limiters (throttle-limiter.ts): octokit's limits (10 requests at a time, GraphQL
      // queries one at a time) without Bottleneck's timer per job; the plugin's rate-limit
      // handling is unchanged.
      ...(use === "read" ? { write: new ThrottleLimiter(1), global: new ThrottleLimiter(10), retryLimiter: new ThrottleLimiter() } : {}),
      onRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        waits.primary++;
        log(`GitHub rate limit reached on ${request.method} ${request.url}; waiting ${retryAfter} s (retry ${retryCount + 1} of ${allowed})`);
        return retryCount < allowed;
      },
      onSecondaryRateLimit: (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
        waits.secondary++;
        log(`GitHub secondary rate limit on ${request.method} ${request.url}; waiting ${retryAfter} s (retry ${retryCount + 1} of ${allowed})`);
        return retryCount < allowed;
      },
    },
    // 5xx and dropped connections: two retries after 0.5 s and 2 s (octokit's default base is 1 s),
    // by the fetch below rather than the retry plugin, which builds a Bottleneck limiter per request.
    // Requests go out through node:https with a keep-alive agent (agent-fetch.ts), not the
    // global fetch: about 0.1 ms less CPU per request.
    retry: { enabled: false },
    request: { fetch: retryingFetch(timeoutMs, { retries: 2, retryAfterBaseMs: 500 }, agentFetch()) },
    // octokit's own warnings go to the verbose log, not stderr.
    log: { debug() {}, info() {}, warn: (message: string) => log(String(message)), error: (message: string) => log(String(message)) },
  };
  if (settings.tokenEnv || !settings.app) {
    const variable = settings.tokenEnv ?? "GITHUB_TOKEN";
    const token = env[variable];
    if (!token) throw new GithubClientConfigError("tokenEnv", `environment variable ${variable} is not set (it must hold a GitHub token${settings.tokenEnv ? "" : "; or configure app: for a GitHub App"})`);
    return { octokit: new Octokit({ ...options, auth: token }), rateLimitWaits: waits, secrets: [token] };
  }
  const app = settings.app;
  let privateKey: string | undefined;
  if (app.privateKeyFile) {
    try {
      privateKey = readFileSync(resolve(configDir, app.privateKeyFile), "utf8");
    } catch (error) {
      throw new GithubClientConfigError("app.privateKeyFile", `cannot read the GitHub App private key: ${(error as Error).message}`);
    }
  } else if (app.privateKeyEnv) {
    privateKey = env[app.privateKeyEnv];
    if (!privateKey) throw new GithubClientConfigError("app.privateKeyEnv", `environment variable ${app.privateKeyEnv} is not set (it must hold the GitHub App's private key, PEM)`);
  } else {
    throw new GithubClientConfigError("app", "needs privateKeyFile or privateKeyEnv");
  }
  const githubApp = new App({ appId: app.appId, privateKey, Octokit: Octokit.defaults(options) });
  const octokit = (await githubApp.getInstallationOctokit(app.installationId)) as unknown as Octokit;
  // Requests the installation token now, so a refused app key is one sign-in error, not one per call.
  await octokit.auth({ type: "installation" });
  return { octokit, rateLimitWaits: waits, secrets: [privateKey] };
}
