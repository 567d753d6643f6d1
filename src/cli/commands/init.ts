// `credgov init`: writes a commented starter credgov.yaml for the source kinds given.
import { existsSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { UserInputError } from "../../errors.ts";
import { closestMatch } from "../../closest-match.ts";
import { configSchemaUrl } from "../../config/load.ts";
import { sourceKinds, starterConfig } from "../../config/starter-config.ts";
import type { SourceKind } from "../../config/types.ts";
import { defaultConfigName } from "../config-discovery.ts";
import { prepareOutputFile } from "../output-path.ts";

interface InitCliOptions {
  out: string;
  force?: boolean;
}

export function registerInit(program: Command, ctx: CommandContext): void {
  program
    .command("init")
    .description("write a commented starter credgov.yaml for the source kinds given")
    .argument("[kinds...]", `source kinds: ${sourceKinds.join(", ")}`, ["ad"])
    .option("-o, --out <file>", "where to write it", defaultConfigName)
    .option("--force", "overwrite an existing file")
    .addHelpText(
      "after",
      `
Examples:
  $ credgov init ad entra github
  $ credgov init ldap --out config/credgov.yaml`,
    )
    .action((kinds: string[], options: InitCliOptions) => {
      const chosen: SourceKind[] = [];
      for (const kind of kinds.flatMap((k) => k.split(",")).filter(Boolean)) {
        if (!(sourceKinds as readonly string[]).includes(kind)) {
          const suggestion = closestMatch(kind, sourceKinds);
          throw new UserInputError(`unknown source kind ${JSON.stringify(kind)}${suggestion ? `; did you mean ${suggestion}?` : ""} (use ${sourceKinds.join(", ")})`, { field: "kinds" });
        }
        if (!chosen.includes(kind as SourceKind)) chosen.push(kind as SourceKind);
      }
      if (existsSync(options.out) && !options.force) throw new UserInputError("already exists; use --force to overwrite it", { file: options.out });
      prepareOutputFile(options.out);
      const schema = relative(dirname(resolve(options.out)), fileURLToPath(configSchemaUrl)).split("\\").join("/");
      writeFileSync(options.out, starterConfig(chosen, schema));
      ctx.output.info(`wrote ${options.out} with ${chosen.join(", ")} source${chosen.length === 1 ? "" : "s"}; next: credgov scan`);
    });
}
