// `credgov drift`: compare a snapshot with the declared baseline or an earlier scan, write
// drift.json/md/sarif (the drift stage, adapted by drift-and-report.ts).
import { replaceSpecialTargets } from "../../io/atomic-write.ts";
import { join } from "node:path";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode, UserInputError } from "../../errors.ts";
import { prepareOutputDir } from "../output-path.ts";
import { loadConfig } from "../../config/load.ts";
import { loadBaseline } from "../../drift/baseline/load.ts";
import { driftExitCode } from "../../drift/run-drift.ts";
import { readSnapshot } from "../../snapshot/store.ts";
import { collectToFile } from "../collect-to-file.ts";
import { driftAndReport } from "../drift-and-report.ts";
import { checkRfc3339 } from "../evaluation-settings.ts";

interface DriftCliOptions {
  snapshot?: string;
  config?: string;
  baseline?: string;
  since?: string;
  history?: string;
  out?: string;
  failOnDrift?: boolean;
  now?: string;
  force?: boolean;
}

export function registerDrift(program: Command, ctx: CommandContext): void {
  program
    .command("drift")
    .description("compare a snapshot with the declared baseline or an earlier scan")
    .option("-s, --snapshot <file>", "snapshot to compare (default: collect now from --config)")
    .option("-c, --config <file>", "credgov.yaml: sources for a live scan, thresholds, history")
    .option("--baseline <file>", "baseline.yaml declaring the desired settings (schemas/baseline.schema.json)")
    .option("--since <ref>", "an earlier scan: last, a scan id from the history, or a snapshot file")
    .option("--history <file|url>", "history database: an SQLite file or postgres:// URL (default: the config's, else .credgov/history.db)")
    .option("-o, --out <dir>", "write drift.json, drift.md and drift.sarif here")
    .option("--fail-on-drift", "exit 1 when anything drifted")
    .option("--now <time>", "evaluation time for the baseline check, RFC 3339 (default: the snapshot's generatedAt)")
    .option("--force", "replace an output path that is a symbolic link or not a regular file (a device, a FIFO); refused by default")
    .addHelpText(
      "after",
      `
Drift is: a baseline value the estate does not meet, a baseline value weaker than a control's
threshold (the policy library checks the baseline itself), a new failing finding, or an
added, removed or changed account, credential, reset path, password policy, identity or setting.
Exit codes: 0 no drift (or drift without --fail-on-drift), 1 drift with --fail-on-drift,
2 usage or input error, 3 part of the baseline could not be judged (data not collected) or a
source of either snapshot was not collected in full.

Examples:
  $ credgov drift --baseline baseline.yaml --snapshot snapshot.json --out reports/drift --fail-on-drift
  $ credgov drift --config credgov.yaml --baseline baseline.yaml          (collects live first)
  $ credgov drift --snapshot today.json --since last --config credgov.yaml
  $ credgov drift --snapshot today.json --since yesterday.json`,
    )
    .action(async (options: DriftCliOptions) => {
      replaceSpecialTargets(options.force === true);
      if (!options.baseline && options.since === undefined) throw new UserInputError("give --baseline <file> and/or --since <last|SCAN_ID|SNAPSHOT>", { field: "--baseline" });
      if (!options.snapshot && !options.config) throw new UserInputError("give --snapshot <file>, or --config <file> to collect now", { field: "--snapshot" });
      const now = checkRfc3339(options.now);
      const config = options.config ? loadConfig(options.config) : undefined;
      const baseline = options.baseline ? loadBaseline(options.baseline) : undefined;
      if (options.out) prepareOutputDir(options.out);
      let snapshotFile = options.snapshot;
      if (!snapshotFile) {
        snapshotFile = join(options.out ?? config!.output.dir, "snapshot.json");
        prepareOutputDir(options.out ?? config!.output.dir);
        const collected = await collectToFile({ config: config!, configFile: options.config!, out: snapshotFile }, ctx);
        if (collected === ExitCode.collectionIncomplete) ctx.output.warn("collection was incomplete: settings of the failed sources are reported as not judged");
      }
      const snapshot = await readSnapshot(snapshotFile);
      const report = await driftAndReport({ snapshotFile, snapshot, config, baseline, since: options.since, history: options.history, out: options.out, now }, ctx);
      ctx.exitCode = driftExitCode(report, options.failOnDrift ?? false);
    });
}
