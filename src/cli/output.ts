// Terminal output conventions shared by every command: results on stdout, diagnostics on
// stderr. Colour: never with --no-color; else always when FORCE_COLOR is set (and not 0 or
// false: CI logs render it); else never when NO_COLOR is set (https://no-color.org); else only
// on a TTY.
import { escapeControlCharacters } from "../report/control-characters.ts";
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

export function useColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, stream: { isTTY?: boolean }): boolean {
  if (flag === false) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "0" && force !== "false") return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return Boolean(stream.isTTY) && env.TERM !== "dumb";
}

export function createOutput(
  verbosity: Verbosity,
  env: NodeJS.ProcessEnv = process.env,
  stdout: NodeJS.WriteStream = process.stdout,
  stderr: NodeJS.WriteStream = process.stderr,
  colorFlag?: boolean,
): Output {
  const color = useColor(colorFlag, env, stderr);
  const paint = (code: number, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  return {
    verbosity,
    color,
    interactive: Boolean(stderr.isTTY) && verbosity !== "quiet",
    // Messages quote directory data: control characters are shown escaped, never sent raw.
    info: (m) => verbosity !== "quiet" && stderr.write(`${escapeControlCharacters(m)}\n`),
    verbose: (m) => verbosity === "verbose" && stderr.write(`${paint(2, escapeControlCharacters(m))}\n`),
    warn: (m) => verbosity !== "quiet" && stderr.write(`${paint(33, "warning:")} ${escapeControlCharacters(m)}\n`),
    error: (m) => stderr.write(`${paint(31, "error:")} ${escapeControlCharacters(m)}\n`),
    result: (t) => stdout.write(t.endsWith("\n") ? t : `${t}\n`),
  };
}
