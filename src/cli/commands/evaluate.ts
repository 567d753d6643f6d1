import { existsSync, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode, UserInputError } from "../../errors.ts";
import { loadConfig } from "../../config/load.ts";
import { prepareOutputDir } from "../output-path.ts";
import type { CredgovConfig } from "../../config/types.ts";
import { builtinCatalogPath, loadCatalog } from "../../policy/catalog/load.ts";
import { selectControls, type ControlSelection } from "../../policy/catalog/control-selection.ts";
import type { Catalog } from "../../policy/catalog/types.ts";
import { evaluateSnapshot, type Finding, type SerializedSnapshot, type Thresholds } from "../../policy/engine/index.ts";
import { applyExceptions } from "../../policy/exceptions/apply.ts";
import { loadExceptions } from "../../policy/exceptions/load.ts";
import { gatingFindings, parseFailOn, type FailOn } from "../../report/fail-on.ts";
import { incompleteness } from "../../report/completeness.ts";
import { checkIntegrity } from "../../snapshot/integrity.ts";
import { renderTerminalTable } from "../../report/terminal-table.ts";
import { filterFindings, type FindingFilter } from "../../report/finding-filter.ts";
import { writeOutputs, writeOutputToStream, type OutputFormat } from "../../report/write-outputs.ts";
import { discoverConfig } from "../config-discovery.ts";
import { addOutputOptions, outputFilter, parseFormats, resolveOutputTarget, type CliFormat, type OutputCliOptions } from "../output-options.ts";
import { addControlOptions, controlSelection, type ControlCliOptions } from "../control-options.ts";
import type { EvidenceFormat } from "../../report/evidence/write-evidence-pack.ts";
import { addEvidenceOptions, runEvidencePack, type EvidenceCliOptions } from "../evidence-pack.ts";
import { readSnapshot } from "../../snapshot/store.ts";
import type { Snapshot } from "../../snapshot/types.ts";

const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };

export interface EvaluationRunOptions {
  snapshotFile: string;
  /** A folder, or "-" for stdout (then exactly one format). */
  out?: string;
  /** --format: overrides the config's output.formats. */
  outputFormats?: CliFormat[];
  /** credgov.yaml the sources came from: SARIF and annotations point at their entries. */
  configFile?: string;
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
}

export interface EvaluationRunResult {
  findings: Finding[];
  gating: Finding[];
  /** sha256 of the compiled policy library (null for a bundle alone). */
  policyHash: string | null;
  /** Why the run is incomplete (exit 3 unless --allow-incomplete); empty when complete. */
  incomplete: string[];
}

/** Evaluate a snapshot file, apply exceptions, write outputs, print the table. Shared with `scan`. */
export async function runEvaluation(options: EvaluationRunOptions, ctx: CommandContext): Promise<EvaluationRunResult> {
  const started = performance.now();
  const catalog = mergedCatalog(options.policies);
  const selected = selectControls(
    catalog.controls.map((c) => c.id),
    options.controls ?? {},
  );
  const exceptions = (options.exceptions ? loadExceptions(options.exceptions) : []).filter((e) => selected(e.control));
  const input = await validatedSnapshotBytes(options.snapshotFile, ctx);
  const evaluation = await evaluateSnapshot(input, {
    catalog,
    thresholds: options.thresholds,
    now: options.now,
    builtin: options.builtin,
    policyDirs: options.policies,
    bundle: options.bundle,
    warn: (m) => ctx.output.warn(m),
    verbose: (m) => ctx.output.verbose(m),
  });
  ctx.output.verbose(
    `policies ${evaluation.stats.compiledFromCache ? "loaded from cache" : "compiled"} in ${evaluation.stats.compileSeconds.toFixed(2)} s; evaluated in ${evaluation.stats.evaluateSeconds.toFixed(2)} s`,
  );
  const applied = applyExceptions(
    evaluation.findings.filter((f) => selected(f.controlId)),
    exceptions,
  );
  for (const w of applied.warnings) ctx.output.warn(w);
  const findings = applied.findings;
  const shown = filterFindings(findings, options.filter ?? {});
  const chosen: readonly string[] | undefined = options.outputFormats ?? options.formats;
  const target = options.out ? resolveOutputTarget(options.out, options.outputFormats, outputFormats(options.formats, ctx)) : undefined;
  if (target) {
    const render = {
      toolVersion: pkg.version,
      controls: catalog.controls,
      repository: { configFile: options.configFile, catalogFiles: catalogFiles(options.policies) },
      sarifCategory: options.sarifCategory,
      warn: (m: string) => ctx.output.warn(m),
      scope: options.scope,
      generatedAt: options.now ?? input.generatedAt,
      durationSeconds: (performance.now() - started) / 1000,
      warnings: applied.warnings,
    };
    if (target.kind === "stdout") {
      await writeOutputToStream(target.format, shown, render, process.stdout);
    } else {
      const written = await writeOutputs(shown, { ...render, dir: target.dir, formats: target.formats });
      const documents = evidenceFormats.filter((f) => chosen?.includes(f));
      if (documents.length > 0 || chosen?.includes("manifest")) {
        written.push(
          ...(await runEvidencePack(
            {
              dir: target.dir,
              formats: documents,
              findings: shown,
              snapshotFile: options.snapshotFile,
              catalog,
              exceptions,
              toolVersion: pkg.version,
              policyHash: evaluation.stats.policyHash,
              generatedAt: options.now ?? input.generatedAt,
              warnings: applied.warnings,
            },
            options.evidence ?? {},
            ctx,
          )),
        );
      }
      ctx.output.info(`wrote ${written.join(", ")}`); // as given in --out, never a ../../ path
    }
  }
  // With --out - stdout carries the chosen format alone; the table goes to stderr.
  const table = renderTerminalTable(shown, ctx.output.color);
  if (target?.kind === "stdout") ctx.output.info(table);
  else ctx.output.result(table);
  const gating = gatingFindings(findings, options.failOn);
  if (gating.length > 0) ctx.output.info(`${gating.length} failing finding(s) at or above --fail-on ${options.failOn}`);
  const incomplete = incompleteness(findings, input.sources);
  for (const reason of incomplete) ctx.output.warn(`incomplete: ${reason}`);
  return { findings, gating, policyHash: evaluation.stats.policyHash, incomplete };
}

const renderable: readonly OutputFormat[] = ["json", "sarif", "junit", "md", "github"];
const evidenceFormats: readonly EvidenceFormat[] = ["pdf", "html"];

function outputFormats(configured: readonly string[] | undefined, ctx: CommandContext): OutputFormat[] {
  if (!configured) return ["json", "sarif", "junit", "md"];
  const unsupported = configured.filter((f) => !(renderable as readonly string[]).includes(f) && !(evidenceFormats as readonly string[]).includes(f) && f !== "manifest");
  if (unsupported.length > 0) ctx.output.warn(`output.formats ${unsupported.join(", ")}: not written by evaluate/scan yet`);
  return ["json", ...renderable.filter((f) => f !== "json" && configured.includes(f))];
}

/** The built-in catalog, then each extra policy directory's catalog.yaml. */
function catalogFiles(dirs: readonly string[]): string[] {
  return [builtinCatalogPath, ...dirs.map((dir) => join(dir, "catalog.yaml")).filter((file) => existsSync(file))];
}

/**
 * Validates the snapshot, then keeps only its bytes (handed to the policy module as they are)
 * and the few fields the engine needs, so the parsed 100k-account object can be collected
 * before evaluation allocates its own copy.
 */
async function validatedSnapshotBytes(file: string, ctx: CommandContext): Promise<SerializedSnapshot & { generatedAt: string }> {
  const snapshot: Snapshot = await readSnapshot(file);
  // The same checks as `snapshot validate`: duplicate ids and dangling references would make
  // policies join the wrong records.
  const problems = checkIntegrity(snapshot);
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).map((p) => `${p.pointer}: ${p.message}`);
    const more = problems.length > 20 ? `\n... and ${problems.length - 20} more` : "";
    throw new UserInputError(`snapshot integrity problems (run \`credgov snapshot validate\`):\n${shown.join("\n")}${more}`, { file });
  }
  ctx.output.info(`evaluating ${snapshot.accounts.length} accounts, ${snapshot.credentials.length} credentials from ${snapshot.sources.length} sources`);
  const bytes = await readFile(file);
  // A byte-order mark (editors on Windows add one) is not JSON: the policy module would reject
  // the whole input and report every control as error.
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return { bytes: bom ? bytes.subarray(3) : bytes, sources: snapshot.sources, generatedAt: snapshot.generatedAt };
}

/**
 * The built-in catalog plus any catalog.yaml shipped next to extra policies. The built-in one
 * is kept without the built-in policies too: a bundle compiled from them emits the same ids.
 */
function mergedCatalog(dirs: readonly string[]): Catalog {
  const controls: Catalog["controls"] = [...loadCatalog().controls];
  for (const dir of dirs) {
    const file = join(dir, "catalog.yaml");
    if (!existsSync(file)) continue;
    for (const control of loadCatalog(file).controls) {
      if (controls.some((c) => c.id === control.id)) throw new UserInputError(`control ${control.id} is already defined by another catalog`, { file, field: "controls" });
      controls.push(control);
    }
  }
  return { version: 1, controls };
}

interface EvaluateCliOptions extends EvidenceCliOptions, OutputCliOptions, ControlCliOptions {
  snapshot: string;
  out?: string;
  failOn?: string;
  exceptions?: string;
  policies?: string[];
  builtinPolicies: boolean;
  bundle?: string;
  config?: string;
  now?: string;
  allowIncomplete?: boolean;
}

/** Options that `evaluate` and `scan` share: flags win over credgov.yaml. */
export function resolveEvaluationSettings(
  cli: { failOn?: string; exceptions?: string; policies?: string[]; builtinPolicies: boolean; bundle?: string },
  config: CredgovConfig | undefined,
): Pick<EvaluationRunOptions, "failOn" | "exceptions" | "policies" | "builtin" | "bundle" | "thresholds" | "formats"> {
  const failOnText = cli.failOn ?? config?.output.failOn ?? "high";
  return {
    failOn: parseFailOn(failOnText, cli.failOn ? "--fail-on" : "output.failOn"),
    exceptions: cli.exceptions ?? config?.exceptions?.file,
    policies: [...(config?.policies.dirs ?? []), ...(cli.policies ?? [])],
    builtin: cli.builtinPolicies && (config?.policies.builtin ?? true),
    bundle: cli.bundle ?? config?.policies.bundle,
    thresholds: config?.thresholds,
    formats: config?.output.formats,
  };
}

export function checkRfc3339(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UserInputError(`must be an RFC 3339 time such as 2026-06-01T00:00:00Z (got ${JSON.stringify(value)})`, { field: "--now" });
  }
  return value;
}

export function registerEvaluate(program: Command, ctx: CommandContext): void {
  const command = addEvidenceOptions(program.command("evaluate"))
    .description("evaluate a snapshot against the policy library and write findings")
    .requiredOption("-s, --snapshot <file>", "snapshot JSON file (from credgov collect)")
    .option("-o, --out <dir>", "write findings.json and the --format outputs here (default: results.sarif, junit.xml, summary.md); - writes the one --format to stdout")
    .option("--fail-on <severity>", "exit 1 when a non-excepted failing finding is at or above: critical, high, medium, low, info, none (default high)")
    .option("-e, --exceptions <file>", "exceptions.yaml with approved, expiring waivers")
    .option("-p, --policies <dir...>", "extra Rego policy directories (with an optional catalog.yaml)")
    .option("--no-builtin-policies", "evaluate only the extra policies or bundle")
    .option("-b, --bundle <file>", "an OPA-built bundle.tar.gz (opa build -t wasm -e <pkg>/results ...)")
    .option("-c, --config <file>", "credgov.yaml to take thresholds, exceptions, policies and fail-on from (default: $CREDGOV_CONFIG, else ./credgov.yaml when present)")
    .option("--now <time>", "evaluation time, RFC 3339 (default: the snapshot's generatedAt)")
    .option("--allow-incomplete", "exit 0/1 even when a source was not ok or a control could not be judged (error, not_evaluated)");
  addControlOptions(command);
  addOutputOptions(command);
  command
    .addHelpText(
      "after",
      `
Exit codes: 0 nothing at or above --fail-on, 1 failing findings at or above it, 2 usage or input error,
3 incomplete: a source in the snapshot was not ok, or a control is error or not_evaluated (takes
precedence; --allow-incomplete turns it off). not_applicable never makes a run incomplete.

Examples:
  $ credgov evaluate --snapshot snapshot.json
  $ credgov evaluate --snapshot snapshot.json --out reports/today --fail-on critical --exceptions exceptions.yaml
  $ credgov evaluate --snapshot snapshot.json --controls 'CG-RESET-*' --format sarif --out - > results.sarif`,
    )
    .action(async (options: EvaluateCliOptions) => {
      const discovered = discoverConfig(options.config);
      if (discovered && discovered.from !== "--config") ctx.output.verbose(`using ${discovered.path} (from ${discovered.from})`);
      const config = discovered ? loadConfig(discovered.path) : undefined;
      const settings = resolveEvaluationSettings(options, config);
      const outputFormats = parseFormats(options.format);
      const filter = outputFilter(options);
      if (options.out) resolveOutputTarget(options.out, outputFormats, []); // --out - without one --format: fail before the work
      if (options.out && options.out !== "-") prepareOutputDir(options.out); // before evaluating, not after
      const { gating, incomplete } = await runEvaluation(
        {
          ...settings,
          snapshotFile: options.snapshot,
          out: options.out,
          outputFormats,
          filter,
          controls: controlSelection(options),
          configFile: discovered?.path,
          sarifCategory: options.sarifCategory,
          now: checkRfc3339(options.now),
          scope: options.snapshot,
          evidence: options,
        },
        ctx,
      );
      ctx.exitCode = runExitCode(gating.length > 0, incomplete, options.allowIncomplete === true);
    });
}

/** Exit 3 for an incomplete run takes precedence over findings, unless the user accepts it. */
export function runExitCode(failing: boolean, incomplete: readonly string[], allowIncomplete: boolean): ExitCode {
  if (incomplete.length > 0 && !allowIncomplete) return ExitCode.collectionIncomplete;
  return failing ? ExitCode.findings : ExitCode.ok;
}
