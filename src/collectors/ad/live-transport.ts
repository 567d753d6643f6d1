// Live Active Directory transport: reads a DC over LDAP(S) with the searches in live-queries.ts
// and streams the entries in the LdapEntry shape the LDIF file transport produces, so the
// shared AD normalizer cannot tell the two apart.
import { searchAreas } from "../ldap-common/search-areas.ts";
import type { CollectorContext } from "../collector.ts";
import type { LdapEntry } from "../ldap-common/entry.ts";
import type { LdapConnectionSettings } from "../ldap-common/ldap-connection.ts";
import { LdapCollectionError } from "../ldap-common/ldap-connection-error.ts";
import { LiveSession, asLdapTransport, liveSettingsFrom, type LiveOutcome, type LiveTransportContext } from "../ldap-common/live-session.ts";
import type { LdapTransport } from "../ldap-common/transport.ts";
import { parseSecurityDescriptor } from "../ldap-common/security-descriptor.ts";
import { decodeSid } from "../ldap-common/sid.ts";
import { dnKey } from "../ldap-common/distinguished-name.ts";
import { ROOT_DSE_PROBE, adEntrySearches, privilegedGroupSearch, psoContainerListing, schemaProbe, transitiveMembersSearch, trusteeSearches } from "./live-queries.ts";
import { wellKnownSidName } from "./well-known-principals.ts";
import { firstNames } from "../first-names.ts";

export interface LiveAdSettings extends LdapConnectionSettings {
  /** Defaults to the DC's defaultNamingContext. */
  baseDN?: string;
}

export interface LiveAdOutcome extends LiveOutcome {
  /** Privileged group DN -> DNs of every account transitively inside it (matching rule in chain). */
  privilegedMembers: Record<string, string[]>;
  /** LAPS expiry attributes the schema has (empty: LAPS not deployed). */
  lapsAttributes: string[];
  /** ACE trustees that were neither collected accounts/groups nor well-known SIDs, looked up
   *  by objectSid (foreign security principals, objects outside the searched classes). */
  unresolvedTrustees: string[];
}

const text = new TextDecoder();
const first = (entry: LdapEntry | undefined, attribute: string): string | undefined => {
  const value = entry?.attributes[attribute.toLowerCase()]?.[0];
  return value === undefined ? undefined : text.decode(value);
};

export class LiveAdTransport {
  private readonly settings: LiveAdSettings;
  private readonly context: LiveTransportContext;
  private readonly session: LiveSession;
  readonly outcome: LiveAdOutcome;

  constructor(settings: LiveAdSettings, context: LiveTransportContext) {
    this.settings = settings;
    this.context = context;
    this.session = new LiveSession(settings, context.progress, context.log ?? (() => {}));
    this.outcome = Object.assign(this.session.outcome, { privilegedMembers: {}, lapsAttributes: [], unresolvedTrustees: [] });
  }

  /** Streams every entry; when the stream ends, `outcome` says whether it was complete. */
  async *entries(): AsyncGenerator<LdapEntry> {
    const session = this.session;
    try {
      if (!(await session.open(this.context.env, this.context.configDir))) return;
      const rootDse = (await session.all(ROOT_DSE_PROBE, ["*"])).entries[0];
      const baseDN = this.settings.baseDN ?? first(rootDse, "defaultNamingContext");
      if (!baseDN) {
        session.fail(new LdapCollectionError(this.outcome.endpoint, "rootDSE", "the server publishes no defaultNamingContext; set baseDN", "no-base-dn"), ["*"]);
        return;
      }
      this.outcome.namingContext = baseDN;
      const otherPartitions = (rootDse?.attributes["namingcontexts"] ?? []).map((v) => text.decode(v).toLowerCase()).filter((dn) => dn !== baseDN.toLowerCase());

      const schemaDN = first(rootDse, "schemaNamingContext");
      if (schemaDN) {
        const probe = await session.all(schemaProbe(schemaDN), ["accounts.laps"]);
        this.outcome.lapsAttributes = probe.entries.map((e) => first(e, "lDAPDisplayName")).filter((a): a is string => a !== undefined).sort();
      }

      let domainSid: string | undefined;
      const trustees = new TrusteeTracker();
      const psosRead = new Set<string>();
      const searches = adEntrySearches(baseDN, this.outcome.lapsAttributes);
      const lastDataSearch = searches.length - 1;
      for (let i = 0; i < searches.length; i++) {
        const search = searches[i]!;
        const run = session.run(search, searchAreas(search.step));
        for (;;) {
          const next = await run.next();
          if (next.done) {
            this.checkReferences(search.step, next.value.call, next.value.references, otherPartitions);
            break;
          }
          for (const entry of next.value) {
            if (search.step === "domain") domainSid = sidOf(entry);
            if (search.step === "passwordSettings") psosRead.add(dnKey(entry.dn));
            trustees.see(entry);
            yield entry;
          }
        }
        if (search.step === "passwordSettings" && session.usable) await this.checkPsosReadable(baseDN, psosRead);
        // Trustees are known once every security descriptor has arrived; look the rest up.
        if (i === lastDataSearch && session.usable) {
          this.outcome.unresolvedTrustees = trustees.unresolved();
          searches.push(...trusteeSearches(baseDN, this.outcome.unresolvedTrustees));
        }
      }

      if (domainSid) await this.collectPrivilegedMembers(baseDN, domainSid);
    } finally {
      await session.close();
      session.finish();
    }
  }

  /**
   * PSOs override the domain password policy for the accounts they apply to. A bind account
   * that may not read them gets an empty passwordSettings search, as if the domain had none:
   * compare with what the container lists, so unreadable PSOs make the policies unknown
   * instead of silently the domain's.
   */
  private async checkPsosReadable(baseDN: string, psosRead: ReadonlySet<string>): Promise<void> {
    const listing = await this.session.all(psoContainerListing(baseDN), searchAreas("passwordSettings"), true, true);
    const unread = listing.entries.map((e) => e.dn).filter((dn) => !psosRead.has(dnKey(dn)));
    if (unread.length === 0) return;
    this.session.fail(
      new LdapCollectionError(
        this.outcome.endpoint,
        "passwordSettings",
        `${unread.length} password settings object(s) are listed in the Password Settings Container but could not be read (${firstNames(unread)}): the bind account needs read access to them; the password policy of the accounts they apply to is unknown`,
        "insufficient-access",
        listing.record.call,
      ),
      searchAreas("passwordSettings"),
    );
  }

  private async collectPrivilegedMembers(baseDN: string, domainSid: string): Promise<void> {
    const groups = await this.session.all(privilegedGroupSearch(baseDN, domainSid), ["accounts.privileged"]);
    for (const group of groups.entries) {
      const members = await this.session.all(transitiveMembersSearch(baseDN, group.dn), ["accounts.privileged"]);
      this.outcome.privilegedMembers[group.dn] = members.entries.map((e) => e.dn);
    }
  }

  /**
   * A DC answers a subtree search from the domain root with references to its other naming
   * contexts (Configuration, DNS zones): those hold no accounts and are expected. Any other
   * reference means entries in scope live on another server and were not collected.
   */
  private checkReferences(step: string, call: string, references: string[], otherPartitions: string[]): void {
    const unexpected = references.filter((ref) => !otherPartitions.includes(referenceDn(ref)));
    if (unexpected.length === 0) return;
    this.session.fail(
      new LdapCollectionError(this.outcome.endpoint, step, `the server referred ${unexpected.length} part(s) of the search to another server (${firstNames(unexpected)}); those entries were not collected`, "referral", call),
      searchAreas(step),
    );
  }
}

function referenceDn(url: string): string {
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/^\//, "")).split("?")[0]!.toLowerCase();
  } catch {
    return url.toLowerCase();
  }
}

/** objectSid (binary, MS-DTYP 2.4.2) as S-1-5-21-...; only the domain's own SID is needed here. */
function sidOf(entry: LdapEntry): string | undefined {
  const bytes = entry.attributes["objectsid"]?.[0];
  if (!bytes || bytes.length < 8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + bytes[i]!;
  const parts = [`S-${bytes[0]}-${authority}`];
  for (let i = 0; i < bytes[1]!; i++) parts.push(String(view.getUint32(8 + i * 4, true)));
  return parts.join("-");
}

/** The `ad` collector's live transport (plugged into createAdCollector for sources with `url:`). */
export function liveAdTransport(context: CollectorContext<"ad" | "ldap">): LdapTransport {
  const transport = new LiveAdTransport(liveSettingsFrom(context.source), context);
  return asLdapTransport(transport.entries(), transport.outcome);
}

/** Collects ACE trustees and owners from security descriptors, and the SIDs of collected objects. */
class TrusteeTracker {
  private readonly trustees = new Set<string>();
  private readonly known = new Set<string>();

  see(entry: LdapEntry): void {
    const sid = entry.attributes["objectsid"]?.[0];
    if (sid) {
      try {
        this.known.add(decodeSid(sid));
      } catch {
        // an undecodable SID is the normalizer's to report, with the entry named
      }
    }
    const sd = entry.attributes["ntsecuritydescriptor"]?.[0];
    if (!sd) return;
    try {
      const parsed = parseSecurityDescriptor(sd);
      if (parsed.owner) this.trustees.add(parsed.owner);
      for (const ace of parsed.dacl ?? []) this.trustees.add(ace.sid);
    } catch {
      // likewise: the normalizer reports a malformed descriptor
    }
  }

  unresolved(): string[] {
    return [...this.trustees].filter((sid) => !this.known.has(sid) && wellKnownSidName(sid) === null && !/^S-1-5-32-/.test(sid)).sort();
  }
}
