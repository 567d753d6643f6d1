// `credgov collect`: every configured source into one snapshot file (the collect stage,
// adapted by collect-to-file.ts).
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { collectToFile } from "../collect-to-file.ts";
import { loadConfig } from "../../config/load.ts";
import { checkOutputTarget, replaceSpecialTargets } from "../../io/atomic-write.ts";

interface CollectOptions {
  config: string;
  out: string;
  source?: string[];
  force?: boolean;
}

export function registerCollect(program: Command, ctx: CommandContext): void {
  program
    .command("collect")
    .description("collect facts from every configured source into one snapshot")
    .requiredOption("-c, --config <file>", "credgov.yaml to read sources from")
    .requiredOption("-o, --out <file>", "snapshot JSON file to write")
    .option("-s, --source <id...>", "collect only these source ids (one part per job; join the parts with `credgov snapshot merge`)")
    .option("--force", "replace an --out that is a symbolic link or not a regular file (a device, a FIFO); refused by default")
    .addHelpText(
      "after",
      `
Writes the snapshot even when a source fails (its status and errors say why), then exits 3.
Exit codes: 0 every source complete, 2 config error, 3 a source is partial or failed.

A path ending in .gz is written gzip-compressed.

Example:
  $ credgov collect --config examples/demo/credgov.yaml --out snapshot.json
  $ credgov collect --config credgov.yaml --source corp-ad --out parts/corp-ad.json.gz`,
    )
    .action(async (options: CollectOptions) => {
      replaceSpecialTargets(options.force === true);
      await checkOutputTarget(options.out); // a symlink or a device is refused before collecting, not after
      ctx.exitCode = await collectToFile({ config: loadConfig(options.config), configFile: options.config, out: options.out, source: options.source }, ctx);
    });
}
