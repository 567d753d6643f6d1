// The `ldap` collector (OpenLDAP and other RFC directories with ppolicy): an LDIF export
// (`file:`) or a live server (`url:`, plugged in through `createLdapCollector(live)`), both
// normalized by the same LDAP normalizer.
import type { Collector, CollectorContext } from "../collector.ts";
import type { SourcePart } from "../../snapshot/source-part.ts";
import { runDirectoryCollection, type LiveTransportFactory } from "../ldap-common/directory-collection.ts";
import { serviceAccountRules } from "../ldap-common/service-account-rules.ts";
import { ldapFileTransport } from "./file-transport.ts";
import { liveLdapTransport } from "./live-transport.ts";
import { normalizeLdap } from "./normalizer.ts";

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

/**
 * Source settings read here (besides file/url): `ownerAttributes`, `adminGroups`,
 * `defaultPolicyDN`, `serviceOUs`, `serviceAccountPatterns` (defaults in normalizer.ts and
 * service-account-rules.ts).
 */
export function createLdapCollector(live?: LiveTransportFactory): Collector<"ldap"> {
  return {
    async collect(context: CollectorContext<"ldap">): Promise<SourcePart> {
      const { source: config } = context;
      const run = await runDirectoryCollection(context, "ldap", ldapFileTransport, live, (entries, transport, collectedAt) =>
        normalizeLdap(entries, {
          sourceId: config.id,
          serviceRules: serviceAccountRules(config.serviceOUs, config.serviceAccountPatterns),
          ownerAttributes: stringList(config.ownerAttributes),
          adminGroups: stringList(config.adminGroups),
          defaultPolicyDN: typeof config.defaultPolicyDN === "string" ? config.defaultPolicyDN : undefined,
          locate: transport.locate,
          transport: transport.kind,
          collectedAt,
        }),
      );
      const n = run.normalized;
      return {
        source: run.source,
        settings: n?.settings ?? { kind: "ldap" },
        passwordPolicies: n?.passwordPolicies ?? [],
        accounts: n?.accounts ?? [],
        credentials: n?.credentials ?? [],
        resetPaths: n?.resetPaths ?? [],
      };
    },
  };
}

export const ldapCollector: Collector<"ldap"> = createLdapCollector(liveLdapTransport);
