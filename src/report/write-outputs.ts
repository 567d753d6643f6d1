// Writes the machine outputs of one evaluation, all rendered from the same findings: into a
// folder (findings.json, the contract, always; results.sarif, junit.xml, summary.md,
// annotations.txt as chosen) or one chosen format to a stream (`--out -`).
import { mkdir } from "node:fs/promises";
import { writeFileAtomically } from "../io/atomic-write.ts";
import { join } from "node:path";
import type { CatalogControl } from "../policy/catalog/types.ts";
import type { Finding } from "../policy/engine/finding.ts";
import { findingsJsonChunks, writeFindingsJson } from "./findings-json.ts";
import { renderGithubAnnotations } from "./github-annotations.ts";
import { renderJunit } from "./junit.ts";
import { renderMarkdownSummary } from "./markdown-summary.ts";
import { loadRepositoryLocations, type RepositoryFiles } from "./repository-locations.ts";
import { renderSarif } from "./sarif.ts";

export type OutputFormat = "json" | "sarif" | "junit" | "md" | "github";

export const outputFormats: readonly OutputFormat[] = ["json", "sarif", "junit", "md", "github"];

export const outputFiles: Record<OutputFormat, string> = {
  json: "findings.json",
  sarif: "results.sarif",
  junit: "junit.xml",
  md: "summary.md",
  github: "annotations.txt",
};

export interface WriteOutputsOptions {
  dir: string;
  formats?: readonly OutputFormat[];
  toolVersion: string;
  controls?: readonly CatalogControl[];
  /** credgov.yaml and catalogs: the repository lines SARIF results and annotations point at. */
  repository?: RepositoryFiles;
  /** The root SARIF locations and annotation paths are relative to (default: the working directory). */
  rootDir?: string;
  /** SARIF automationDetails.id (GitHub code scanning category). */
  sarifCategory?: string;
  /** Told when SARIF leaves results out to stay within GitHub's limits. */
  warn?: (message: string) => void;
  scope: string;
  generatedAt: string;
  /** Seconds the evaluation took (JUnit `time`). */
  durationSeconds?: number;
  warnings?: readonly string[];
}

export type RenderOptions = Omit<WriteOutputsOptions, "dir" | "formats">;

/** One format as text (findings.json as chunks, so 100k findings never become one string). */
export function renderOutput(format: OutputFormat, findings: readonly Finding[], options: RenderOptions, shownAs: string): Iterable<string> {
  switch (format) {
    case "json":
      return findingsJsonChunks(findings);
    case "sarif": {
      const sarif = renderSarif(findings, {
        toolVersion: options.toolVersion,
        controls: options.controls,
        locations: loadRepositoryLocations(options.repository ?? {}),
        rootDir: options.rootDir,
        category: options.sarifCategory,
      });
      const o = sarif.omitted;
      if (o.results > 0) {
        const left = Object.entries(o.bySeverity).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`).join(", ");
        options.warn?.(
          `${shownAs}: ${o.results} results left out to stay within GitHub's ${o.reason === "size" ? "10 MB upload size" : "25,000 results per run"} ` +
            `(lowest severity first: ${left}); findings.json has them all`,
        );
      }
      return [sarif.text];
    }
    case "junit":
      return [renderJunit(findings, { timestamp: options.generatedAt, durationSeconds: options.durationSeconds })];
    case "md":
      return [renderMarkdownSummary(findings, { generatedAt: options.generatedAt, scope: options.scope, warnings: options.warnings })];
    case "github":
      return [renderGithubAnnotations(findings, { locations: loadRepositoryLocations(options.repository ?? {}), rootDir: options.rootDir })];
  }
}

export async function writeOutputs(findings: readonly Finding[], options: WriteOutputsOptions): Promise<string[]> {
  const formats = options.formats ?? (["json", "sarif", "junit", "md"] as const);
  await mkdir(options.dir, { recursive: true });
  const written: string[] = [];
  for (const format of formats) {
    const file = join(options.dir, outputFiles[format]);
    if (format === "json") await writeFindingsJson(file, findings);
    // Atomic and exclusive: a random temp file in the folder, fsync'd, renamed; never through a symlink.
    else await writeFileAtomically(file, renderOutput(format, findings, options, file));
    written.push(file);
  }
  return written;
}

/** `--out -`: the one chosen format on stdout. */
export async function writeOutputToStream(format: OutputFormat, findings: readonly Finding[], options: RenderOptions, stream: NodeJS.WritableStream): Promise<void> {
  for (const chunk of renderOutput(format, findings, options, "stdout")) {
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
  }
}
