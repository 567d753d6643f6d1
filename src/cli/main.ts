// The credgov command line: builds the commander program from the commands in commands/,
// runs it, and turns errors into one printed line and an exit code (0/1/2/3, see errors.ts).
import { Command, CommanderError } from "commander";
import { ExitCode, UserInputError } from "../errors.ts";
import { packageVersion } from "../package-version.ts";
import { createOutput, type Verbosity } from "./output.ts";
import { pathErrorReason } from "../io/path-errors.ts";
import type { CommandContext } from "./context.ts";
import { registerCollect } from "./commands/collect.ts";
import { registerEvaluate } from "./commands/evaluate.ts";
import { registerScan } from "./commands/scan.ts";
import { registerDrift } from "./commands/drift.ts";
import { registerHistory } from "./commands/history.ts";
import { registerRotate } from "./commands/rotate.ts";
import { registerReport } from "./commands/report.ts";
import { registerPolicy } from "./commands/policy.ts";
import { registerSnapshot } from "./commands/snapshot.ts";
import { registerVerify } from "./commands/verify.ts";
import { registerControls } from "./commands/controls.ts";
import { registerInit } from "./commands/init.ts";
import { registerExport } from "./commands/export.ts";

export const version: string = packageVersion;

const description = "Audit who owns every password and secret in a hybrid identity estate.";

const about = `
credgov collects password policy, reset paths and credential ownership from Active
Directory, Entra ID, GitHub and legacy LDAP into one snapshot, evaluates it with Rego
policies compiled to WebAssembly, and reports user-dependent resets and fragmented
credential lifecycles mapped to NIST CSF 2.0, OWASP NHI Top 10 (2025) and CIS v8.

Pipeline: collect -> snapshot -> evaluate -> report / drift / rotate
Exit codes: 0 ok, 1 findings at or above --fail-on (or drift), 2 usage or config error,
            3 collection incomplete (a source failed)`;

const examples = `
Examples:
  $ credgov scan --demo --out reports/demo            scan the bundled demo estate
  $ credgov init ad entra                              write a commented starter credgov.yaml
  $ credgov collect --config credgov.yaml --out snapshot.json
  $ credgov evaluate --snapshot snapshot.json --fail-on high
  $ credgov snapshot validate snapshot.json
  $ credgov export entra --config credgov.yaml --out exports/entra
  $ credgov policy test policies/
  $ credgov controls --controls 'CG-RESET-*'`;

/** Builds the program; exported so tests can drive it without spawning a process. */
export function buildProgram(ctx: CommandContext): Command {
  const program = new Command("credgov")
    .description(description)
    .version(version, "-V, --version", "print the credgov version")
    .option("-q, --quiet", "print only results and errors")
    .option("-v, --verbose", "print each collection step and query")
    .option("--no-color", "no colour, even where FORCE_COLOR asks for it (NO_COLOR=1 does the same unless FORCE_COLOR is set)")
    .addHelpText("after", about + "\n" + examples)
    .showSuggestionAfterError()
    .configureHelp({ sortSubcommands: false, showGlobalOptions: true })
    .exitOverride();
  program.hook("preAction", (_this, action) => {
    const opts = action.optsWithGlobals() as { quiet?: boolean; verbose?: boolean; color?: boolean };
    const verbosity: Verbosity = opts.quiet ? "quiet" : opts.verbose ? "verbose" : "normal";
    ctx.output = createOutput(verbosity, process.env, process.stdout, process.stderr, opts.color);
  });
  for (const register of [
    registerInit,
    registerCollect,
    registerEvaluate,
    registerScan,
    registerDrift,
    registerHistory,
    registerRotate,
    registerReport,
    registerPolicy,
    registerControls,
    registerSnapshot,
    registerVerify,
    registerExport,
  ]) {
    register(program, ctx);
  }
  // Every subcommand reports usage errors through exitOverride too.
  for (const command of program.commands) applyExitOverride(command);
  return program;
}

function applyExitOverride(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) applyExitOverride(sub);
}

export async function main(argv: string[]): Promise<number> {
  const ctx: CommandContext = { output: createOutput("normal"), exitCode: ExitCode.ok };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (error) {
    return reportError(error, ctx);
  }
}

function reportError(error: unknown, ctx: CommandContext): number {
  if (error instanceof CommanderError) {
    // --help and --version end in a CommanderError with exit code 0; commander already printed.
    return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof UserInputError) {
    ctx.output.error(error.format());
    return error.exitCode;
  }
  // A path that cannot be used (a folder on the way is a file, no permission) and that no
  // command caught is still the user's to fix: name it, exit 2.
  const pathReason = pathErrorReason(error);
  const path = (error as NodeJS.ErrnoException).path;
  if (pathReason !== undefined && typeof path === "string") {
    ctx.output.error(`${path} cannot ${(error as NodeJS.ErrnoException).syscall ?? "be used"}: ${pathReason}`);
    if (error instanceof Error && error.stack) ctx.output.verbose(error.stack);
    return ExitCode.usage;
  }
  // Anything else is a credgov bug: say so plainly; the stack only with --verbose.
  const message = error instanceof Error ? error.message : String(error);
  ctx.output.error(`internal error: ${message}`);
  if (error instanceof Error && error.stack) ctx.output.verbose(error.stack);
  return ExitCode.usage;
}
