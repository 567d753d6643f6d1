// Every output format credgov can write, by name. Adding a format is adding its file in this
// folder (an `Output`) and one line here; evaluate, scan, report and the --format flag pick
// from this table.
import { githubOutput } from "./github.ts";
import { jsonOutput } from "./json.ts";
import { junitOutput } from "./junit.ts";
import { markdownOutput } from "./md.ts";
import type { Output } from "./output.ts";
import { sarifOutput } from "./sarif.ts";

const table = {
  json: jsonOutput, // findings.json: the contract, always written into an output folder
  sarif: sarifOutput,
  junit: junitOutput,
  md: markdownOutput,
  github: githubOutput,
} as const satisfies Record<string, Output>;

export type OutputFormat = keyof typeof table;

/** The format names, in table order. */
export const outputFormats = Object.keys(table) as OutputFormat[];

/** What evaluate and scan write when neither --format nor output.formats chooses. */
export const defaultOutputFormats: readonly OutputFormat[] = ["json", "sarif", "junit", "md"];

export function outputFor(name: OutputFormat): Output {
  return table[name];
}
