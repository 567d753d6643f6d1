// `credgov scan`: the collect stage, then the evaluate stage and the outputs, then drift,
// rotation triggers and history, in one run.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode, UserInputError } from "../../errors.ts";
import { loadConfig } from "../../config/load.ts";
import { prepareOutputDir } from "../output-path.ts";
import { discoverConfig } from "../config-discovery.ts";
import { addControlOptions, controlSelection, type ControlCliOptions } from "../control-options.ts";
import { addEvaluationLimitOptions, evaluationLimits, type EvaluationLimitOptions } from "../evaluation-limits.ts";
import { addOutputOptions, outputFilter, parseFormats, resolveOutputTarget, type OutputCliOptions } from "../output-options.ts";
import { collectToFile } from "../collect-to-file.ts";
import { evaluateAndReport } from "../evaluate-and-report.ts";
import { checkRfc3339, resolveEvaluationSettings, runExitCode } from "../evaluation-settings.ts";
import { addEvidenceOptions, type EvidenceCliOptions } from "../evidence-pack.ts";
import { driftAndReport } from "../drift-and-report.ts";
import { scanRotationTriggers } from "../scan-rotation-triggers.ts";
import { driftExitCode } from "../../drift/run-drift.ts";
import { historyLocation } from "../../history/location.ts";
import { recordScanAt } from "../../history/record-scan.ts";
import { packageVersion } from "../../package-version.ts";
import { loadBaseline } from "../../drift/baseline/load.ts";
import { baselineFindingLines } from "../../drift/baseline/finding-lines.ts";
import { readSnapshot } from "../../snapshot/store.ts";
import { checkScanTriggers } from "../../rotation/scan-triggers.ts";
import { replaceSpecialTargets } from "../../io/atomic-write.ts";
import { beginOutputRun } from "../../io/run-manifest.ts";
import { loadMergedCatalog } from "../../policy/catalog/merge.ts";
import { assertPolicyDir } from "../../policy/engine/policy-sources.ts";
import { assertExceptionControlsKnown } from "../../policy/exceptions/known-controls.ts";
import { loadExceptions } from "../../policy/exceptions/load.ts";

/** The bundled demo estate, resolved relative to the installed package. */
export const demoConfigPath: string = fileURLToPath(new URL("../../../examples/demo/credgov.yaml", import.meta.url));

/** Where `scan --demo` writes without --out: under the working folder, never inside the installed package. */
export const demoOutputDir = "reports/demo";

interface ScanCliOptions extends EvidenceCliOptions, OutputCliOptions, ControlCliOptions, EvaluationLimitOptions {
  config?: string;
  demo?: boolean;
  out?: string;
  failOn?: string;
  exceptions?: string;
  policies?: string[];
  builtinPolicies: boolean;
  bundle?: string;
  now?: string;
  baseline?: string;
  since?: string;
  failOnDrift?: boolean;
  history: boolean | string;
  allowIncomplete?: boolean;
}

export function registerScan(program: Command, ctx: CommandContext): void {
  const command = addEvidenceOptions(program.command("scan"))
    .description("collect, evaluate and report in one run")
    .option("-c, --config <file>", "credgov.yaml describing the sources (default: $CREDGOV_CONFIG, else ./credgov.yaml)")
    .option("--demo", "scan the bundled demo estate (examples/demo/credgov.yaml)")
    .option("-o, --out <dir>", `output folder (default: output.dir of the config; ${demoOutputDir} under the working folder with --demo); - writes the one --format to stdout`)
    .option("--fail-on <severity>", "exit 1 when a non-excepted failing finding is at or above: critical, high, medium, low, info, none (default high)")
    .option("-e, --exceptions <file>", "exceptions.yaml with approved, expiring waivers")
    .option("-p, --policies <dir...>", "extra Rego policy directories (with an optional catalog.yaml)")
    .option("--no-builtin-policies", "evaluate only the extra policies or bundle")
    .option("-b, --bundle <file>", "an OPA-built bundle.tar.gz (opa build -t wasm -e <pkg>/results ...)")
    .option("--now <time>", "evaluation time, RFC 3339 (default: the snapshot's generatedAt)")
    .option("--baseline <file>", "also compare with this baseline.yaml (writes drift.json, drift.md, drift.sarif); SARIF results it declares point at its lines")
    .option("--since <ref>", "also compare with an earlier scan: last, a scan id, or a snapshot file")
    .option("--fail-on-drift", "exit 1 when anything drifted from the baseline or since the earlier scan")
    .option("--history <file|url>", "record the scan in this history (SQLite file or postgres:// URL) instead of the config's")
    .option("--no-history", "do not record the scan in the history")
    .option("--allow-incomplete", "exit 0/1 even when a source was not ok or a control could not be judged (error, not_evaluated)");
  addControlOptions(command);
  addEvaluationLimitOptions(command);
  addOutputOptions(command);
  command
    .addHelpText(
      "after",
      `
Writes snapshot.json, findings.json and the --format outputs (default: results.sarif, junit.xml,
summary.md) into the output folder, plus drift.json, drift.md and drift.sarif with --baseline or
--since, and records the scan in the history (history.path or history.url of the config;
.credgov/history.db for --demo). With --out - the one --format goes to stdout and the snapshot
to a temporary folder that is removed.
Exit codes: 0 nothing at or above --fail-on, 1 failing findings at or above it, 2 usage or config
error, 3 incomplete: a source was not ok, or a control is error or not_evaluated (takes precedence,
the findings are still written; --allow-incomplete turns it off).

Examples:
  $ credgov scan --demo --out reports/demo
  $ credgov scan --config credgov.yaml --out reports/$(date +%F) --fail-on critical
  $ credgov scan --config credgov.yaml --baseline baseline.yaml --since last --fail-on-drift
  $ credgov scan --demo --format sarif --out - > results.sarif
  $ credgov scan --demo --skip-controls 'CG-SAAS-*' --severity critical high --out reports/demo`,
    )
    .action(async (options: ScanCliOptions) => {
      if (options.demo && options.config) throw new UserInputError("give either --config or --demo, not both", { field: "--demo" });
      const discovered = options.demo ? undefined : discoverConfig(options.config);
      if (!options.demo && !discovered) {
        throw new UserInputError("no config: give --config <file>, set CREDGOV_CONFIG, or create ./credgov.yaml (`credgov init`); --demo scans the bundled demo estate", { field: "--config" });
      }
      if (discovered && discovered.from !== "--config") ctx.output.verbose(`using ${discovered.path} (from ${discovered.from})`);
      const configFile = options.demo ? demoConfigPath : (discovered?.path as string);
      const config = loadConfig(configFile);
      const settings = resolveEvaluationSettings(options, config);
      const now = checkRfc3339(options.now);
      const outputFormats = parseFormats(options.format);
      const filter = outputFilter(options);
      const limits = evaluationLimits(options, config); // a bad value fails before the collection
      const out = options.out ?? (options.demo ? demoOutputDir : config.output.dir);
      resolveOutputTarget(out, outputFormats, []); // --out - without one --format: fail before the work
      const toStdout = out === "-";
      if (toStdout && (options.baseline || options.since !== undefined || Array.isArray(config.rotation?.triggers) && config.rotation.triggers.length > 0)) {
        throw new UserInputError("drift (--baseline, --since) and rotation.triggers write files: give --out DIR", { field: "--out" });
      }
      const baseline = options.baseline ? loadBaseline(options.baseline) : undefined; // its mistakes before a long collection
      // The exceptions and extra policy folders too: evaluate reads them only after the collection.
      for (const dir of settings.policies) assertPolicyDir(dir);
      if (settings.exceptions) assertExceptionControlsKnown(loadExceptions(settings.exceptions), loadMergedCatalog(settings.policies).controls.map((c) => c.id));
      checkScanTriggers(config, process.env); // a webhook's missing signing key too
      // --history names the store; the demo keeps its history in the working directory, not in the package.
      const history = typeof options.history === "string" ? options.history : options.demo ? ".credgov/history.db" : undefined;
      const recording = options.history !== false && config.history.enabled;
      // Before collecting: an unwritable --out must not cost a whole collection.
      const snapshotDir = toStdout ? mkdtempSync(join(tmpdir(), "credgov-scan-")) : (prepareOutputDir(out), out);
      replaceSpecialTargets(options.force === true);
      // One run at a time in the folder; its files are tied by run.json, written once all are in
      // place; a failed run is undone (the previous complete run comes back).
      const run = toStdout ? undefined : await beginOutputRun(out, { tool: "credgov scan" });
      try {
        const startedAt = new Date();
        const snapshotFile = join(snapshotDir, "snapshot.json");
        const collected = await collectToFile({ config, configFile, out: snapshotFile }, ctx);
        const { findings, gating, policyHash, incomplete } = await evaluateAndReport(
          {
            ...settings,
            snapshotFile,
            out,
            outputFormats,
            filter,
            controls: controlSelection(options),
            configFile,
            baselineLines: baseline ? baselineFindingLines(baseline) : undefined,
            sarifCategory: options.sarifCategory,
            now,
            scope: options.demo ? "demo estate (examples/demo)" : configFile,
            evidence: options,
            limits,
            // The trend comes from where this scan is recorded (it is recorded after the pack).
            history: recording ? { location: historyLocation(history, config), required: false } : undefined,
          },
          ctx,
        );
        let drifted = false;
        let unjudged = false;
        const needSnapshot = baseline !== undefined || options.since !== undefined || recording;
        const snapshot = needSnapshot ? await readSnapshot(snapshotFile) : undefined;
        if (snapshot && (baseline || options.since !== undefined)) {
          const report = await driftAndReport({ snapshotFile, snapshot, findings, config, baseline, since: options.since, history, out, now }, ctx);
          drifted = report.summary.drift;
          // Baseline values not collected, or a source the earlier scan did not collect in full.
          unjudged = driftExitCode(report, false) === ExitCode.collectionIncomplete;
        }
        // rotation.triggers: a plan (and hooks, and auto-apply) for the controls that failed.
        await scanRotationTriggers(config, out, ctx);
        if (collected === ExitCode.collectionIncomplete) ctx.output.warn("collection was incomplete: controls depending on the failed sources are reported as error, not pass");
        // Drift against a baseline value that was not collected is incomplete too.
        const reasons = unjudged ? [...incomplete, "baseline values not collected"] : incomplete;
        ctx.exitCode = runExitCode(gating.length > 0 || (options.failOnDrift === true && drifted), reasons, options.allowIncomplete === true);
        await run?.finish();
        if (snapshot && recording) {
          const recorded = await recordScanAt(historyLocation(history, config), {
            startedAt,
            finishedAt: new Date(),
            snapshotFile,
            snapshot,
            findings,
            policySha256: policyHash,
            exitCode: ctx.exitCode,
            toolVersion: packageVersion,
            keepSnapshot: config.history.keepSnapshots,
          });
          ctx.output.info(`recorded scan ${recorded.id} in ${recorded.location}`);
        }
      } catch (error) {
        await run?.abandon();
        throw error;
      } finally {
        if (toStdout) rmSync(snapshotDir, { recursive: true, force: true });
      }
    });
}
