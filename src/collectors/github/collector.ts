// Collector for `kind: github`. With `dir:` it reads REST/GraphQL exports; otherwise it reads the
// organization live through octokit. Both feed the same normalizer and give the same snapshot part.
import { resolve } from "node:path";
import type { Collector, CollectorContext } from "../collector.ts";
import type { SourcePart } from "../../snapshot/source-part.ts";
import { displayPath } from "../export-reader.ts";
import { failedSourcePart } from "../failed-part.ts";
import type { Query, SourceError } from "../../snapshot/types.ts";
import { readGithubExports } from "./file-transport.ts";
import { defaultGithubBaseUrl } from "./live-client.ts";
import { githubClientFor, scrubber } from "./live-session.ts";
import { GithubLiveReader } from "./live-transport.ts";
import { normalizeGithub } from "./normalize.ts";
import type { GithubData } from "./rest-types.ts";

export const githubCollector: Collector<"github"> = {
  async collect(context: CollectorContext<"github">): Promise<SourcePart> {
    const { source } = context;
    const collectedAt = new Date().toISOString();
    if (typeof source.dir !== "string") {
      const endpoint = String(source.baseUrl ?? defaultGithubBaseUrl);
      const org = String(source.org);
      let client;
      try {
        client = await githubClientFor(source, context.env, context.configDir, (m) => context.log(`${source.id}: ${m}`));
      } catch (error) {
        if (error instanceof Error && error.name === "UserInputError") throw error;
        const message = scrubber([])(error instanceof Error ? error.message.split("\n")[0] : String(error));
        return failedSourcePart(source, { step: "sign-in", code: "auth", message: `GitHub App sign-in at ${endpoint} failed: ${message}` }, { transport: "live", endpoint, namingContext: org });
      }
      const reader = new GithubLiveReader(client.octokit, org, context.progress, scrubber(client.secrets));
      const data = await reader.read(typeof source.concurrency === "number" ? source.concurrency : 8);
      context.log(`${source.id}: ${reader.requests} GitHub requests; rate-limit waits: ${client.rateLimitWaits.primary} primary, ${client.rateLimitWaits.secondary} secondary`);
      // Nothing at all answered (bad token, unreachable server): the source failed as a whole.
      const status = data.org === undefined && data.members === undefined ? "error" : reader.errors.length > 0 ? "partial" : "ok";
      return part(source.id, data, { transport: "live", endpoint, collectedAt, status, errors: reader.errors, queries: reader.orderedQueries(), org });
    }
    const dir = resolve(context.configDir, source.dir);
    const { data, reader, folderFound } = await readGithubExports(dir, context.progress);
    const status = !folderFound ? "error" : reader.errors.length > 0 ? "partial" : "ok";
    return part(source.id, data, { transport: "file", endpoint: displayPath(dir), collectedAt, status, errors: reader.errors, queries: reader.queries, org: source.org });
  },
};

function part(
  id: string,
  data: GithubData,
  read: { transport: "live" | "file"; endpoint: string; collectedAt: string; status: "ok" | "partial" | "error"; errors: SourceError[]; queries: Query[]; org: unknown },
): SourcePart {
  const normalized = normalizeGithub(id, data);
  return {
    source: {
      id,
      kind: "github",
      transport: read.transport,
      endpoint: read.endpoint,
      collectedAt: read.collectedAt,
      status: read.status,
      errors: read.errors,
      counts: normalized.counts,
      queries: read.queries,
      namingContext: data.org?.login ?? (typeof read.org === "string" ? read.org : null),
    },
    settings: normalized.settings,
    passwordPolicies: normalized.passwordPolicies,
    accounts: normalized.accounts,
    credentials: normalized.credentials,
    resetPaths: normalized.resetPaths,
  };
}
