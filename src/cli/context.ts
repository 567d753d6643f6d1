// What every command receives besides its own options: the terminal output and the exit code
// it sets for main() to return.
import type { Output } from "./output.ts";

/** What every command receives besides its own options. */
export interface CommandContext {
  output: Output;
  /** Set by the command; main() returns it as the process exit code. */
  exitCode: number;
}
