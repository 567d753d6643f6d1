// The contract every output format meets (findings.json, SARIF, JUnit, summary.md, GitHub
// annotations, and the formats still to come): a name, the files it writes into the output
// folder, and a render function from one evaluation's findings to those files' text. Writing
// the files (atomically, in chunks) or the one format to stdout is write-outputs.ts's job, so
// a format is pure rendering.
import type { CatalogControl } from "../../policy/catalog/types.ts";
import type { Finding } from "../../policy/engine/finding.ts";
import type { RepositoryFiles } from "../repository-locations.ts";

/** What a format may render from: one evaluation and where it came from. */
export interface RenderOptions {
  toolVersion: string;
  /** Catalog controls (titles, rationale, mappings); findings alone carry title and remediation. */
  controls?: readonly CatalogControl[];
  /** credgov.yaml and catalogs: the repository lines SARIF results and annotations point at. */
  repository?: RepositoryFiles;
  /** The root SARIF locations and annotation paths are relative to (default: the working directory). */
  rootDir?: string;
  /** SARIF automationDetails.id (GitHub code scanning category). */
  sarifCategory?: string;
  /** Told when a format leaves something out (SARIF within GitHub's limits). */
  warn?: (message: string) => void;
  /** What was scanned (snapshot path or config), for human-readable outputs. */
  scope: string;
  /** The evaluation time (RFC 3339). */
  generatedAt: string;
  /** Seconds the evaluation took (JUnit `time`). */
  durationSeconds?: number;
  /** Warnings of the run (unused or expired exceptions) worth showing a reader. */
  warnings?: readonly string[];
}

export interface OutputInput extends RenderOptions {
  findings: readonly Finding[];
  /** How a file of this format is named to the user in warnings: its path, or "stdout". */
  shownAs: (file: string) => string;
}

/**
 * A file's text: one string, or pieces produced lazily (one finding per piece), so a
 * 100k-finding output never has to be one string.
 */
export type OutputContent = string | Iterable<string>;

export interface Output {
  /** The format name used by credgov.yaml `output.formats` and `--format`. */
  readonly name: string;
  /** The files it writes, relative to the output folder. */
  readonly files: readonly string[];
  /** The content of each of `files`, keyed by file name. */
  render(input: OutputInput): Record<string, OutputContent>;
}
