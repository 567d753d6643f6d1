// The contract every output format meets: a name, the files it writes into the output folder,
// and a render function to those files' content. Two kinds: a findings format (findings.json,
// SARIF, JUnit, summary.md, GitHub annotations) renders one evaluation's findings; a document
// of the evidence pack (PDF, HTML) renders the evidence model, which the pack builds once after
// the folder's other files (its appendix lists their hashes) and seals with manifest.json.
// Writing the files (atomically, in chunks), the pack's subject CSVs and manifest, or the one
// format to stdout is write-outputs.ts's job, so a format is pure rendering.
import type { CatalogControl } from "../../policy/catalog/types.ts";
import type { Finding } from "../../policy/engine/finding.ts";
import type { EvidenceModel } from "../evidence/model.ts";
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

interface OutputFiles {
  /** The format name used by credgov.yaml `output.formats` and `--format`. */
  readonly name: string;
  /** The files it writes, relative to the output folder. */
  readonly files: readonly string[];
}

/** A format rendered from the findings: into a folder, or (one file) to stdout. */
export interface FindingsOutput extends OutputFiles {
  readonly kind: "findings";
  /** The content of each of `files`, keyed by file name. */
  render(input: OutputInput): Record<string, OutputContent>;
}

/** A document of the evidence pack: written into a folder only, beside subjects/*.csv and manifest.json. */
export interface DocumentOutput extends OutputFiles {
  readonly kind: "document";
  /** The content of each of `files` (text, or bytes such as a PDF's), keyed by file name. */
  render(model: EvidenceModel): Promise<Record<string, string | Uint8Array>>;
}

export type Output = FindingsOutput | DocumentOutput;
