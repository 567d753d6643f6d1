import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { NotImplementedError } from "../errors.ts";

export function registerSnapshot(program: Command, _ctx: CommandContext): void {
  program
    .command("snapshot")
    .description("inspect and validate snapshot files")
    .action(() => {
      throw new NotImplementedError("credgov snapshot");
    });
}
