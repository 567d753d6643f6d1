import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { NotImplementedError } from "../errors.ts";

export function registerPolicy(program: Command, _ctx: CommandContext): void {
  program
    .command("policy")
    .description("build and test Rego policies (compiled to WebAssembly)")
    .action(() => {
      throw new NotImplementedError("credgov policy");
    });
}
