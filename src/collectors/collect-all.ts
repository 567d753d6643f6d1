// The collect stage as a library function: every selected source of a loaded config -> one
// assembled, schema-checked snapshot. Callers (the CLI, benchmarks) decide how progress is
// shown and where the snapshot is written.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { UserInputError } from "../errors.ts";
import { packageVersion } from "../package-version.ts";
import type { CredgovConfig, SourceConfigEntry } from "../config/types.ts";
import { assembleSnapshot } from "../snapshot/assemble.ts";
import { checkIntegrity } from "../snapshot/integrity.ts";
import type { SourcePart } from "../snapshot/source-part.ts";
import type { Snapshot } from "../snapshot/types.ts";
import { validateSnapshot, type SnapshotProblem } from "../snapshot/validate.ts";
import type { CollectionProgress } from "./collector.ts";
import { failedSourcePart } from "./failed-part.ts";
import { collectorFor } from "./registry.ts";
import { inConfigFile, SourceSettingError } from "./source-setting-error.ts";

export interface CollectAllOptions {
  config: CredgovConfig;
  /** The config path as the user gave it (recorded in the snapshot's generator). */
  configFile: string;
  /** Sources to collect (default: every source of the config), e.g. from selectSources(). */
  sources?: readonly SourceConfigEntry[];
  env: NodeJS.ProcessEnv;
  /** A progress sink per source; done() is called when that source finishes. */
  progressFor?: (sourceId: string) => CollectionProgress & { done(): void };
  /** Verbose diagnostics (never secrets). */
  verbose?: (message: string) => void;
}

export interface CollectedSnapshot {
  snapshot: Snapshot;
  /** One part per collected source, in config order. */
  parts: SourcePart[];
  /** Explicit correlation links naming accounts no source collected. */
  unresolvedLinks: string[];
  /** Dangling references or duplicate ids: collector bugs, reported but not fatal. */
  integrity: SnapshotProblem[];
  /** Parts whose source is partial or failed (the run should exit 3). */
  incomplete: SourcePart[];
}

const silentProgress: CollectionProgress & { done(): void } = { step() {}, tick() {}, done() {} };

/**
 * Collects every source one after the other. A failing source becomes a part with status
 * `error` (never thrown); malformed input files throw UserInputError (exit 2).
 */
export async function collectAll(options: CollectAllOptions): Promise<CollectedSnapshot> {
  const { config } = options;
  const verbose = options.verbose ?? (() => {});
  const parts: SourcePart[] = [];
  for (const source of options.sources ?? config.sources) {
    const progress = options.progressFor?.(source.id) ?? silentProgress;
    try {
      parts.push(await collectSource(source, config.dir, progress, options.env, verbose));
    } catch (error) {
      throw error instanceof SourceSettingError ? inConfigFile(error, config, options.configFile) : error;
    } finally {
      progress.done();
    }
  }

  const { snapshot, unresolvedLinks } = assembleSnapshot(parts, {
    generator: {
      name: "credgov",
      version: packageVersion,
      config: options.configFile,
      configSha256: createHash("sha256").update(readFileSync(config.file)).digest("hex"),
    },
    links: config.correlation.links,
  });
  const problems = validateSnapshot(snapshot);
  if (problems.length > 0) {
    // A collector produced something the contract forbids: a credgov bug, never user input.
    throw new Error(`the assembled snapshot breaks the schema: ${problems.slice(0, 5).map((p) => `${p.pointer}: ${p.message}`).join("; ")}`);
  }
  return { snapshot, parts, unresolvedLinks, integrity: checkIntegrity(snapshot), incomplete: parts.filter((p) => p.source.status !== "ok") };
}

/** The sources named by `wanted` (all when empty); an unknown id is a usage error. */
export function selectSources(all: SourceConfigEntry[], wanted: readonly string[] | undefined, configPath: string): SourceConfigEntry[] {
  if (!wanted || wanted.length === 0) return all;
  const known = new Set(all.map((s) => s.id));
  const unknown = wanted.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new UserInputError(`unknown source id ${unknown.join(", ")} (the config defines ${[...known].join(", ")})`, { file: configPath, field: "--source" });
  }
  return all.filter((s) => wanted.includes(s.id));
}

async function collectSource(
  source: SourceConfigEntry,
  configDir: string,
  progress: CollectionProgress,
  env: NodeJS.ProcessEnv,
  verbose: (message: string) => void,
): Promise<SourcePart> {
  const started = performance.now();
  try {
    const collector = await collectorFor(source.kind);
    const part = await collector.collect({ source, configDir, env, progress, log: verbose });
    for (const q of part.source.queries) verbose(`${source.id}: ${q.step}: ${q.call} -> ${q.status === "missing" ? "missing" : `${q.resultCount} result(s)`}`);
    verbose(`${source.id}: collected in ${Math.round(performance.now() - started)} ms`);
    return part;
  } catch (error) {
    // Bad input files stop the run with exit 2: the user must fix them.
    if (error instanceof UserInputError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof Error && error.stack) verbose(error.stack);
    return failedSourcePart(source, { step: "collect", code: "collector-failed", message }, sourceOrigin(source));
  }
}

/** Where a source is read from, for the part recorded when its collector fails outright. */
/** Where a configured source is read from, as its failed part records it. */
export function sourceOrigin(source: SourceConfigEntry): { transport: "live" | "file"; endpoint: string } {
  switch (source.kind) {
    case "ad":
    case "ldap":
      return { transport: source.url ? "live" : "file", endpoint: source.url ?? source.file ?? source.kind };
    case "entra":
      return { transport: source.tenantId ? "live" : "file", endpoint: source.dir ?? source.kind };
    case "github":
      return { transport: source.org && !source.dir ? "live" : "file", endpoint: source.dir ?? source.kind };
  }
}

/** One line per source for the end of a run: status and what it contributed. */
export function sourceSummaryLine(part: SourcePart): string {
  const s = part.source;
  // Counted from the part itself: every collector fills these arrays, counts keys vary by kind.
  const counts = `accounts=${part.accounts.length} credentials=${part.credentials.length} resetPaths=${part.resetPaths.length} passwordPolicies=${part.passwordPolicies.length}`;
  const head = `${s.id} (${s.kind}, ${s.transport}) ${s.status}${s.status === "error" ? "" : `: ${counts}`}`;
  const errors = s.errors.map((e) => `\n  - ${e.step}: ${e.message}`).join("");
  return head + errors;
}
