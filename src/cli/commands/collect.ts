import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { NotImplementedError } from "../errors.ts";

export function registerCollect(program: Command, _ctx: CommandContext): void {
  program
    .command("collect")
    .description("collect facts from every configured source into one snapshot")
    .action(() => {
      throw new NotImplementedError("credgov collect");
    });
}
