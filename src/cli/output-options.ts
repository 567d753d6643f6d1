// The output flags evaluate, scan and report share: --format (conftest's -o/--output; credgov's
// -o stays --out), --out - for one format on stdout, the --severity/--status filters, and
// --sarif-category. Parsing only: rendering is src/report's.
import { Option, type Command } from "commander";
import { closestMatch } from "../closest-match.ts";
import { parseFindingFilter, type FindingFilter } from "../report/finding-filter.ts";
import { isOutputFormat, outputFor, outputFormats, type OutputFormat } from "../report/outputs/formats.ts";
import { UserInputError } from "../errors.ts";

/** `manifest`: seal the output folder with the evidence pack's manifest.json without a document. */
export type CliFormat = OutputFormat | "manifest";
const cliFormats: readonly CliFormat[] = [...outputFormats, "manifest"];

export interface OutputCliOptions {
  format?: string[];
  severity?: string[];
  status?: string[];
  sarifCategory?: string;
  force?: boolean;
}

export function addOutputOptions(command: Command): Command {
  return command
    .addOption(new Option("--format <format...>", `outputs to write: ${cliFormats.join(", ")} (with --out DIR findings.json is always written)`))
    .option("--severity <severity...>", "outputs show only findings of these severities (critical, high, medium, low, info); the exit code still judges all")
    .option("--status <status...>", "outputs show only findings with these statuses (fail, pass, error, not_evaluated)")
    .option("--sarif-category <name>", "SARIF automationDetails.id: the code scanning category (default credgov)")
    .option("--force", "replace an output path that is a symbolic link or not a regular file (a device, a FIFO); refused by default");
}

export function parseFormats(values: readonly string[] | undefined): CliFormat[] | undefined {
  if (values === undefined) return undefined;
  const formats: CliFormat[] = [];
  for (const value of values.flatMap((v) => v.split(/[\s,]+/)).filter(Boolean)) {
    const v = value.toLowerCase();
    if (!(cliFormats as readonly string[]).includes(v)) {
      const suggestion = closestMatch(v, cliFormats);
      throw new UserInputError(`unknown format ${JSON.stringify(value)}${suggestion ? `; did you mean ${suggestion}?` : ""} (use ${cliFormats.join(", ")})`, { field: "--format" });
    }
    if (!formats.includes(v as CliFormat)) formats.push(v as CliFormat);
  }
  return formats;
}

/** The output table's formats among `formats` (without `manifest`). */
export function tableFormats(formats: readonly string[]): OutputFormat[] {
  return formats.filter(isOutputFormat);
}

/** Where outputs go: a folder with the chosen formats (and the manifest when asked), or stdout with exactly one. */
export type OutputTarget = { kind: "dir"; dir: string; formats: OutputFormat[]; manifest: boolean } | { kind: "stdout"; format: OutputFormat };

/** The formats of the findings outputs, the ones `--out -` can print. */
const streamable = outputFormats.filter((f) => outputFor(f).kind === "findings");

/**
 * `formats` from --format, else `fallback`; into a folder findings.json comes first unless
 * `findingsJson` is false (report re-renders findings.json, it writes it only when asked).
 */
export function resolveOutputTarget(out: string, formats: readonly CliFormat[] | undefined, fallback: readonly CliFormat[], findingsJson = true): OutputTarget {
  if (out === "-") {
    if (!formats || formats.length !== 1) {
      throw new UserInputError(`--out - writes one format to stdout; choose it with --format (one of ${streamable.join(", ")})`, { field: "--out" });
    }
    const [format] = formats;
    if (!(streamable as readonly string[]).includes(format)) throw new UserInputError(`--format ${format} writes a folder; give --out DIR`, { field: "--out" });
    return { kind: "stdout", format: format as OutputFormat };
  }
  const chosen = formats ?? fallback;
  const table = tableFormats(chosen);
  return { kind: "dir", dir: out, formats: findingsJson ? ["json", ...table.filter((f) => f !== "json")] : table, manifest: chosen.includes("manifest") };
}

export function outputFilter(options: OutputCliOptions): FindingFilter {
  return parseFindingFilter(options);
}
