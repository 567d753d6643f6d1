// Collector for `kind: github`. With `dir:` it reads REST/GraphQL exports; otherwise it reads the
// organization live through octokit. Both feed the same normalizer and give the same snapshot part.
import { resolve } from "node:path";
import type { Collector, CollectorContext } from "../collector.ts";
import type { SourcePart } from "../../snapshot/source-part.ts";
import { cloudSourcePart } from "../cloud-source-part.ts";
import { displayPath } from "../export-reader.ts";
import { failedSourcePart } from "../failed-part.ts";
import { readGithubExports } from "./file-transport.ts";
import { defaultGithubBaseUrl } from "./live-client.ts";
import { githubClientFor, scrubber } from "./live-session.ts";
import { GithubLiveReader } from "./live-transport.ts";
import { listReadGaps } from "./live-list-gaps.ts";
import { normalizeGithub } from "./normalize.ts";
import { githubItemGaps } from "./required-properties.ts";

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
      // Properties the items lacked leave what they feed unknown, as a failed call does.
      // A list whose call failed is already an error; its count says nothing more.
      const countGaps = listReadGaps(data).filter((gap) => !reader.errors.some((e) => e.step === gap.step));
      const errors = [...reader.errors, ...countGaps, ...githubItemGaps(data)];
      const status = data.org === undefined && data.members === undefined ? "error" : errors.length > 0 ? "partial" : "ok";
      return cloudSourcePart(source.id, "github", normalizeGithub(source.id, data), { transport: "live", endpoint, collectedAt, status, errors, queries: reader.orderedQueries(), namingContext: data.org?.login ?? org });
    }
    const dir = resolve(context.configDir, source.dir);
    const { data, reader, folderFound } = await readGithubExports(dir, context.progress);
    const errors = [...reader.errors, ...githubItemGaps(data)];
    const status = !folderFound ? "error" : errors.length > 0 ? "partial" : "ok";
    const namingContext = data.org?.login ?? (typeof source.org === "string" ? source.org : null);
    return cloudSourcePart(source.id, "github", normalizeGithub(source.id, data), { transport: "file", endpoint: displayPath(dir), collectedAt, status, errors, queries: reader.queries, namingContext });
  },
};
