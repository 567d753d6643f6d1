// `credgov report`: re-renders a findings.json in other formats (the output table of
// src/report/outputs, and the evidence pack) without evaluating again.
import { dirname, join, resolve } from "node:path";
import { existsSync } from "node:fs";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { discoverConfig } from "../config-discovery.ts";
import { addEvidenceOptions, evidencePackContext, type EvidenceCliOptions } from "../evidence-pack.ts";
import { prepareOutputDir } from "../output-path.ts";
import { addOutputOptions, outputFilter, parseFormats, resolveOutputTarget, type OutputCliOptions } from "../output-options.ts";
import { loadConfig } from "../../config/load.ts";
import { historyLocation } from "../../history/location.ts";
import { assertInputFile } from "../../io/regular-file.ts";
import { builtinCatalogPath, loadCatalog } from "../../policy/catalog/load.ts";
import { filterFindings } from "../../report/finding-filter.ts";
import { readFindingsJson } from "../../report/outputs/json.ts";
import { writeOutputs, writeOutputToStream } from "../../report/write-outputs.ts";
import { loadExceptions } from "../../policy/exceptions/load.ts";
import { builtinPoliciesDir, readPolicyLibrary } from "../../policy/engine/policy-sources.ts";
import { libraryHash } from "../../policy/engine/build-library.ts";
import { outputFor } from "../../report/outputs/formats.ts";
import { packageVersion } from "../../package-version.ts";
import { replaceSpecialTargets } from "../../io/atomic-write.ts";
import { checkRunFile, runStateOf, withOutputRun, type OutputRunOptions } from "../../io/run-manifest.ts";
import { UserInputError } from "../../errors.ts";

interface ReportCliOptions extends EvidenceCliOptions, OutputCliOptions {
  findings: string;
  out: string;
  snapshot?: string;
  exceptions?: string;
  config?: string;
  history?: string;
}

export function registerReport(program: Command, ctx: CommandContext): void {
  const command = program
    .command("report")
    .description("render findings as SARIF, JUnit, JSON, Markdown, GitHub annotations, or a PDF/HTML evidence pack with a signed manifest")
    .requiredOption("-f, --findings <file>", "findings.json written by evaluate or scan")
    .option("-o, --out <dir>", "output folder; - writes the one --format to stdout", ".")
    .option("-s, --snapshot <file>", "snapshot the findings came from (the pack's sources and queries; default: snapshot.json next to the findings)")
    .option("-e, --exceptions <file>", "exceptions.yaml the findings were evaluated with (the pack lists active and expired exceptions; default: exceptions.file of the config)")
    .option("-c, --config <file>", "credgov.yaml the findings came from, for SARIF locations and annotations (default: $CREDGOV_CONFIG, else ./credgov.yaml when present)")
    .option("--history <file|url>", "scan history (SQLite file or postgres:// URL) the pack's trend chart is drawn from");
  addOutputOptions(command);
  addEvidenceOptions(command)
    .addHelpText(
      "after",
      `
Default formats: sarif, junit, md. pdf and html write evidence.pdf / evidence.html (the same
content), subjects/<control>.csv with every failing subject, and manifest.json with the SHA-256
of every file in the output folder, signed (manifest.json.sig) when a key is given. Check a pack
with \`credgov verify DIR --key PUB\`.

Examples:
  $ credgov report --findings reports/demo/findings.json --format sarif md --out out/
  $ credgov report --findings reports/demo/findings.json --format github --out -
  $ credgov report --findings reports/demo/findings.json --format pdf html --out reports/demo --signing-key signing.pem`,
    )
    .action(async (options: ReportCliOptions) => {
      const formats = parseFormats(options.format) ?? ["sarif", "junit", "md"];
      const filter = outputFilter(options);
      // report re-renders: findings.json is its input, written only when --format json asks for it.
      const target = resolveOutputTarget(options.out, formats, [], false);
      if (target.kind === "dir") prepareOutputDir(target.dir);
      const discovered = discoverConfig(options.config);
      const config = discovered ? loadConfig(discovered.path) : undefined;
      // As scan and evaluate: --exceptions, else the config's exceptions.file (resolved from the config's folder).
      const exceptionsFile = options.exceptions ?? config?.exceptions?.file;
      const exceptions = exceptionsFile ? loadExceptions(exceptionsFile) : [];
      // findings.json (and the snapshot beside it) must be files of the one complete run that
      // run.json records: never one run's findings beside another's snapshot, nor a killed run's.
      assertInputFile(options.findings, "--findings");
      const source = await checkRunFile(options.findings);
      if ("unchecked" in source) ctx.output.warn(source.unchecked);
      const findings = filterFindings(await readFindingsJson(options.findings), filter);
      // Given, it must be there; the default beside findings.json may be missing (the pack says so).
      if (options.snapshot !== undefined) assertInputFile(options.snapshot, "--snapshot");
      const snapshotFile = options.snapshot ?? resolve(dirname(options.findings), "snapshot.json");
      if (options.snapshot === undefined && "runId" in source && existsSync(snapshotFile)) await checkRunFile(snapshotFile);
      const generatedAt = new Date().toISOString();
      const catalog = loadCatalog();
      const catalogFiles = [builtinCatalogPath, ...(config?.policies.dirs ?? []).map((d) => join(d, "catalog.yaml")).filter((f) => existsSync(f))];
      const render = {
        toolVersion: packageVersion,
        controls: catalog.controls,
        repository: { configFile: discovered?.path, catalogFiles },
        sarifCategory: options.sarifCategory,
        warn: (m: string) => ctx.output.warn(m),
        scope: options.findings,
        generatedAt,
      };
      if (target.kind === "stdout") {
        await writeOutputToStream(target.format, findings, render, process.stdout);
        return;
      }
      const documents = target.formats.some((f) => outputFor(f).kind === "document");
      const pack =
        documents || target.manifest
          ? await evidencePackContext(
              {
                documents,
                findings,
                snapshotFile,
                catalog,
                exceptions,
                toolVersion: packageVersion,
                // findings.json does not record the library it was evaluated with: this is the
                // built-in library as installed now, which the pack says.
                policyHash: libraryHash(readPolicyLibrary([builtinPoliciesDir])),
                generatedAt,
                warnings: [],
                history: options.history === undefined ? undefined : { location: historyLocation(options.history, undefined), required: true },
              },
              options,
              ctx,
            )
          : undefined;
      replaceSpecialTargets(options.force === true);
      // The outputs join the findings' run (run.json), one run at a time in the folder.
      const written = await withOutputRun(target.dir, await reportRun(target.dir, source, [options.findings, snapshotFile]), () =>
        writeOutputs(findings, { ...render, dir: target.dir, formats: target.formats, manifest: target.manifest, pack }),
      );
      ctx.output.info(`wrote ${written.join(", ")}`); // as given in --out, never a ../../ path
    });
}

/**
 * The outputs of report belong to the run of the findings: into a folder holding that run they
 * join it (same run id); into a folder holding another run they would mix runs, which is refused;
 * elsewhere they are a run of their own under the findings' run id.
 */
async function reportRun(dir: string, source: { runId: string } | { unchecked: string }, inputs: string[]): Promise<OutputRunOptions> {
  const state = await runStateOf(dir);
  const runId = "runId" in source ? source.runId : undefined;
  if (state.kind === "complete" && state.manifest.runId !== runId) {
    throw new UserInputError(`holds the outputs of run ${state.manifest.runId} (run.json), not of the run of these findings (${runId ?? "no run.json"}): credgov does not mix runs in one folder; give another --out`, { file: dir, field: "--out" });
  }
  return state.kind === "complete" ? { tool: "credgov report", extend: true } : { tool: "credgov report", runId, keep: inputs };
}

