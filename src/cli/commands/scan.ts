import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode, UserInputError } from "../../errors.ts";
import { loadConfig } from "../../config/load.ts";
import { prepareOutputDir } from "../output-path.ts";
import { collect } from "./collect.ts";
import { checkRfc3339, resolveEvaluationSettings, runEvaluation } from "./evaluate.ts";
import { addEvidenceOptions, type EvidenceCliOptions } from "../evidence-pack.ts";

/** The bundled demo estate, resolved relative to the installed package. */
export const demoConfigPath: string = fileURLToPath(new URL("../../../examples/demo/credgov.yaml", import.meta.url));

interface ScanCliOptions extends EvidenceCliOptions {
  config?: string;
  demo?: boolean;
  out?: string;
  failOn?: string;
  exceptions?: string;
  policies?: string[];
  builtinPolicies: boolean;
  bundle?: string;
  now?: string;
}

export function registerScan(program: Command, ctx: CommandContext): void {
  addEvidenceOptions(program.command("scan"))
    .description("collect, evaluate and report in one run")
    .option("-c, --config <file>", "credgov.yaml describing the sources")
    .option("--demo", "scan the bundled demo estate (examples/demo/credgov.yaml)")
    .option("-o, --out <dir>", "output folder (default: output.dir of the config)")
    .option("--fail-on <severity>", "exit 1 when a non-excepted failing finding is at or above: critical, high, medium, low, info, none (default high)")
    .option("-e, --exceptions <file>", "exceptions.yaml with approved, expiring waivers")
    .option("-p, --policies <dir...>", "extra Rego policy directories (with an optional catalog.yaml)")
    .option("--no-builtin-policies", "evaluate only the extra policies or bundle")
    .option("-b, --bundle <file>", "an OPA-built bundle.tar.gz (opa build -t wasm -e <pkg>/results ...)")
    .option("--now <time>", "evaluation time, RFC 3339 (default: the snapshot's generatedAt)")
    .addHelpText(
      "after",
      `
Writes snapshot.json, findings.json, results.sarif, junit.xml and summary.md into the output folder.
Exit codes: 0 nothing at or above --fail-on, 1 failing findings at or above it, 2 usage or config
error, 3 collection incomplete (a source failed; takes precedence, the findings are still written).

Examples:
  $ credgov scan --demo --out reports/demo
  $ credgov scan --config credgov.yaml --out reports/$(date +%F) --fail-on critical`,
    )
    .action(async (options: ScanCliOptions) => {
      if (options.demo && options.config) throw new UserInputError("give either --config or --demo, not both", { field: "--demo" });
      if (!options.demo && !options.config) throw new UserInputError("give --config <file> (or --demo for the bundled demo estate)", { field: "--config" });
      const configFile = options.demo ? demoConfigPath : (options.config as string);
      const config = loadConfig(configFile);
      const settings = resolveEvaluationSettings(options, config);
      const now = checkRfc3339(options.now);
      const out = options.out ?? config.output.dir;
      prepareOutputDir(out); // before collecting: an unwritable --out must not cost a whole collection
      const snapshotFile = join(out, "snapshot.json");
      const collected = await collect({ config: configFile, out: snapshotFile }, ctx);
      const { gating } = await runEvaluation({ ...settings, snapshotFile, out, now, scope: options.demo ? "demo estate (examples/demo)" : configFile, evidence: options }, ctx);
      if (collected === ExitCode.collectionIncomplete) {
        ctx.output.warn("collection was incomplete: controls depending on the failed sources are reported as error, not pass");
        ctx.exitCode = ExitCode.collectionIncomplete;
      } else {
        ctx.exitCode = gating.length > 0 ? ExitCode.findings : ExitCode.ok;
      }
    });
}
