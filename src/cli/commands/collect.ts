import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode, UserInputError } from "../../errors.ts";
import { createProgressDisplay } from "../progress.ts";
import { prepareOutputFile } from "../output-path.ts";
import { checkBindPasswords } from "../secret-env.ts";
import { loadConfig } from "../../config/load.ts";
import type { SourceConfigEntry } from "../../config/types.ts";
import type { SourcePart } from "../../collectors/collector.ts";
import { collectorFor, CollectorUnavailableError } from "../../collectors/registry.ts";
import { failedSourcePart } from "../../collectors/failed-part.ts";
import { assembleSnapshot } from "../../snapshot/assemble.ts";
import { validateSnapshot } from "../../snapshot/validate.ts";
import { checkIntegrity } from "../../snapshot/integrity.ts";
import { writeSnapshot } from "../../snapshot/store.ts";

const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };

export interface CollectOptions {
  config: string;
  out: string;
  source?: string[];
}

export function registerCollect(program: Command, ctx: CommandContext): void {
  program
    .command("collect")
    .description("collect facts from every configured source into one snapshot")
    .requiredOption("-c, --config <file>", "credgov.yaml to read sources from")
    .requiredOption("-o, --out <file>", "snapshot JSON file to write")
    .option("-s, --source <id...>", "collect only these source ids")
    .addHelpText(
      "after",
      `
Writes the snapshot even when a source fails (its status and errors say why), then exits 3.
Exit codes: 0 every source complete, 2 config error, 3 a source is partial or failed.

Example:
  $ credgov collect --config examples/demo/credgov.yaml --out snapshot.json`,
    )
    .action(async (options: CollectOptions) => {
      ctx.exitCode = await collect(options, ctx);
    });
}

/** Collects every configured source into options.out; returns the exit code (3 when a source is incomplete). Also used by `credgov scan`. */
export async function collect(options: CollectOptions, ctx: CommandContext): Promise<number> {
  const config = loadConfig(options.config);
  const sources = selectSources(config.sources, options.source, options.config);
  checkBindPasswords(config, new Set(sources.map((s) => s.id)), options.config, process.env);
  // Before collecting: a large estate takes minutes, and an unwritable --out would waste them.
  const out = prepareOutputFile(options.out);
  const progress = createProgressDisplay(ctx.output.interactive);
  const parts: SourcePart[] = [];
  try {
    for (const source of sources) {
      const sink = progress.forSource(source.id);
      try {
        parts.push(await collectSource(source, config.dir, sink, ctx));
      } finally {
        sink.done();
      }
    }
  } finally {
    progress.stop();
  }

  const { snapshot, unresolvedLinks } = assembleSnapshot(parts, {
    generator: {
      name: "credgov",
      version: pkg.version,
      config: options.config,
      configSha256: createHash("sha256").update(readFileSync(config.file)).digest("hex"),
    },
    links: config.correlation.links,
  });
  for (const id of unresolvedLinks) ctx.output.warn(`correlation.links names account ${id}, which no source collected`);
  const problems = validateSnapshot(snapshot);
  if (problems.length > 0) {
    // A collector produced something the contract forbids: a credgov bug, never user input.
    throw new Error(`the assembled snapshot breaks the schema: ${problems.slice(0, 5).map((p) => `${p.pointer}: ${p.message}`).join("; ")}`);
  }
  // Dangling references or duplicate ids are collector bugs; say so, but keep the evidence.
  const integrity = checkIntegrity(snapshot);
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

  for (const part of parts) ctx.output.info(summaryLine(part));
  ctx.output.info(
    `wrote ${options.out}: ${snapshot.accounts.length} accounts, ${snapshot.credentials.length} credentials, ${snapshot.resetPaths.length} reset paths, ` +
      `${snapshot.identities.length} identities (${snapshot.correlation?.ambiguous.length ?? 0} ambiguous links)`,
  );
  const incomplete = parts.filter((p) => p.source.status !== "ok");
  if (incomplete.length > 0) {
    ctx.output.warn(`collection incomplete: ${incomplete.map((p) => `${p.source.id} ${p.source.status}`).join(", ")}`);
    return ExitCode.collectionIncomplete;
  }
  return ExitCode.ok;
}

function selectSources(all: SourceConfigEntry[], wanted: string[] | undefined, configPath: string): SourceConfigEntry[] {
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
  progress: ReturnType<ReturnType<typeof createProgressDisplay>["forSource"]>,
  ctx: CommandContext,
): Promise<SourcePart> {
  const endpoint = String(source.url ?? source.file ?? source.dir ?? source.kind);
  const transport = source.url || source.tenantId || (source.org && !source.dir) ? "live" : "file";
  const started = performance.now();
  try {
    const collector = await collectorFor(source.kind);
    const part = await collector.collect({
      source,
      configDir,
      env: process.env,
      progress,
      log: (m) => ctx.output.verbose(m),
    });
    for (const q of part.source.queries) ctx.output.verbose(`${source.id}: ${q.step}: ${q.call} -> ${q.status === "missing" ? "missing" : `${q.resultCount} result(s)`}`);
    ctx.output.verbose(`${source.id}: collected in ${Math.round(performance.now() - started)} ms`);
    return part;
  } catch (error) {
    // Bad input files stop the run with exit 2: the user must fix them.
    if (error instanceof UserInputError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (!(error instanceof CollectorUnavailableError) && error instanceof Error && error.stack) ctx.output.verbose(error.stack);
    return failedSourcePart(source, { step: "collect", code: error instanceof CollectorUnavailableError ? "collector-unavailable" : "collector-failed", message }, { transport, endpoint });
  }
}

function summaryLine(part: SourcePart): string {
  const s = part.source;
  // Counted from the part itself: every collector fills these arrays, counts keys vary by kind.
  const counts = `accounts=${part.accounts.length} credentials=${part.credentials.length} resetPaths=${part.resetPaths.length} passwordPolicies=${part.passwordPolicies.length}`;
  const head = `${s.id} (${s.kind}, ${s.transport}) ${s.status}${s.status === "error" ? "" : `: ${counts}`}`;
  const errors = s.errors.map((e) => `\n  - ${e.step}: ${e.message}`).join("");
  return head + errors;
}
