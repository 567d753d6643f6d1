// The `ad` collector: an LDIF export (`file:`) or a live DC (`url:`, plugged in through
// `createAdCollector(live)`), both normalized by the same AD normalizer.
import type { Collector, CollectorContext } from "../collector.ts";
import type { SourcePart } from "../../snapshot/source-part.ts";
import { runDirectoryCollection, type LiveTransportFactory } from "../ldap-common/directory-collection.ts";
import { serviceAccountRules } from "../ldap-common/service-account-rules.ts";
import { adFileTransport } from "./file-transport.ts";
import { liveAdTransport } from "./live-transport.ts";
import { normalizeAd } from "./normalizer.ts";

/**
 * Source settings read here (besides file/url): `serviceOUs` (OU names or DNs holding service
 * accounts) and `serviceAccountPatterns` (name globs); see service-account-rules.ts for defaults.
 */
export function createAdCollector(live?: LiveTransportFactory): Collector<"ad"> {
  return {
    async collect(context: CollectorContext<"ad">): Promise<SourcePart> {
      const { source: config } = context;
      const serviceRules = serviceAccountRules(config.serviceOUs, config.serviceAccountPatterns);
      const run = await runDirectoryCollection(context, "ad", adFileTransport, live, (entries, transport, collectedAt) =>
        normalizeAd(entries, { sourceId: config.id, serviceRules, locate: transport.locate, transport: transport.kind, collectedAt }),
      );
      const n = run.normalized;
      return {
        source: run.source,
        settings: n?.settings ?? { kind: "ad" },
        passwordPolicies: n?.passwordPolicies ?? [],
        accounts: n?.accounts ?? [],
        credentials: n?.credentials ?? [],
        resetPaths: n?.resetPaths ?? [],
      };
    },
  };
}

export const adCollector: Collector<"ad"> = createAdCollector(liveAdTransport);
