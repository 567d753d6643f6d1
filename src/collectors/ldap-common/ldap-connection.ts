// One authenticated LDAP session for the live AD and OpenLDAP transports, built on ldapts:
// TLS or StartTLS, a simple bind whose password comes from an environment variable, paged
// searches that hand entries on page by page, and failures turned into messages that name the
// server and the step (never the password).
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import net from "node:net";
import tls, { type ConnectionOptions } from "node:tls";
import { Client, Control, type BerWriter, type Entry } from "ldapts";
import { rangesComplete, readAttributeDescription } from "./attribute-description.ts";
import type { LdapEntry } from "./entry.ts";
import { LdapCollectionError, classifyLdapError } from "./ldap-connection-error.ts";
import { completeRangedValues, firstRange, type RangeFetch } from "./ranged-values.ts";

export interface LdapConnectionSettings {
  url: string;
  bindDN?: string;
  /** Name of the environment variable holding the bind password (never the password itself). */
  passwordEnv?: string;
  startTLS?: boolean;
  tls?: { caFile?: string; rejectUnauthorized?: boolean };
  pageSize?: number;
  timeoutMs?: number;
  /**
   * AD: ask for the attributes in RANGED_ATTRIBUTES in ranges of this many values. Without it
   * whole attributes are asked for, and the ranges a DC answers with (MaxValRange) are followed.
   */
  valueRangeSize?: number;
}

/** The multi-valued attributes that reach AD's MaxValRange in practice (large groups). */
const RANGED_ATTRIBUTES = new Set(["member", "memberof"]);

export interface LdapSearch {
  /** Collection step the search belongs to ("users", "psos", ...), used in records and errors. */
  step: string;
  base: string;
  scope: "base" | "one" | "sub";
  filter: string;
  attributes: string[];
  /** Ask for owner + DACL of nTSecurityDescriptor (LDAP_SERVER_SD_FLAGS_OID). */
  securityDescriptor?: boolean;
  /** Single-page searches (base entry, rootDSE) skip the paged results control. */
  paged?: boolean;
}

/** What one search did, as recorded in the snapshot's source.queries. */
export interface LdapSearchRecord {
  step: string;
  call: string;
  resultCount: number;
  pages: number;
  status: "ok" | "partial" | "error";
  durationMs: number;
  /** Continuation references (referrals) returned instead of entries. */
  references: string[];
}

const SD_FLAGS_OID = "1.2.840.113556.1.4.801";
/** OWNER_SECURITY_INFORMATION (1) | DACL_SECURITY_INFORMATION (4): enough to derive reset rights. */
export const SD_FLAGS_OWNER_DACL = 0x05;

/** LDAP_SERVER_SD_FLAGS control: without it AD returns no nTSecurityDescriptor to non-admins
 *  (SACL needs a privilege), with it the owner and the DACL only. */
class SdFlagsControl extends Control {
  private readonly flags: number;
  constructor(flags: number) {
    super(SD_FLAGS_OID, { critical: true });
    this.flags = flags;
  }
  protected override writeControl(writer: BerWriter): void {
    // SDFlagsRequestValue ::= SEQUENCE { Flags INTEGER }
    writer.writeBuffer(Buffer.from([0x30, 0x03, 0x02, 0x01, this.flags]), 0x04);
  }
}

export function newSearchRecord(search: LdapSearch): LdapSearchRecord {
  return { step: search.step, call: describeSearch(search), resultCount: 0, pages: 0, status: "ok", durationMs: 0, references: [] };
}

/** `base?scope?filter?attrs`, the form auditors read in source.queries. */
export function describeSearch(search: LdapSearch): string {
  const controls = search.securityDescriptor ? `?sdflags=${SD_FLAGS_OWNER_DACL}` : "";
  return `${search.base}?${search.scope}?${search.filter}?${search.attributes.join(",")}${controls}`;
}

/** Endpoint as shown in messages: scheme, host and port only. */
export function serverName(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}`;
  } catch {
    return url;
  }
}

export class LdapConnection {
  readonly server: string;
  private readonly client: Client;
  private readonly pageSize: number;
  private readonly valueRangeSize: number | undefined;
  /** The bind password, redacted from any error text (ldap-connection-error.ts). */
  private readonly secrets: readonly (string | undefined)[];

  private constructor(client: Client, server: string, pageSize: number, valueRangeSize: number | undefined, secrets: readonly (string | undefined)[]) {
    this.client = client;
    this.server = server;
    this.pageSize = pageSize;
    this.valueRangeSize = valueRangeSize;
    this.secrets = secrets;
  }

  /** Connects, upgrades with StartTLS when asked, and binds. Throws LdapCollectionError (step "connect"/"bind"). */
  static async open(settings: LdapConnectionSettings, env: NodeJS.ProcessEnv, configDir: string): Promise<LdapConnection> {
    const server = serverName(settings.url);
    const timeout = settings.timeoutMs ?? 30_000;
    const tlsOptions: ConnectionOptions = { rejectUnauthorized: settings.tls?.rejectUnauthorized ?? true };
    if (settings.tls?.caFile) {
      const caPath = resolve(configDir, settings.tls.caFile);
      try {
        tlsOptions.ca = await readFile(caPath);
      } catch (error) {
        throw new LdapCollectionError(server, "tls", `cannot read the CA file ${caPath} (tls.caFile): ${(error as Error).message}`, "tls-ca-file");
      }
    }
    let password: string | undefined;
    if (settings.bindDN) {
      const name = settings.passwordEnv;
      password = name ? env[name] : undefined;
      if (!name || password === undefined || password === "") {
        throw new LdapCollectionError(server, "bind", `no bind password: set the environment variable named by passwordEnv${name ? ` (${name})` : ""}`, "missing-password");
      }
    }
    // ldapts treats any tlsOptions as "connect with TLS": give them only to ldaps:// (StartTLS
    // gets them at the upgrade), or a plain ldap:// URL would be spoken to in TLS.
    const secure = settings.url.toLowerCase().startsWith("ldaps:");
    const client = new Client({
      url: settings.url,
      timeout,
      connectTimeout: timeout,
      ...(secure ? { tlsOptions } : {}),
      strictDN: false,
      // Nagle's algorithm on the request side stalls every page turn (measured: 2x slower
      // collections over loopback); requests are small and latency-bound, so send at once.
      createConnection: ((port: number, host: string) => net.connect(port, host).setNoDelay(true)) as typeof net.connect,
      createSecureConnection: ((...args: Parameters<typeof tls.connect>) => tls.connect(...args).setNoDelay(true)) as typeof tls.connect,
    });
    const connection = new LdapConnection(client, server, settings.pageSize ?? 1000, settings.valueRangeSize, [password]);
    let step = "connect";
    try {
      if (settings.startTLS) {
        step = "startTLS";
        // With an existing socket Node checks the certificate against `host`, else "localhost".
        await client.startTLS({ ...tlsOptions, host: new URL(settings.url).hostname });
      }
      step = "bind";
      if (settings.bindDN && password !== undefined) await client.bind(settings.bindDN, password);
    } catch (error) {
      await connection.close();
      // ldapts connects lazily inside the first operation: a socket or TLS failure surfaces here.
      const failure = classifyLdapError(error, server, step, undefined, 0, connection.secrets);
      if (secure && failure.code === "connection-lost" && step === "bind") {
        // A plain-LDAP server drops the connection when a TLS ClientHello arrives.
        throw new LdapCollectionError(server, "connect", "TLS failure: the server closed the connection during the TLS handshake (does this port speak LDAPS?)", "tls");
      }
      throw failure;
    }
    return connection;
  }

  /**
   * Runs one search and yields its entries page by page, so 100k entries never sit in memory
   * at once. `record` is filled as pages arrive (the caller keeps it for source.queries even
   * when the search fails). Failures throw LdapCollectionError naming server, step and how
   * many entries had already arrived; record.status is then "error".
   */
  async *search(search: LdapSearch, record: LdapSearchRecord = newSearchRecord(search)): AsyncGenerator<LdapEntry[], LdapSearchRecord> {
    const started = performance.now();
    const controls = search.securityDescriptor ? [new SdFlagsControl(SD_FLAGS_OWNER_DACL)] : [];
    const rangeSize = this.valueRangeSize;
    const attributes = rangeSize === undefined ? search.attributes : search.attributes.map((a) => (RANGED_ATTRIBUTES.has(a.toLowerCase()) ? firstRange(a, rangeSize) : a));
    const options = {
      scope: search.scope,
      filter: search.filter,
      attributes,
      // Every requested attribute comes back as raw bytes, exactly as an LDIF export carries them.
      explicitBufferAttributes: bufferAttributeNames(search.attributes),
    };
    try {
      // ldapts silently reconnects (unauthenticated) when the socket went away: a search on such
      // a session could return an anonymous view of the directory as if it were the bound one.
      if (!this.client.isConnected) throw new LdapCollectionError(this.server, search.step, "connection lost before this search; results are incomplete", "connection-lost", record.call);
      if (search.paged === false) {
        const page = await this.client.search(search.base, options, controls);
        record.pages = 1;
        record.resultCount += page.searchEntries.length;
        record.references.push(...page.searchReferences);
        yield await this.withAllValues(page.searchEntries.map(toLdapEntry));
      } else {
        const pages = this.client.searchPaginated(search.base, { ...options, paged: { pageSize: this.pageSize } }, controls);
        let next = pages.next();
        for (;;) {
          const current = await next;
          if (current.done) break;
          // Ask for the following page before handing this one on, so the server works on it
          // while the caller converts and normalizes this one (one page in flight, no more).
          next = pages.next();
          next.catch(() => undefined); // observed when awaited; avoids an unhandled rejection meanwhile
          const page = current.value;
          record.pages++;
          record.resultCount += page.searchEntries.length;
          record.references.push(...page.searchReferences);
          yield await this.withAllValues(page.searchEntries.map(toLdapEntry));
        }
      }
    } catch (error) {
      record.status = "error";
      throw classifyLdapError(error, this.server, search.step, record.call, record.resultCount, this.secrets);
    } finally {
      record.durationMs = Math.round(performance.now() - started);
    }
    return record;
  }

  /** Completes the ranged attributes of a page's entries (see ranged-values.ts) before they are handed on. */
  private async withAllValues(entries: LdapEntry[]): Promise<LdapEntry[]> {
    for (const entry of entries) if (entry.partialAttributes) await completeRangedValues(entry, this.fetchRange);
    return entries;
  }

  private readonly fetchRange: RangeFetch = async (dn, attribute, from) => {
    const { searchEntries } = await this.client.search(dn, { scope: "base", filter: "(objectClass=*)", attributes: [`${attribute};range=${from}-*`] });
    const entry = searchEntries[0];
    if (!entry) return undefined;
    for (const description in entry) {
      if (description === "dn" || readAttributeDescription(description).name !== attribute) continue;
      return { description, values: valuesOf(entry[description]!) };
    }
    return undefined;
  };

  async close(): Promise<void> {
    try {
      await this.client.unbind();
    } catch {
      // The session is gone either way; a failed unbind changes nothing about what was collected.
    }
  }
}

/** ldapts matches buffer attributes by the exact name the server returns, so list the usual spellings. */
function bufferAttributeNames(attributes: string[]): string[] {
  const names = new Set<string>();
  for (const a of attributes) names.add(a).add(a.toLowerCase());
  return [...names];
}

const utf8 = new TextEncoder();

/** Hot path (once per entry): plain loops, no intermediate arrays. Values become plain
 *  Uint8Array views (not Buffers) so both transports hand the normalizer the same type. */
function toLdapEntry(entry: Entry): LdapEntry {
  // No prototype: attribute names come from the server (`constructor` is a valid name).
  const attributes: Record<string, Uint8Array[]> = Object.create(null) as Record<string, Uint8Array[]>;
  let partialAttributes: string[] | undefined;
  for (const name in entry) {
    if (name === "dn") continue;
    let key = name.toLowerCase();
    if (key.includes(";")) {
      // Read as the LDIF reader reads it (`;binary` dropped). A first slice of AD range retrieval
      // (`member;range=0-1499`) is filed under the plain name and marked partial until
      // withAllValues has followed the rest.
      const described = readAttributeDescription(name);
      key = described.name;
      if (described.range && !rangesComplete([described.range])) (partialAttributes ??= []).push(name);
    }
    const target = attributes[key] ?? [];
    pushValues(target, entry[name]!);
    // ldapts fills requested-but-absent attributes with []: absent, as in LDIF
    if (target.length > 0) attributes[key] = target;
  }
  return partialAttributes ? { dn: entry.dn, attributes, partialAttributes } : { dn: entry.dn, attributes };
}

type EntryValue = Entry[string];

function pushValues(target: Uint8Array[], value: EntryValue): void {
  if (Array.isArray(value)) {
    for (const v of value) target.push(typeof v === "string" ? utf8.encode(v) : new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  } else {
    target.push(typeof value === "string" ? utf8.encode(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  }
}

function valuesOf(value: EntryValue): Uint8Array[] {
  const values: Uint8Array[] = [];
  pushValues(values, value);
  return values;
}
