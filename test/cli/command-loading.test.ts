// main.ts loads only the module of the command a run names (each command's dependencies cost
// start-up time), and every command where help or a suggestion needs them all.
import { describe, expect, it } from "vitest";
import { buildProgram, commandsToLoad } from "../../src/cli/main.ts";
import { createOutput } from "../../src/cli/output.ts";
import { ExitCode } from "../../src/errors.ts";

const ctx = () => ({ output: createOutput("quiet"), exitCode: ExitCode.ok });
const all = commandsToLoad([]);

describe("command loading", () => {
  it("loads the named command alone, after global options", () => {
    expect(commandsToLoad(["policy", "test", "policies/"])).toEqual(["policy"]);
    expect(commandsToLoad(["-q", "--no-color", "scan", "--demo"])).toEqual(["scan"]);
    expect(commandsToLoad(["snapshot", "--help"])).toEqual(["snapshot"]);
  });

  it("loads every command for help, a typo or no command, and none for --version", () => {
    expect(all.length).toBeGreaterThanOrEqual(13);
    for (const args of [["--help"], ["help", "policy"], ["polcy", "test"], ["-v"]]) expect(commandsToLoad(args), args.join(" ")).toEqual(all);
    expect(commandsToLoad(["--version"])).toEqual([]);
    expect(commandsToLoad(["--version", "--help"])).toEqual(all);
  });

  it("names each module by the command it registers", async () => {
    const program = await buildProgram(ctx());
    expect(program.commands.map((c) => c.name())).toEqual(all);
    for (const name of all) {
      const one = await buildProgram(ctx(), [name]);
      expect(one.commands.map((c) => c.name())).toEqual([name]);
    }
  });
});
