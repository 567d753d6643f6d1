// Writes the machine outputs of one evaluation into a directory: findings.json (the
// contract), results.sarif, junit.xml and summary.md, all rendered from the same findings.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { CatalogControl } from "../policy/catalog/types.ts";
import type { Finding } from "../policy/engine/finding.ts";
import { writeFindingsJson } from "./findings-json.ts";
import { renderJunit } from "./junit.ts";
import { renderMarkdownSummary } from "./markdown-summary.ts";
import { renderSarif } from "./sarif.ts";
import { subjectLines } from "./subject-lines.ts";

export type OutputFormat = "json" | "sarif" | "junit" | "md";

export const outputFiles: Record<OutputFormat, string> = {
  json: "findings.json",
  sarif: "results.sarif",
  junit: "junit.xml",
  md: "summary.md",
};

export interface WriteOutputsOptions {
  dir: string;
  formats?: readonly OutputFormat[];
  toolVersion: string;
  controls?: readonly CatalogControl[];
  /** Snapshot file the findings came from (SARIF locations and line numbers). */
  snapshotFile?: string;
  /** The root SARIF locations are relative to (default: the working directory). */
  rootDir?: string;
  scope: string;
  generatedAt: string;
  warnings?: readonly string[];
}

export async function writeOutputs(findings: readonly Finding[], options: WriteOutputsOptions): Promise<string[]> {
  const formats = options.formats ?? (["json", "sarif", "junit", "md"] as const);
  await mkdir(options.dir, { recursive: true });
  const written: string[] = [];
  for (const format of formats) {
    const file = join(options.dir, outputFiles[format]);
    if (format === "json") {
      await writeFindingsJson(file, findings);
    } else if (format === "sarif") {
      let lines: Map<string, number> | undefined;
      if (options.snapshotFile) {
        try {
          lines = subjectLines(await readFile(options.snapshotFile, "utf8"));
        } catch {
          lines = undefined; // locations fall back to line 1
        }
      }
      const sarif = renderSarif(findings, { toolVersion: options.toolVersion, controls: options.controls, artifactPath: options.snapshotFile, rootDir: options.rootDir, lines });
      await writeFile(file, `${JSON.stringify(sarif, null, 1)}\n`);
    } else if (format === "junit") {
      await writeFile(file, renderJunit(findings, { timestamp: options.generatedAt }));
    } else {
      await writeFile(file, renderMarkdownSummary(findings, { generatedAt: options.generatedAt, scope: options.scope, warnings: options.warnings }));
    }
    written.push(file);
  }
  return written;
}
