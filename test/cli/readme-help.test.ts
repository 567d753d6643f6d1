// README and `credgov --help` agree: every command in README's command table is a command of
// the program, every command of the program is in the table, and every flag in README's flag
// table is in the --help of evaluate, scan or report (the commands it describes).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.ts";
import { createOutput } from "../../src/cli/output.ts";
import { ExitCode } from "../../src/errors.ts";

const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
const program = await buildProgram({ output: createOutput("quiet"), exitCode: ExitCode.ok });
const help = (name: string) => program.commands.find((c) => c.name() === name)?.helpInformation() ?? "";

describe("README and --help", () => {
  it("name the same commands", () => {
    const table = readme.slice(readme.indexOf("| command | what it does |"), readme.indexOf("Exit codes:"));
    const inReadme = new Set([...table.matchAll(/`credgov ([a-z]+)/g)].map((m) => m[1]));
    for (const m of table.matchAll(/^\| `([a-z]+)`[ ,|]/gm)) inReadme.add(m[1]); // commands not implemented yet: `rotate`
    const inProgram = new Set(program.commands.map((c) => c.name()));
    expect([...inReadme].sort()).toEqual([...inProgram].sort());
    const top = program.helpInformation();
    for (const command of inProgram) expect(top).toMatch(new RegExp(`^  ${command}\\b`, "m"));
  });

  it("list the same output, selection and colour flags", () => {
    const table = readme.slice(readme.indexOf("| flag | what it does |"), readme.indexOf("SARIF results point at"));
    const firstCells = [...table.matchAll(/^\| ([^|]+) \|/gm)].map((m) => m[1]).join(" ");
    const flags = new Set([...firstCells.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((m) => m[1]));
    expect(flags.size).toBeGreaterThanOrEqual(9);
    const helps = ["evaluate", "scan", "report", "controls"].map(help).join("\n") + program.helpInformation();
    for (const flag of flags) expect(helps, flag).toContain(flag);
    for (const flag of ["--format", "--out", "--severity", "--status", "--sarif-category", "--config"]) {
      for (const command of ["evaluate", "scan", "report"]) expect(help(command), `${command} ${flag}`).toContain(flag);
    }
    for (const flag of ["--controls", "--skip-controls"]) for (const command of ["evaluate", "scan", "controls"]) expect(help(command), `${command} ${flag}`).toContain(flag);
    expect(program.helpInformation()).toContain("--no-color");
  });
});
