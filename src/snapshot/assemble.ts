// Merges what each source contributed into one Snapshot, then correlates identities across
// sources. Arrays are appended element by element: spreading 300k accounts into push() would
// overflow the call stack.
import type { SourcePart } from "./source-part.ts";
import { correlate, type ExplicitLink } from "./correlate.ts";
import type { Snapshot } from "./types.ts";

export interface AssembleOptions {
  generator: Snapshot["generator"];
  generatedAt?: Date;
  links?: readonly ExplicitLink[];
}

export interface AssembledSnapshot {
  snapshot: Snapshot;
  /** Explicit config links naming accounts that were not collected. */
  unresolvedLinks: string[];
}

export function assembleSnapshot(parts: readonly SourcePart[], options: AssembleOptions): AssembledSnapshot {
  const snapshot: Snapshot = {
    schemaVersion: 1,
    generatedAt: (options.generatedAt ?? new Date()).toISOString(),
    generator: options.generator,
    sources: [],
    passwordPolicies: [],
    accounts: [],
    credentials: [],
    resetPaths: [],
    identities: [],
    correlation: { ambiguous: [] },
    settings: {},
  };
  for (const part of parts) {
    snapshot.sources.push(part.source);
    snapshot.settings[part.source.id] = part.settings;
    append(snapshot.passwordPolicies, part.passwordPolicies);
    append(snapshot.accounts, part.accounts);
    append(snapshot.credentials, part.credentials);
    append(snapshot.resetPaths, part.resetPaths);
  }
  const result = correlate(snapshot.accounts, options.links ?? []);
  snapshot.identities = result.identities;
  snapshot.correlation = result.correlation;
  return { snapshot, unresolvedLinks: result.unresolvedLinks };
}

function append<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}
