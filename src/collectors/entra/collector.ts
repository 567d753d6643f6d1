// Collector for `kind: entra`. With `dir:` it reads Graph exports; live Graph collection plugs
// in as a second transport feeding the same normalizer.
import type { Collector, CollectorContext, SourcePart } from "../collector.ts";
import { displayPath } from "../export-reader.ts";
import { failedSourcePart } from "../failed-part.ts";
import { collectEntraExports } from "./file-transport.ts";
import { resolve } from "node:path";

export const entraCollector: Collector = {
  async collect(context: CollectorContext): Promise<SourcePart> {
    const { source } = context;
    const collectedAt = new Date().toISOString();
    if (typeof source.dir !== "string") {
      return failedSourcePart(
        source,
        { step: "connect", code: "transport-unavailable", message: "live Microsoft Graph collection is not available in this version; export the Graph responses and set dir: (see docs/exports.md)" },
        { transport: "live", endpoint: String(source.graphBaseUrl ?? "https://graph.microsoft.com"), namingContext: typeof source.tenantId === "string" ? source.tenantId : null },
      );
    }
    const dir = resolve(context.configDir, source.dir);
    const { normalized, reader, folderFound } = await collectEntraExports(source.id, dir, context.progress);
    for (const note of normalized.notes) context.log(`${source.id}: ${note}`);
    return {
      source: {
        id: source.id,
        kind: "entra",
        transport: "file",
        endpoint: displayPath(dir),
        collectedAt,
        status: !folderFound ? "error" : reader.errors.length > 0 ? "partial" : "ok",
        errors: reader.errors,
        counts: normalized.counts,
        queries: reader.queries,
        namingContext: normalized.settings.domainName ?? null,
      },
      settings: normalized.settings,
      passwordPolicies: normalized.passwordPolicies,
      accounts: normalized.accounts,
      credentials: normalized.credentials,
      resetPaths: normalized.resetPaths,
    };
  },
};
