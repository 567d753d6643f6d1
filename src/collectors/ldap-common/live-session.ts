// Bookkeeping shared by the live AD and OpenLDAP transports: runs searches on one connection,
// records every one of them for source.queries, and turns failures into source errors and a
// status, so a collection that stopped half-way is never reported as complete.
import type { Query, SourceError } from "../../snapshot/types.ts";
import type { SourceSettingsOf } from "../../config/types.ts";
import type { CollectionProgress } from "../collector.ts";
import type { LdapEntry } from "./entry.ts";
import type { AttributeValueError } from "./entry-values.ts";
import type { LdapTransport } from "./transport.ts";
import { LdapConnection, newSearchRecord, serverName, type LdapConnectionSettings, type LdapSearch, type LdapSearchRecord } from "./ldap-connection.ts";
import { LdapCollectionError, classifyLdapError } from "./ldap-connection-error.ts";

/** What the snapshot's source entry needs from a live collection, besides the entries. */
/** What a live LDAP transport (AD or plain LDAP) needs from the collector run besides its settings. */
export interface LiveTransportContext {
  env: NodeJS.ProcessEnv;
  configDir: string;
  progress?: CollectionProgress;
  log?: (message: string) => void;
}

export interface LiveOutcome {
  endpoint: string;
  namingContext: string | null;
  status: "ok" | "partial" | "error";
  errors: SourceError[];
  queries: Query[];
}

/** Failures after which the connection cannot serve another search. */
const FATAL_CODES = new Set(["unreachable", "tls", "connection-lost", "timeout", "invalid-credentials", "strong-auth-required", "confidentiality-required", "missing-password", "tls-ca-file"]);

export class LiveSession {
  readonly outcome: LiveOutcome;
  private connection?: LdapConnection;
  private readonly settings: LdapConnectionSettings;
  private readonly progress?: CollectionProgress;
  private readonly log: (message: string) => void;
  private delivered = 0;

  constructor(settings: LdapConnectionSettings, progress: CollectionProgress | undefined, log: (message: string) => void) {
    this.settings = settings;
    this.progress = progress;
    this.log = log;
    this.outcome = { endpoint: serverName(settings.url), namingContext: null, status: "ok", errors: [], queries: [] };
  }

  /** Connects and binds; false (with the error recorded) when that failed. */
  async open(env: NodeJS.ProcessEnv, configDir: string): Promise<boolean> {
    this.progress?.step("connect");
    try {
      this.connection = await LdapConnection.open(this.settings, env, configDir);
      this.log(`${this.outcome.endpoint}: connected${this.settings.bindDN ? ` and bound as ${this.settings.bindDN}` : ""}`);
      return true;
    } catch (error) {
      this.fail(classifyLdapError(error, this.outcome.endpoint, "connect"), ["*"]);
      return false;
    }
  }

  get usable(): boolean {
    return this.connection !== undefined;
  }

  /**
   * Streams one search's entries. On failure records the error, marks the collection partial
   * (or error when nothing was collected) and ends the stream; after a fatal failure the
   * session is closed and later searches are recorded as not run.
   */
  async *run(search: LdapSearch, affects: string[], probe = false, absentIsEmpty = false): AsyncGenerator<LdapEntry[], LdapSearchRecord> {
    const record = newSearchRecord(search);
    if (!this.connection) {
      this.outcome.queries.push({ step: record.step, call: record.call, resultCount: 0, pages: 0, status: "missing", durationMs: 0 });
      return record;
    }
    this.progress?.step(search.step);
    try {
      for await (const page of this.connection.search(search, record)) {
        // Probe results (rootDSE, schema) are not directory facts: they do not make a failed
        // collection "partial" rather than "error".
        if (!probe) this.delivered += page.length;
        this.progress?.tick(page.length);
        yield page;
      }
    } catch (error) {
      const failure = classifyLdapError(error, this.outcome.endpoint, search.step, record.call, record.resultCount);
      // A probe of an object that need not exist: its absence is an answer, not a failure.
      if (absentIsEmpty && failure.code === "no-such-object" && record.resultCount === 0) return record;
      record.status = record.resultCount > 0 ? "partial" : "error";
      this.fail(failure, affects);
      if (FATAL_CODES.has(failure.code)) await this.close();
    } finally {
      this.outcome.queries.push({ step: record.step, call: record.call, resultCount: record.resultCount, pages: record.pages, status: record.status, durationMs: record.durationMs });
      this.log(`${this.outcome.endpoint}: ${record.step}: ${record.resultCount} entries in ${record.pages} page(s), ${record.durationMs} ms`);
    }
    return record;
  }

  /** Collects a (small) search fully: probes whose results steer later searches, and lookups. */
  async all(search: LdapSearch, affects: string[], probe = true, absentIsEmpty = false): Promise<{ entries: LdapEntry[]; record: LdapSearchRecord }> {
    const entries: LdapEntry[] = [];
    const generator = this.run(search, affects, probe, absentIsEmpty);
    for (;;) {
      const next = await generator.next();
      if (next.done) return { entries, record: next.value };
      entries.push(...next.value);
    }
  }

  /** Records a failure that is not a thrown search error (e.g. an unexpected referral). */
  fail(error: LdapCollectionError, affects: string[]): void {
    this.outcome.errors.push({ step: error.step, ...(error.call ? { call: error.call } : {}), message: error.message, code: error.code, affects });
    this.outcome.status = this.delivered > 0 || this.outcome.status === "partial" ? "partial" : "error";
  }

  /** After the last search: a collection that failed before any entry arrived is an error. */
  finish(): LiveOutcome {
    if (this.outcome.errors.length > 0 && this.delivered === 0) this.outcome.status = "error";
    return this.outcome;
  }

  async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    await connection?.close();
  }
}

/** The connection settings of an `ad`/`ldap` source with `url:` (already schema-validated). */
export function liveSettingsFrom(source: SourceSettingsOf<"ad" | "ldap">): LdapConnectionSettings & { baseDN?: string; ownerAttributes?: string[] } {
  const tls = source.tls as { caFile?: string; rejectUnauthorized?: boolean } | undefined;
  return {
    url: String(source.url),
    baseDN: typeof source.baseDN === "string" ? source.baseDN : undefined,
    bindDN: typeof source.bindDN === "string" ? source.bindDN : undefined,
    passwordEnv: typeof source.passwordEnv === "string" ? source.passwordEnv : undefined,
    startTLS: source.startTLS === true,
    tls,
    pageSize: typeof source.pageSize === "number" ? source.pageSize : undefined,
    timeoutMs: typeof source.timeoutMs === "number" ? source.timeoutMs : undefined,
    // OpenLDAP has no range retrieval: an attribute name with a range option would match nothing.
    valueRangeSize: source.kind === "ad" && typeof source.valueRangeSize === "number" ? source.valueRangeSize : undefined,
    ownerAttributes: Array.isArray(source.ownerAttributes) ? source.ownerAttributes.map(String) : undefined,
  };
}

/** Wraps a live entry stream and its outcome as the LdapTransport the shared normalizers read. */
export function asLdapTransport(entries: AsyncIterable<LdapEntry>, outcome: LiveOutcome): LdapTransport {
  return {
    kind: "live",
    endpoint: outcome.endpoint,
    entries,
    queries: () => outcome.queries,
    outcome: () => ({ status: outcome.status, errors: outcome.errors }),
    // A value the normalizer cannot decode came from the server: name the server, entry and attribute.
    locate: (entry: LdapEntry, error: AttributeValueError) => new Error(`${outcome.endpoint}: entry ${entry.dn}: attribute ${error.attribute}: ${error.message}`),
  };
}
