import { dirname, resolve } from "node:path";
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { UserInputError } from "../../errors.ts";
import { addEvidenceOptions, runEvidencePack, type EvidenceCliOptions } from "../evidence-pack.ts";
import { prepareOutputDir } from "../output-path.ts";
import { loadCatalog } from "../../policy/catalog/load.ts";
import { readFindingsJson } from "../../report/findings-json.ts";
import { writeOutputs, type OutputFormat } from "../../report/write-outputs.ts";
import { loadExceptions } from "../../policy/exceptions/load.ts";
import { builtinPoliciesDir, readPolicyLibrary } from "../../policy/engine/policy-sources.ts";
import { libraryHash } from "../../policy/engine/build-library.ts";
import type { EvidenceFormat } from "../../report/evidence/write-evidence-pack.ts";

const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version: string };

const machineFormats = ["json", "sarif", "junit", "md"] as const;
// The evidence pack: documents, and the manifest (written with them, or alone).
const evidenceFormats = ["pdf", "html"] as const;
const formats = [...machineFormats, ...evidenceFormats, "manifest"] as const;

interface ReportCliOptions extends EvidenceCliOptions {
  findings: string;
  format: string[];
  out: string;
  snapshot?: string;
  exceptions?: string;
}

export function registerReport(program: Command, ctx: CommandContext): void {
  const command = program
    .command("report")
    .description("render findings as SARIF, JUnit, JSON, Markdown, or a PDF/HTML evidence pack with a signed manifest")
    .requiredOption("-f, --findings <file>", "findings.json written by evaluate or scan")
    .option("--format <format...>", `one or more of ${formats.join(", ")}`, ["sarif", "junit", "md"])
    .option("-o, --out <dir>", "output folder", ".")
    .option("-s, --snapshot <file>", "snapshot the findings came from (SARIF line numbers, the pack's sources and queries; default: snapshot.json next to the findings)")
    .option("-e, --exceptions <file>", "exceptions.yaml the findings were evaluated with (the pack lists active and expired exceptions)");
  addEvidenceOptions(command)
    .addHelpText(
      "after",
      `
pdf and html write evidence.pdf / evidence.html (the same content), subjects/<control>.csv with
every failing subject, and manifest.json with the SHA-256 of every file in the output folder,
signed (manifest.json.sig) when a key is given. Check a pack with \`credgov verify DIR --key PUB\`.

Examples:
  $ credgov report --findings reports/demo/findings.json --format sarif md --out out/
  $ credgov report --findings reports/demo/findings.json --format pdf html --out reports/demo --signing-key signing.pem`,
    )
    .action(async (options: ReportCliOptions) => {
      for (const f of options.format) {
        if (!(formats as readonly string[]).includes(f)) throw new UserInputError(`unknown format ${JSON.stringify(f)}; use ${formats.join(", ")}`, { field: "--format" });
      }
      prepareOutputDir(options.out);
      const exceptions = options.exceptions ? loadExceptions(options.exceptions) : [];
      const findings = await readFindingsJson(options.findings);
      const snapshotFile = options.snapshot ?? resolve(dirname(options.findings), "snapshot.json");
      const generatedAt = new Date().toISOString();
      const catalog = loadCatalog();
      const written = await writeOutputs(findings, {
        dir: options.out,
        formats: options.format.filter((f) => (machineFormats as readonly string[]).includes(f)) as OutputFormat[],
        toolVersion: pkg.version,
        controls: catalog.controls,
        snapshotFile,
        scope: options.findings,
        generatedAt,
      });
      const documents = options.format.filter((f): f is EvidenceFormat => (evidenceFormats as readonly string[]).includes(f));
      if (documents.length > 0 || options.format.includes("manifest")) {
        written.push(
          ...(await runEvidencePack(
            {
              dir: options.out,
              formats: documents,
              findings,
              snapshotFile,
              catalog,
              exceptions,
              toolVersion: pkg.version,
              // findings.json does not record the library it was evaluated with: this is the
              // built-in library as installed now, which the pack says.
              policyHash: libraryHash(readPolicyLibrary([builtinPoliciesDir])),
              generatedAt,
              warnings: [],
            },
            options,
            ctx,
          )),
        );
      }
      ctx.output.info(`wrote ${written.join(", ")}`); // as given in --out, never a ../../ path
    });
}
