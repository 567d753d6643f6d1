import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { NotImplementedError } from "../errors.ts";

export function registerReport(program: Command, _ctx: CommandContext): void {
  program
    .command("report")
    .description("render findings as PDF, SARIF, JUnit, JSON or Markdown")
    .action(() => {
      throw new NotImplementedError("credgov report");
    });
}
