import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { NotImplementedError } from "../../errors.ts";

export function registerRotate(program: Command, _ctx: CommandContext): void {
  program
    .command("rotate")
    .description("plan, approve and apply central rotation of flagged credentials")
    .action(() => {
      throw new NotImplementedError("credgov rotate");
    });
}
