// --controls / --skip-controls on evaluate and scan (Prowler's --checks / --excluded-checks).
import type { Command } from "commander";
import { controlPatterns, type ControlSelection } from "../policy/catalog/control-selection.ts";

export interface ControlCliOptions {
  controls?: string[];
  skipControls?: string[];
}

export function addControlOptions(command: Command): Command {
  return command
    .option("--controls <id...>", "evaluate only these controls: ids or globs, comma or space separated (CG-RESET-*, CG-HYG-001)")
    .option("--skip-controls <id...>", "leave out these controls: ids or globs");
}

export function controlSelection(options: ControlCliOptions): ControlSelection {
  return { include: controlPatterns(options.controls), exclude: controlPatterns(options.skipControls) };
}
