// `credgov export entra|github`: reads a live source and writes exactly the export folder its
// file transport reads (docs/exports.md), so an administrator can export once and scan offline.
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode, UserInputError } from "../../errors.ts";
import { createProgressDisplay } from "../progress.ts";
import { checkBindPasswords } from "../secret-env.ts";
import { checkSourcePaths } from "../source-paths.ts";
import { loadConfig } from "../../config/load.ts";
import type { SourceConfigEntry } from "../../config/types.ts";
import { ExportFolder } from "../../collectors/export-folder.ts";
import { inConfigFile, SourceSettingError } from "../../collectors/source-setting-error.ts";
import { exportEntraLive, type LiveExportResult } from "../../collectors/entra/live-export.ts";
import { graphSessionFor } from "../../collectors/entra/live-session-config.ts";
import { exportGithubLive } from "../../collectors/github/live-export.ts";
import { githubClientFor, scrubber } from "../../collectors/github/live-session.ts";

export interface ExportOptions {
  config: string;
  out: string;
  source?: string;
}

export function registerExport(program: Command, ctx: CommandContext): void {
  program
    .command("export")
    .description("read a live Entra ID or GitHub source and write the export files a dir: source reads")
    .argument("<kind>", "entra or github")
    .requiredOption("-c, --config <file>", "credgov.yaml naming the live source")
    .requiredOption("-o, --out <dir>", "folder to write the export files into (created if missing)")
    .option("-s, --source <id>", "the source to export when the config has several of that kind")
    .addHelpText(
      "after",
      `
Writes one file per API call, exactly as docs/exports.md describes; point a source's dir: at
the folder to scan offline. A call that fails leaves its file out (the scan then reports the gap).
Exit codes: 0 every call succeeded, 2 usage or config error, 3 a call failed.

Example:
  $ credgov export entra --config credgov.yaml --out exports/entra`,
    )
    .action(async (kind: string, options: ExportOptions) => {
      ctx.exitCode = await runExport(kind, options, ctx);
    });
}

export async function runExport(kind: string, options: ExportOptions, ctx: CommandContext): Promise<number> {
  if (kind !== "entra" && kind !== "github") throw new UserInputError(`must be entra or github, not ${kind}`, { field: "<kind>" });
  const config = loadConfig(options.config);
  const source = pickSource(config.sources, kind, options.source, options.config);
  checkBindPasswords(config, new Set([source.id]), options.config, process.env);
  checkSourcePaths(config, new Set([source.id]), options.config);
  const folder = new ExportFolder(options.out);
  const progress = createProgressDisplay(ctx.output.interactive);
  const sink = progress.forSource(source.id);
  const log = (message: string) => ctx.output.verbose(`${source.id}: ${message}`);
  let result: LiveExportResult;
  try {
    if (source.kind === "entra") {
      result = await exportEntraLive(graphSessionFor(source, process.env, config.dir), folder, sink);
    } else {
      if (source.kind !== "github") throw new Error(`pickSource returned a ${source.kind} source for export ${kind}`);
      let client;
      try {
        client = await githubClientFor(source, process.env, config.dir, log);
      } catch (error) {
        if (error instanceof UserInputError) throw error;
        result = { written: [], queries: [], errors: [{ step: "sign-in", code: "auth", message: `GitHub sign-in failed: ${scrubber([])(String((error as Error).message).split("\n")[0])}` }] };
        return report(result, options, source.id, ctx);
      }
      const concurrency = typeof source.concurrency === "number" ? source.concurrency : 8;
      result = await exportGithubLive(client.octokit, String(source.org), concurrency, folder, sink, scrubber(client.secrets));
    }
  } catch (error) {
    throw error instanceof SourceSettingError ? inConfigFile(error, config, options.config) : error;
  } finally {
    sink.done();
    progress.stop();
  }
  return report(result, options, source.id, ctx);
}

function report(result: LiveExportResult, options: ExportOptions, sourceId: string, ctx: CommandContext): number {
  for (const query of result.queries) ctx.output.verbose(`${sourceId}: ${query.call}: ${query.resultCount} results, ${query.pages ?? 0} pages (${query.status})`);
  for (const error of result.errors) ctx.output.warn(`${sourceId}: ${error.message}`);
  ctx.output.info(`wrote ${result.written.length} export files to ${options.out}`);
  if (result.errors.length > 0) {
    ctx.output.warn(`export incomplete: ${result.errors.length} call(s) failed; their files were not written`);
    return ExitCode.collectionIncomplete;
  }
  return ExitCode.ok;
}

function pickSource(sources: SourceConfigEntry[], kind: "entra" | "github", wanted: string | undefined, configPath: string): SourceConfigEntry {
  const live = sources.filter((s) => s.kind === kind && typeof s.dir !== "string");
  if (wanted !== undefined) {
    const chosen = sources.find((s) => s.id === wanted);
    if (!chosen) throw new UserInputError(`unknown source id ${wanted} (the config defines ${sources.map((s) => s.id).join(", ")})`, { file: configPath, field: "--source" });
    if (chosen.kind !== kind || typeof chosen.dir === "string") throw new UserInputError(`source ${wanted} is not a live ${kind} source`, { file: configPath, field: "--source" });
    return chosen;
  }
  if (live.length === 1) return live[0];
  if (live.length === 0) throw new UserInputError(`the config has no live ${kind} source (one without dir:)`, { file: configPath, field: "sources" });
  throw new UserInputError(`the config has ${live.length} live ${kind} sources (${live.map((s) => s.id).join(", ")}); choose one with --source`, { file: configPath, field: "--source" });
}
