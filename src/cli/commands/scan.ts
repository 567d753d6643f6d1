import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { NotImplementedError } from "../errors.ts";

export function registerScan(program: Command, _ctx: CommandContext): void {
  program
    .command("scan")
    .description("collect, evaluate and report in one run")
    .action(() => {
      throw new NotImplementedError("credgov scan");
    });
}
