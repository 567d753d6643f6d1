// The seam between where directory entries come from (an LDIF export, a live LDAP search)
// and the shared normalizers: a stream of LdapEntry plus the record of queries issued.
import type { Query, SourceError } from "../../snapshot/types.ts";
import type { LdapEntry } from "./entry.ts";
import type { AttributeValueError } from "./entry-values.ts";

export interface LdapTransport {
  kind: "file" | "live";
  /** Server URL or export file, as the snapshot's source.endpoint shows it. */
  endpoint: string;
  entries: AsyncIterable<LdapEntry>;
  /** Queries/reads issued so far with their result counts; complete once `entries` is drained. */
  queries(): Query[];
  /** Live transports: failures (server and step named) and whether anything was collected at all;
   *  read once `entries` is drained. A file transport reports problems by throwing instead. */
  outcome?(): { status: "ok" | "partial" | "error"; errors: SourceError[] };
  /** A file transport: the error for an entry whose DN an earlier entry already had. */
  repeated?(entry: LdapEntry): Error;
  /** Turns a value the normalizer cannot decode into a located error (file:line, or DN). */
  locate(entry: LdapEntry, error: AttributeValueError): Error;
}
