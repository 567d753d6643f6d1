// `credgov evaluate`: a snapshot file -> findings and outputs (the evaluate stage, adapted by
// evaluate-and-report.ts).
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { loadConfig } from "../../config/load.ts";
import { historyLocation } from "../../history/location.ts";
import { prepareOutputDir } from "../output-path.ts";
import { discoverConfig } from "../config-discovery.ts";
import { addOutputOptions, outputFilter, parseFormats, resolveOutputTarget, type OutputCliOptions } from "../output-options.ts";
import { addControlOptions, controlSelection, type ControlCliOptions } from "../control-options.ts";
import { addEvidenceOptions, type EvidenceCliOptions } from "../evidence-pack.ts";
import { addEvaluationLimitOptions, evaluationLimits, type EvaluationLimitOptions } from "../evaluation-limits.ts";
import { evaluateAndReport } from "../evaluate-and-report.ts";
import { checkRfc3339, resolveEvaluationSettings, runExitCode } from "../evaluation-settings.ts";
import { replaceSpecialTargets } from "../../io/atomic-write.ts";
import { withOutputRun } from "../../io/run-manifest.ts";

interface EvaluateCliOptions extends EvidenceCliOptions, OutputCliOptions, ControlCliOptions, EvaluationLimitOptions {
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
  addEvaluationLimitOptions(command);
  addOutputOptions(command);
  command
    .addHelpText(
      "after",
      `
Exit codes: 0 nothing at or above --fail-on, 1 failing findings at or above it, 2 usage or input error,
3 incomplete: a source in the snapshot was not ok, or a control is error or not_evaluated (takes
precedence; --allow-incomplete turns it off). not_applicable never makes a run incomplete.
A policy package past --eval-timeout or --eval-memory is stopped: its controls are error (exit 3).

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
      const limits = evaluationLimits(options, config);
      if (options.out) resolveOutputTarget(options.out, outputFormats, []); // --out - without one --format: fail before the work
      const dir = options.out && options.out !== "-" ? options.out : undefined;
      if (dir) prepareOutputDir(dir); // before evaluating, not after
      replaceSpecialTargets(options.force === true);
      const now = checkRfc3339(options.now);
      const evaluate = () =>
        evaluateAndReport(
          {
            ...settings,
            snapshotFile: options.snapshot,
            out: options.out,
            outputFormats,
            filter,
            controls: controlSelection(options),
            configFile: discovered?.path,
            sarifCategory: options.sarifCategory,
            now,
            scope: options.snapshot,
            evidence: options,
            limits,
            history: config?.history.enabled ? { location: historyLocation(undefined, config), required: false } : undefined,
          },
          ctx,
        );
      // One run at a time in the folder, tied by run.json; a snapshot evaluated in place stays and joins the run.
      const { gating, incomplete } = dir ? await withOutputRun(dir, { tool: "credgov evaluate", keep: [options.snapshot] }, evaluate) : await evaluate();
      ctx.exitCode = runExitCode(gating.length > 0, incomplete, options.allowIncomplete === true);
    });
}
