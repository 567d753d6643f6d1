// Every output format credgov can write, by name. Adding a format is adding its file in this
// folder (a findings output or an evidence document, see output.ts) and one line here;
// evaluate, scan, report, credgov.yaml output.formats and the --format flag pick from this table.
import { githubOutput } from "./github.ts";
import { htmlOutput } from "./html.ts";
import { jsonOutput } from "./json.ts";
import { junitOutput } from "./junit.ts";
import { markdownOutput } from "./md.ts";
import type { Output } from "./output.ts";
import { pdfOutput } from "./pdf.ts";
import { sarifOutput } from "./sarif.ts";

const table = {
  json: jsonOutput, // findings.json: the contract, always written into an output folder
  sarif: sarifOutput,
  junit: junitOutput,
  md: markdownOutput,
  github: githubOutput,
  pdf: pdfOutput, // the evidence pack's documents: subjects/*.csv and manifest.json come with them
  html: htmlOutput,
} as const satisfies Record<string, Output>;

export type OutputFormat = keyof typeof table;

/** The format names, in table order. */
export const outputFormats = Object.keys(table) as OutputFormat[];

/** What evaluate and scan write when neither --format nor output.formats chooses. */
export const defaultOutputFormats: readonly OutputFormat[] = ["json", "sarif", "junit", "md"];

export function outputFor(name: OutputFormat): Output {
  return table[name];
}

export function isOutputFormat(name: string): name is OutputFormat {
  return Object.hasOwn(table, name);
}
