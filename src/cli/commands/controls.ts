// `credgov controls`: lists the catalog's controls (id, severity, title, framework ids) for
// choosing --controls and --skip-controls.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { UserInputError } from "../../errors.ts";
import { addControlOptions, controlSelection, type ControlCliOptions } from "../control-options.ts";
import { loadCatalog } from "../../policy/catalog/load.ts";
import { selectControls } from "../../policy/catalog/control-selection.ts";
import { renderControlList } from "../../policy/catalog/control-list.ts";

interface ControlsCliOptions extends ControlCliOptions {
  format: string;
  policies?: string[];
}

export function registerControls(program: Command, ctx: CommandContext): void {
  const command = program
    .command("controls")
    .description("list the controls: id, severity, title and framework ids (Prowler's --list-checks)")
    .option("--format <format>", "table or json", "table")
    .option("-p, --policies <dir...>", "also list the controls of these policy directories' catalog.yaml");
  addControlOptions(command);
  command
    .addHelpText(
      "after",
      `
Examples:
  $ credgov controls
  $ credgov controls --controls 'CG-NHI-*' --format json`,
    )
    .action((options: ControlsCliOptions) => {
      if (options.format !== "table" && options.format !== "json") throw new UserInputError(`must be table or json (got ${JSON.stringify(options.format)})`, { field: "--format" });
      const controls = [...loadCatalog().controls];
      for (const dir of options.policies ?? []) {
        const file = join(dir, "catalog.yaml");
        if (!existsSync(dir)) throw new UserInputError("policy directory not found", { file: dir, field: "--policies" });
        if (!existsSync(file)) throw new UserInputError("no catalog.yaml in this policy directory", { file: dir, field: "--policies" });
        controls.push(...loadCatalog(file).controls);
      }
      const selected = selectControls(controls.map((c) => c.id), controlSelection(options));
      ctx.output.result(renderControlList(controls.filter((c) => selected(c.id)), options.format));
    });
}
