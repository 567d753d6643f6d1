// Collector for `kind: entra`. With `dir:` it reads Graph exports; otherwise it reads Microsoft
// Graph live. Both transports feed the same normalizer and give the same snapshot part.
import type { Collector, CollectorContext } from "../collector.ts";
import type { SourcePart } from "../../snapshot/source-part.ts";
import { cloudSourcePart } from "../cloud-source-part.ts";
import { displayPath } from "../export-reader.ts";
import { entraExports } from "./export-files.ts";
import { collectEntraExports } from "./file-transport.ts";
import { defaultGraphBaseUrl } from "./live-credential.ts";
import { graphSessionFor } from "./live-session-config.ts";
import { collectEntraLive } from "./live-transport.ts";
import { resolve } from "node:path";

export const entraCollector: Collector<"entra"> = {
  async collect(context: CollectorContext<"entra">): Promise<SourcePart> {
    const { source } = context;
    const collectedAt = new Date().toISOString();
    if (typeof source.dir !== "string") {
      const session = graphSessionFor(source, context.env, context.configDir);
      const live = await collectEntraLive(source.id, session, context.progress);
      for (const note of live.normalized.notes) context.log(`${source.id}: ${note}`);
      context.log(`${source.id}: ${session.requests} Microsoft Graph requests`);
      const endpoint = String(source.graphBaseUrl ?? defaultGraphBaseUrl);
      // Properties the items lacked leave what they feed unknown, as a failed call does.
      const errors = [...live.errors, ...live.normalized.gaps];
      const { usersGap } = live.normalized;
      if (usersGap !== undefined) errors.push({ step: "users", call: entraExports.users.call, code: "incomplete", message: `${entraExports.users.call} is incomplete: ${usersGap}`, affects: entraExports.users.affects });
      const status = !live.signedIn ? "error" : errors.length > 0 ? "partial" : "ok";
      const namingContext = live.normalized.settings.domainName ?? (typeof source.tenantId === "string" ? source.tenantId : null);
      return cloudSourcePart(source.id, "entra", live.normalized, { transport: "live", endpoint, collectedAt, status, errors, queries: live.queries, namingContext });
    }
    const dir = resolve(context.configDir, source.dir);
    const { normalized, reader, folderFound } = await collectEntraExports(source.id, dir, context.progress);
    for (const note of normalized.notes) context.log(`${source.id}: ${note}`);
    const errors = [...reader.errors, ...normalized.gaps];
    const status = !folderFound ? "error" : errors.length > 0 ? "partial" : "ok";
    return cloudSourcePart(source.id, "entra", normalized, { transport: "file", endpoint: displayPath(dir), collectedAt, status, errors, queries: reader.queries, namingContext: normalized.settings.domainName ?? null });
  },
};
