// Merges snapshot parts collected separately (`credgov collect --source ID`, one job per source,
// each on its own runner) into the snapshot one collect of every source would have written:
// each part's sources are taken apart again into what their collector returned, and
// identities are correlated across all of them here, as collect does. The identities a part
// carries (correlated within that part only) are left behind.
import type { SourcePart } from "./source-part.ts";
import { UserInputError } from "../errors.ts";
import { assembleSnapshot, type AssembledSnapshot } from "./assemble.ts";
import type { ExplicitLink } from "./correlate.ts";
import type { Snapshot } from "./types.ts";

export interface NamedPart {
  /** File the part was read from, for error messages. */
  file: string;
  snapshot: Snapshot;
}

export interface MergeOptions {
  /** Explicit links of the config (correlation.links), as collect applies them. */
  links?: readonly ExplicitLink[];
  /** Source ids in the config's order; sources the config does not list follow, in the order of the parts. */
  sourceOrder?: readonly string[];
  /**
   * Parts standing for configured sources that have no part (their job failed or never ran):
   * failed source parts, so their controls are `error`, never `pass`.
   */
  missing?: readonly SourcePart[];
  generatedAt?: Date;
  /** Default: the parts' generator (they must agree on the config they were collected with). */
  generator?: Snapshot["generator"];
}

export function mergeSnapshotParts(parts: readonly NamedPart[], options: MergeOptions = {}): AssembledSnapshot {
  if (parts.length === 0) throw new UserInputError("no snapshot part to merge", { field: "PART" });
  const bySource = new Map<string, { part: SourcePart; file: string }>();
  for (const { file, snapshot } of parts) {
    for (const source of snapshot.sources) {
      const earlier = bySource.get(source.id);
      if (earlier) throw new UserInputError(`source ${source.id} is in two parts (also in ${earlier.file}); collect each source once`, { file, field: "sources" });
      const settings = snapshot.settings[source.id];
      if (!settings) throw new UserInputError(`source ${source.id} has no settings entry`, { file, field: `settings.${source.id}` });
      bySource.set(source.id, { file, part: { source, settings, passwordPolicies: [], accounts: [], credentials: [], resetPaths: [] } });
    }
    const partOf = (sourceId: string, what: string): SourcePart => {
      const entry = bySource.get(sourceId);
      if (!entry || entry.file !== file) throw new UserInputError(`${what} of source ${sourceId}, which this part does not list in sources`, { file, field: what });
      return entry.part;
    };
    for (const p of snapshot.passwordPolicies) partOf(p.source, "passwordPolicies").passwordPolicies.push(p);
    for (const a of snapshot.accounts) partOf(a.source, "accounts").accounts.push(a);
    for (const c of snapshot.credentials) partOf(c.source, "credentials").credentials.push(c);
    for (const r of snapshot.resetPaths) partOf(r.source, "resetPaths").resetPaths.push(r);
  }
  const generator = options.generator ?? agreedGenerator(parts);
  for (const part of options.missing ?? []) if (!bySource.has(part.source.id)) bySource.set(part.source.id, { file: "", part });
  const rank = new Map((options.sourceOrder ?? []).map((id, k) => [id, k]));
  const ordered = [...bySource.values()].map((e, k) => ({ part: e.part, key: rank.get(e.part.source.id) ?? rank.size + k })).sort((x, y) => x.key - y.key);
  return assembleSnapshot(
    ordered.map((o) => o.part),
    { generator, links: options.links, ...(options.generatedAt ? { generatedAt: options.generatedAt } : {}) },
  );
}

/** The generator every part names; parts collected with different configs do not make one estate. */
function agreedGenerator(parts: readonly NamedPart[]): Snapshot["generator"] {
  const first = parts[0].snapshot.generator;
  for (const { file, snapshot } of parts.slice(1)) {
    if (snapshot.generator.configSha256 !== first.configSha256) {
      throw new UserInputError(`was collected with another configuration (configSha256 ${String(snapshot.generator.configSha256).slice(0, 12)}… vs ${String(first.configSha256).slice(0, 12)}… in ${parts[0].file})`, { file, field: "generator.configSha256" });
    }
  }
  return first;
}
