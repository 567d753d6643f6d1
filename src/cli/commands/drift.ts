import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { NotImplementedError } from "../../errors.ts";

export function registerDrift(program: Command, _ctx: CommandContext): void {
  program
    .command("drift")
    .description("compare a snapshot with the declared baseline or a previous snapshot")
    .action(() => {
      throw new NotImplementedError("credgov drift");
    });
}
