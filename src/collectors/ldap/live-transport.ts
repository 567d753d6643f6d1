// Live transport for legacy LDAP directories (OpenLDAP with ppolicy): streams the entries of the
// searches in live-queries.ts in the LdapEntry shape the LDIF file transport produces.
import { searchAreas } from "../ldap-common/search-areas.ts";
import type { LdapEntry } from "../ldap-common/entry.ts";
import type { LdapConnectionSettings } from "../ldap-common/ldap-connection.ts";
import { LdapCollectionError } from "../ldap-common/ldap-connection-error.ts";
import type { CollectorContext } from "../collector.ts";
import { LiveSession, asLdapTransport, liveSettingsFrom, type LiveOutcome, type LiveTransportContext } from "../ldap-common/live-session.ts";
import type { LdapTransport } from "../ldap-common/transport.ts";
import { ldapEntrySearches } from "./live-queries.ts";
import { firstNames } from "../first-names.ts";

export interface LiveLdapSettings extends LdapConnectionSettings {
  /** Defaults to the server's first naming context (rootDSE namingContexts). */
  baseDN?: string;
  ownerAttributes?: string[];
}

export class LiveLdapTransport {
  private readonly settings: LiveLdapSettings;
  private readonly context: LiveTransportContext;
  private readonly session: LiveSession;
  readonly outcome: LiveOutcome;

  constructor(settings: LiveLdapSettings, context: LiveTransportContext) {
    this.settings = settings;
    this.context = context;
    this.session = new LiveSession(settings, context.progress, context.log ?? (() => {}));
    this.outcome = this.session.outcome;
  }

  /** Streams every entry; when the stream ends, `outcome` says whether it was complete. */
  async *entries(): AsyncGenerator<LdapEntry> {
    const session = this.session;
    try {
      if (!(await session.open(this.context.env, this.context.configDir))) return;
      let baseDN = this.settings.baseDN;
      if (!baseDN) {
        const rootDse = (await session.all({ step: "rootDSE", base: "", scope: "base", filter: "(objectClass=*)", attributes: ["namingContexts"], paged: false }, ["*"])).entries[0];
        const first = rootDse?.attributes["namingcontexts"]?.[0];
        if (!first) {
          session.fail(new LdapCollectionError(this.outcome.endpoint, "rootDSE", "the server publishes no namingContexts; set baseDN", "no-base-dn"), ["*"]);
          return;
        }
        baseDN = new TextDecoder().decode(first);
      }
      this.outcome.namingContext = baseDN;
      for (const search of ldapEntrySearches(baseDN, this.settings.ownerAttributes)) {
        const run = session.run(search, searchAreas(search.step));
        for (;;) {
          const next = await run.next();
          if (next.done) {
            // A continuation reference means part of the tree lives on another server: the
            // entries there were not collected, so the collection is incomplete.
            const refs = next.value.references;
            if (refs.length > 0) {
              session.fail(
                new LdapCollectionError(this.outcome.endpoint, search.step, `the server referred ${refs.length} part(s) of the search to another server (${firstNames(refs)}); those entries were not collected`, "referral", next.value.call),
                searchAreas(search.step),
              );
            }
            break;
          }
          yield* next.value;
        }
      }
    } finally {
      await session.close();
      session.finish();
    }
  }
}

/** The `ldap` collector's live transport (for sources with `url:`). */
export function liveLdapTransport(context: CollectorContext<"ad" | "ldap">): LdapTransport {
  const settings = liveSettingsFrom(context.source);
  const transport = new LiveLdapTransport(settings, context);
  return asLdapTransport(transport.entries(), transport.outcome);
}
