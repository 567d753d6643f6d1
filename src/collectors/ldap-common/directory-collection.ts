// The part of the ad and ldap collectors that does not depend on the directory kind: pick the
// transport (file export or live), drain it through a normalizer with progress, and turn the
// result into a SourcePart with counts, queries and errors.
import type { Query, Source, SourceError } from "../../snapshot/types.ts";
import type { CollectorContext } from "../collector.ts";
import type { NormalizedDirectoryFacts } from "../normalized-facts.ts";
import type { LdapEntry } from "./entry.ts";
import { EntryCompleteness } from "./entry-completeness.ts";
import { resolveSourceFile } from "./source-file.ts";
import type { LdapTransport } from "./transport.ts";

/** A live transport factory: the live-LDAP code plugs in here. Null when `url:` is not set. */
export type LiveTransportFactory = (context: CollectorContext<"ad" | "ldap">) => Promise<LdapTransport | null> | LdapTransport | null;

export interface DirectoryRun<N extends NormalizedDirectoryFacts> {
  source: Source;
  normalized: N | null;
}

export async function runDirectoryCollection<N extends NormalizedDirectoryFacts>(
  context: CollectorContext<"ad" | "ldap">,
  kind: "ad" | "ldap",
  fileTransport: (path: string, displayName: string, onEntry: () => void) => LdapTransport,
  live: LiveTransportFactory | undefined,
  normalize: (entries: AsyncIterable<LdapEntry>, transport: LdapTransport, collectedAt: string) => Promise<N>,
): Promise<DirectoryRun<N>> {
  const collectedAt = new Date().toISOString();
  const errors: SourceError[] = [];
  const source = (transport: "file" | "live", endpoint: string, status: Source["status"], queries: Query[], counts: Record<string, number>, namingContext: string | null = null): Source => ({
    id: context.source.id,
    kind,
    transport,
    endpoint,
    collectedAt,
    status,
    errors,
    counts,
    queries,
    namingContext,
  });

  const file = await resolveSourceFile(context);
  let transport: LdapTransport | null = null;
  if (file && !file.ok) {
    errors.push({ step: `${kind}-ldif`, call: `read LDIF ${file.displayName}`, message: file.message, affects: ["*"] });
    return { source: source("file", file.displayName, "error", [{ step: `${kind}-ldif`, call: `read LDIF ${file.displayName}`, resultCount: 0, status: "missing" }], {}), normalized: null };
  }
  if (file) {
    context.progress.step(`${context.source.id}: reading ${file.displayName}`);
    transport = fileTransport(file.path, file.displayName, () => context.progress.tick());
  } else if (live) {
    transport = await live(context);
  }
  if (!transport) {
    errors.push({ step: "transport", message: `source ${context.source.id} has neither file: nor a live transport for url:`, affects: ["*"] });
    return { source: source("live", String(context.source.url ?? ""), "error", [], {}), normalized: null };
  }
  const completeness = new EntryCompleteness(kind);
  const normalized = await normalize(observed(transport, completeness), transport, collectedAt);
  for (const gap of normalized.gaps) errors.push({ step: gap.step, message: gap.message, affects: gap.affects });
  for (const gap of completeness.gaps(normalized.namingContext)) errors.push(gap);
  if (transport.kind === "file" && (normalized.counts.entries ?? 0) === 0) {
    // A search of a base that exists returns at least the base entry: an export without any
    // entry was not written, or searched a base the server does not hold. Never "no accounts".
    errors.push({ step: "entries", message: `${transport.endpoint} holds no entry: a search returns at least its base entry, so the export failed or searched the wrong base; re-export`, affects: ["*"] });
  }
  const queries = transport.queries();
  const outcome = transport.outcome?.();
  if (outcome) errors.unshift(...outcome.errors);
  const failed = queries.some((q) => q.status === "error" || q.status === "partial");
  const status: Source["status"] = outcome?.status === "error" ? "error" : failed || errors.length ? "partial" : "ok";
  return { source: source(transport.kind, transport.endpoint, status, queries, normalized.counts, normalized.namingContext), normalized };
}

async function* observed(transport: LdapTransport, completeness: EntryCompleteness): AsyncGenerator<LdapEntry> {
  for await (const entry of transport.entries) {
    if (!completeness.see(entry) && transport.repeated) throw transport.repeated(entry);
    yield entry;
  }
}
