// The CLI side of the collect stage, shared by `collect` and `scan`: checks the environment
// and the output location first, shows progress, prints warnings and per-source summaries,
// and writes the snapshot file. Returns the exit code (3 when a source is incomplete).
import type { CommandContext } from "./context.ts";
import { ExitCode, UserInputError } from "../errors.ts";
import { createProgressDisplay } from "./progress.ts";
import { prepareOutputFile } from "./output-path.ts";
import { checkBindPasswords } from "./secret-env.ts";
import { checkSourcePaths } from "./source-paths.ts";
import type { CredgovConfig } from "../config/types.ts";
import { collectAll, selectSources, sourceSummaryLine, type CollectedSnapshot } from "../collectors/collect-all.ts";
import { writeSnapshot } from "../snapshot/store.ts";

export interface CollectToFileOptions {
  config: CredgovConfig;
  /** The config path as given on the command line. */
  configFile: string;
  out: string;
  source?: string[];
}

export async function collectToFile(options: CollectToFileOptions, ctx: CommandContext): Promise<number> {
  const { config } = options;
  const sources = selectSources(config.sources, options.source, options.configFile);
  checkBindPasswords(config, new Set(sources.map((s) => s.id)), options.configFile, process.env);
  checkSourcePaths(config, new Set(sources.map((s) => s.id)), options.configFile);
  // Before collecting: a large estate takes minutes, and an unwritable --out would waste them.
  const out = prepareOutputFile(options.out);
  const progress = createProgressDisplay(ctx.output.interactive);
  let collected: CollectedSnapshot;
  try {
    collected = await collectAll({
      config,
      configFile: options.configFile,
      sources,
      env: process.env,
      progressFor: (id) => progress.forSource(id),
      verbose: (m) => ctx.output.verbose(m),
    });
  } finally {
    progress.stop();
  }
  const { snapshot, parts, unresolvedLinks, integrity, incomplete } = collected;
  for (const id of unresolvedLinks) ctx.output.warn(`correlation.links names account ${id}, which no source collected`);
  // Dangling references or duplicate ids are collector bugs; say so, but keep the evidence.
  for (const p of integrity.slice(0, 10)) ctx.output.warn(`snapshot integrity: ${p.pointer}: ${p.message}`);
  if (integrity.length > 10) ctx.output.warn(`snapshot integrity: ... and ${integrity.length - 10} more`);
  try {
    await writeSnapshot(out, snapshot);
  } catch (error) {
    // The location was writable before collection; it can still change or fill up since.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EACCES" || code === "EPERM" || code === "EROFS" || code === "EISDIR" || code === "ENOTDIR" || code === "ENOSPC" || code === "ENOENT" || code === "EDQUOT") {
      throw new UserInputError(`cannot write ${options.out}: ${code}; choose another --out`);
    }
    throw error;
  }

  for (const part of parts) ctx.output.info(sourceSummaryLine(part));
  ctx.output.info(
    `wrote ${options.out}: ${snapshot.accounts.length} accounts, ${snapshot.credentials.length} credentials, ${snapshot.resetPaths.length} reset paths, ` +
      `${snapshot.identities.length} identities (${snapshot.correlation?.ambiguous.length ?? 0} ambiguous links)`,
  );
  if (incomplete.length > 0) {
    ctx.output.warn(`collection incomplete: ${incomplete.map((p) => `${p.source.id} ${p.source.status}`).join(", ")}`);
    return ExitCode.collectionIncomplete;
  }
  return ExitCode.ok;
}
