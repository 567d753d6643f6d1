// Collector for `kind: github`. With `dir:` it reads REST/GraphQL exports; live collection
// plugs in as a second transport feeding the same normalizer.
import { resolve } from "node:path";
import type { Collector, CollectorContext, SourcePart } from "../collector.ts";
import { displayPath } from "../export-reader.ts";
import { failedSourcePart } from "../failed-part.ts";
import { readGithubExports } from "./file-transport.ts";
import { normalizeGithub } from "./normalize.ts";

export const githubCollector: Collector = {
  async collect(context: CollectorContext): Promise<SourcePart> {
    const { source } = context;
    const collectedAt = new Date().toISOString();
    if (typeof source.dir !== "string") {
      return failedSourcePart(
        source,
        { step: "connect", code: "transport-unavailable", message: "live GitHub collection is not available in this version; export the API responses and set dir: (see docs/exports.md)" },
        { transport: "live", endpoint: String(source.baseUrl ?? "https://api.github.com"), namingContext: typeof source.org === "string" ? source.org : null },
      );
    }
    const dir = resolve(context.configDir, source.dir);
    const { data, reader, folderFound } = await readGithubExports(dir, context.progress);
    const normalized = normalizeGithub(source.id, data);
    return {
      source: {
        id: source.id,
        kind: "github",
        transport: "file",
        endpoint: displayPath(dir),
        collectedAt,
        status: !folderFound ? "error" : reader.errors.length > 0 ? "partial" : "ok",
        errors: reader.errors,
        counts: normalized.counts,
        queries: reader.queries,
        namingContext: data.org?.login ?? (typeof source.org === "string" ? source.org : null),
      },
      settings: normalized.settings,
      passwordPolicies: [],
      accounts: normalized.accounts,
      credentials: normalized.credentials,
      resetPaths: normalized.resetPaths,
    };
  },
};
