// The CLI side of the evaluate stage and the outputs, shared by `evaluate` and `scan`: runs
// the stage, writes the chosen outputs (a folder, or one format to stdout), prints the findings
// table and says how many findings fail the run at --fail-on.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import type { CommandContext } from "./context.ts";
import { packageVersion } from "../package-version.ts";
import type { Thresholds } from "../config/types.ts";
import { builtinCatalogPath } from "../policy/catalog/load.ts";
import type { ControlSelection } from "../policy/catalog/control-selection.ts";
import type { Finding } from "../policy/engine/finding.ts";
import { runEvaluation } from "../policy/engine/run-evaluation.ts";
import { gatingFindings, type FailOn } from "../report/fail-on.ts";
import { incompleteness } from "../report/completeness.ts";
import { renderTerminalTable } from "../report/terminal-table.ts";
import type { RepositoryFiles } from "../report/repository-locations.ts";
import { filterFindings, type FindingFilter } from "../report/finding-filter.ts";
import { writeOutputs, writeOutputToStream } from "../report/write-outputs.ts";
import { defaultOutputFormats, isOutputFormat, outputFor } from "../report/outputs/formats.ts";
import { resolveOutputTarget, type CliFormat } from "./output-options.ts";
import { evidencePackContext, type EvidenceCliOptions } from "./evidence-pack.ts";
import type { EvaluationLimits } from "./evaluation-limits.ts";
import type { HistoryLocation } from "../history/open.ts";

export interface ReportOptions {
  snapshotFile: string;
  /** A folder, or "-" for stdout (then exactly one format). */
  out?: string;
  /** --format: overrides the config's output.formats. */
  outputFormats?: CliFormat[];
  /** credgov.yaml the sources came from: SARIF and annotations point at their entries. */
  configFile?: string;
  /** scan --baseline: findings the baseline declares about point at its lines. */
  baselineLines?: RepositoryFiles["baseline"];
  sarifCategory?: string;
  controls?: ControlSelection;
  /** --severity/--status: what the outputs show (the exit code judges every selected finding). */
  filter?: FindingFilter;
  failOn: FailOn;
  exceptions?: string;
  policies: string[];
  builtin: boolean;
  bundle?: string;
  thresholds?: Partial<Thresholds>;
  now?: string;
  scope: string;
  /** Output formats from credgov.yaml `output.formats`; findings.json is always written. */
  formats?: readonly string[];
  /** Evidence pack flags (signing key, rotation report, organisation, subjects per control). */
  evidence?: EvidenceCliOptions;
  /** --eval-memory, --eval-timeout. */
  limits?: EvaluationLimits;
  /** The configured scan history: the pack's trend is drawn from it, ending with this run. */
  history?: { location: HistoryLocation; required: boolean };
}

export interface ReportResult {
  findings: Finding[];
  gating: Finding[];
  /** sha256 of the compiled policy library (null for a bundle alone). */
  policyHash: string | null;
  /** Why the run is incomplete (exit 3 unless --allow-incomplete); empty when complete. */
  incomplete: string[];
}

export async function evaluateAndReport(options: ReportOptions, ctx: CommandContext): Promise<ReportResult> {
  const started = performance.now();
  const run = await runEvaluation({
    snapshotFile: options.snapshotFile,
    exceptions: options.exceptions,
    policies: options.policies,
    builtin: options.builtin,
    bundle: options.bundle,
    thresholds: options.thresholds,
    now: options.now,
    controls: options.controls,
    log: ctx.output,
    ...options.limits,
  });
  const findings = run.findings;
  const shown = filterFindings(findings, options.filter ?? {});
  const target = options.out ? resolveOutputTarget(options.out, options.outputFormats, configuredFormats(options.formats)) : undefined;
  if (target) {
    const render = {
      toolVersion: packageVersion,
      controls: run.catalog.controls,
      repository: { configFile: options.configFile, catalogFiles: catalogFiles(options.policies), baseline: options.baselineLines },
      sarifCategory: options.sarifCategory,
      warn: (m: string) => ctx.output.warn(m),
      scope: options.scope,
      generatedAt: run.evaluatedAt,
      durationSeconds: (performance.now() - started) / 1000,
      warnings: run.exceptionWarnings,
    };
    if (target.kind === "stdout") {
      await writeOutputToStream(target.format, shown, render, process.stdout);
    } else {
      const documents = target.formats.some((f) => outputFor(f).kind === "document");
      const pack =
        documents || target.manifest
          ? await evidencePackContext(
              {
                documents,
                findings: shown,
                snapshotFile: options.snapshotFile,
                catalog: run.catalog,
                exceptions: run.exceptions,
                toolVersion: packageVersion,
                policyHash: run.stats.policyHash,
                generatedAt: run.evaluatedAt,
                warnings: run.exceptionWarnings,
                history: options.history,
                currentRun: true,
              },
              options.evidence ?? {},
              ctx,
            )
          : undefined;
      const written = await writeOutputs(shown, { ...render, dir: target.dir, formats: target.formats, manifest: target.manifest, pack });
      ctx.output.info(`wrote ${written.join(", ")}`); // as given in --out, never a ../../ path
    }
  }
  // With --out - stdout carries the chosen format alone; the table goes to stderr.
  const table = renderTerminalTable(shown, ctx.output.color);
  if (target?.kind === "stdout") ctx.output.info(table);
  else ctx.output.result(table);
  const gating = gatingFindings(findings, options.failOn);
  if (gating.length > 0) ctx.output.info(`${gating.length} failing finding(s) at or above --fail-on ${options.failOn}`);
  const incomplete = incompleteness(findings, run.sources);
  for (const reason of incomplete) ctx.output.warn(`incomplete: ${reason}`);
  return { findings, gating, policyHash: run.stats.policyHash, incomplete };
}

/** credgov.yaml output.formats (validated by the config schema against the same names), else the default. */
function configuredFormats(configured: readonly string[] | undefined): CliFormat[] {
  if (!configured) return [...defaultOutputFormats];
  return configured.filter((f): f is CliFormat => f === "manifest" || isOutputFormat(f));
}

/** The built-in catalog, then each extra policy directory's catalog.yaml. */
function catalogFiles(dirs: readonly string[]): string[] {
  return [builtinCatalogPath, ...dirs.map((dir) => join(dir, "catalog.yaml")).filter((file) => existsSync(file))];
}
