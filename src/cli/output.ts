// Terminal output conventions shared by every command: results on stdout, diagnostics on
// stderr, colour only on a TTY and never when NO_COLOR is set (https://no-color.org).
export type Verbosity = "quiet" | "normal" | "verbose";

export interface Output {
  verbosity: Verbosity;
  color: boolean;
  /** Whether stderr is an interactive terminal (progress bars only then). */
  interactive: boolean;
  info(message: string): void;
  verbose(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  result(text: string): void;
}

export function createOutput(
  verbosity: Verbosity,
  env: NodeJS.ProcessEnv = process.env,
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
): Output {
  const color = !("NO_COLOR" in env && env.NO_COLOR !== "") && Boolean(stderr.isTTY) && env.TERM !== "dumb";
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    verbosity,
    color,
    interactive: Boolean(stderr.isTTY) && verbosity !== "quiet",
    info: (m) => verbosity !== "quiet" && stderr.write(`${m}\n`),
    verbose: (m) => verbosity === "verbose" && stderr.write(`${paint(2, m)}\n`),
    warn: (m) => verbosity !== "quiet" && stderr.write(`${paint(33, "warning:")} ${m}\n`),
    error: (m) => stderr.write(`${paint(31, "error:")} ${m}\n`),
    result: (t) => stdout.write(t.endsWith("\n") ? t : `${t}\n`),
  };
}
