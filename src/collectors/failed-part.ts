// The snapshot part of a source that could not be collected at all: status error, the reason
// in its errors, nothing else. Policies then report the source's controls as `error`, never pass.
import type { SourceKind } from "../config/types.ts";
import type { SourcePart } from "../snapshot/source-part.ts";

export function failedSourcePart(
  source: { id: string; kind: SourceKind },
  failure: { step: string; message: string; code: string },
  where: { transport: "live" | "file"; endpoint: string; namingContext?: string | null },
): SourcePart {
  return {
    source: {
      id: source.id,
      kind: source.kind,
      transport: where.transport,
      endpoint: where.endpoint,
      collectedAt: new Date().toISOString(),
      status: "error",
      errors: [failure],
      counts: {},
      queries: [],
      namingContext: where.namingContext ?? null,
    },
    settings: { kind: source.kind },
    passwordPolicies: [],
    accounts: [],
    credentials: [],
    resetPaths: [],
  };
}
