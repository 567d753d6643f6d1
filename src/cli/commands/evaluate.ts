import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { NotImplementedError } from "../errors.ts";

export function registerEvaluate(program: Command, _ctx: CommandContext): void {
  program
    .command("evaluate")
    .description("evaluate a snapshot against the policy library and write findings")
    .action(() => {
      throw new NotImplementedError("credgov evaluate");
    });
}
