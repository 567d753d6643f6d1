import { dirname, resolve } from "node:path";
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { NotImplementedError, UserInputError } from "../../errors.ts";
import { prepareOutputDir } from "../output-path.ts";
import { loadCatalog } from "../../policy/catalog/load.ts";
import { readFindingsJson } from "../../report/findings-json.ts";
import { writeOutputs, type OutputFormat } from "../../report/write-outputs.ts";

const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };

const formats = ["json", "sarif", "junit", "md"] as const;
// Accepted so that asking for it gets a clear exit-2 "not implemented yet", not "unknown format".
const plannedFormats = ["pdf"] as const;

interface ReportCliOptions {
  findings: string;
  format: string[];
  out: string;
  snapshot?: string;
}

export function registerReport(program: Command, ctx: CommandContext): void {
  program
    .command("report")
    .description("render findings as SARIF, JUnit, JSON or Markdown")
    .requiredOption("-f, --findings <file>", "findings.json written by evaluate or scan")
    .option("--format <format...>", `one or more of ${formats.join(", ")}`, ["sarif", "junit", "md"])
    .option("-o, --out <dir>", "output folder", ".")
    .option("-s, --snapshot <file>", "snapshot the findings came from (SARIF line numbers; default: snapshot.json next to the findings)")
    .addHelpText(
      "after",
      `
The PDF evidence pack (--format pdf) is not implemented yet.

Example:
  $ credgov report --findings reports/demo/findings.json --format sarif md --out out/`,
    )
    .action(async (options: ReportCliOptions) => {
      for (const f of options.format) {
        if (![...formats, ...plannedFormats].includes(f as never)) throw new UserInputError(`unknown format ${JSON.stringify(f)}; use ${formats.join(", ")}`, { field: "--format" });
      }
      if (options.format.includes("pdf")) throw new NotImplementedError("the PDF evidence pack (credgov report --format pdf)");
      prepareOutputDir(options.out);
      const findings = await readFindingsJson(options.findings);
      const snapshotFile = options.snapshot ?? resolve(dirname(options.findings), "snapshot.json");
      const written = await writeOutputs(findings, {
        dir: options.out,
        formats: options.format as OutputFormat[],
        toolVersion: pkg.version,
        controls: loadCatalog().controls,
        snapshotFile,
        scope: options.findings,
        generatedAt: new Date().toISOString(),
      });
      ctx.output.info(`wrote ${written.join(", ")}`); // as given in --out, never a ../../ path
    });
}
