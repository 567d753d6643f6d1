// A cloud source's (Entra ID, GitHub) snapshot part: the normalizer's facts inside the source
// record that says how, from where and how completely they were read. Both transports (live,
// export files) of both kinds build their part here.
import type { SourcePart } from "../snapshot/source-part.ts";
import type { Query, SourceError } from "../snapshot/types.ts";
import type { NormalizedFacts } from "./normalized-facts.ts";

export interface CloudRead {
  transport: "live" | "file";
  endpoint: string;
  collectedAt: string;
  status: "ok" | "partial" | "error";
  errors: SourceError[];
  queries: Query[];
  /** The tenant's default domain or the organization's login, else what the config names. */
  namingContext: string | null;
}

export function cloudSourcePart(id: string, kind: "entra" | "github", facts: NormalizedFacts, read: CloudRead): SourcePart {
  return {
    source: {
      id,
      kind,
      transport: read.transport,
      endpoint: read.endpoint,
      collectedAt: read.collectedAt,
      status: read.status,
      errors: read.errors,
      counts: facts.counts,
      queries: read.queries,
      namingContext: read.namingContext,
    },
    settings: facts.settings,
    passwordPolicies: facts.passwordPolicies,
    accounts: facts.accounts,
    credentials: facts.credentials,
    resetPaths: facts.resetPaths,
  };
}
