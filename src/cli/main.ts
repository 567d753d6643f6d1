// The credgov command line: builds the commander program from the commands in commands/,
// runs it, and turns errors into one printed line and an exit code (0/1/2/3, see errors.ts).
import { Command, CommanderError } from "commander";
import { ExitCode, UserInputError } from "../errors.ts";
import { packageVersion } from "../package-version.ts";
import { createOutput, type Verbosity } from "./output.ts";
import { pathErrorReason } from "../io/path-errors.ts";
import type { CommandContext } from "./context.ts";
import { holdYoungGenerationSize } from "../young-generation.ts";

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

type Register = (program: Command, ctx: CommandContext) => void;

// Each command's module, in --help order, imported only when needed: a command's dependencies
// (the Rego compiler, LDAP and cloud clients, report writers) take about a second of CPU to load,
// and one run needs one command's. The names are the commands' names.
const commandModules: Record<string, () => Promise<Register>> = {
  init: async () => (await import("./commands/init.ts")).registerInit,
  collect: async () => (await import("./commands/collect.ts")).registerCollect,
  evaluate: async () => (await import("./commands/evaluate.ts")).registerEvaluate,
  scan: async () => (await import("./commands/scan.ts")).registerScan,
  drift: async () => (await import("./commands/drift.ts")).registerDrift,
  history: async () => (await import("./commands/history.ts")).registerHistory,
  rotate: async () => (await import("./commands/rotate.ts")).registerRotate,
  report: async () => (await import("./commands/report.ts")).registerReport,
  policy: async () => (await import("./commands/policy.ts")).registerPolicy,
  controls: async () => (await import("./commands/controls.ts")).registerControls,
  snapshot: async () => (await import("./commands/snapshot.ts")).registerSnapshot,
  verify: async () => (await import("./commands/verify.ts")).registerVerify,
  export: async () => (await import("./commands/export.ts")).registerExport,
};

/**
 * The commands an argument list needs loaded: the one its first operand after the global options
 * (which take no value) names; none for a bare --version; otherwise (no command, `help`, a typo)
 * every command, so that help lists them all and a typo gets a suggestion.
 */
export function commandsToLoad(args: readonly string[]): string[] {
  const first = args.find((a) => !a.startsWith("-"));
  if (first !== undefined && Object.hasOwn(commandModules, first)) return [first];
  if (first === undefined && args.some((a) => a === "-V" || a === "--version") && !args.some((a) => a === "-h" || a === "--help")) return [];
  return Object.keys(commandModules);
}

/**
 * Builds the program with the commands named (by default every command; each one's options and
 * help are complete, the others are not loaded); exported so tests can drive it without spawning
 * a process.
 */
export async function buildProgram(ctx: CommandContext, names: readonly string[] = Object.keys(commandModules)): Promise<Command> {
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
  const registers = await Promise.all(names.map((name) => commandModules[name]()));
  for (const register of registers) register(program, ctx);
  // Every subcommand reports usage errors through exitOverride too.
  for (const command of program.commands) applyExitOverride(command);
  return program;
}

function applyExitOverride(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) applyExitOverride(sub);
}

export async function main(argv: string[]): Promise<number> {
  holdYoungGenerationSize();
  const ctx: CommandContext = { output: createOutput("normal"), exitCode: ExitCode.ok };
  try {
    const program = await buildProgram(ctx, commandsToLoad(argv.slice(2)));
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
