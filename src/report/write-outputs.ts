// Writes the outputs of one evaluation, every chosen format from the table in outputs/formats.ts:
// into a folder (findings.json, the contract, always; the others as chosen), each file
// atomically, the findings formats first and then, when documents (pdf, html) or a manifest are
// asked for, the evidence pack around them (subject CSVs, documents, manifest.json); or one
// chosen findings format to a stream (`--out -`).
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomically } from "../io/atomic-write.ts";
import type { Finding } from "../policy/engine/finding.ts";
import { writeEvidencePack, type PackContext } from "./evidence/write-evidence-pack.ts";
import { defaultOutputFormats, outputFor, type OutputFormat } from "./outputs/formats.ts";
import type { DocumentOutput, FindingsOutput, OutputContent, RenderOptions } from "./outputs/output.ts";

export interface WriteOutputsOptions extends RenderOptions {
  dir: string;
  /** Default: findings.json, results.sarif, junit.xml, summary.md. */
  formats?: readonly OutputFormat[];
  /** What the evidence pack shows beside the findings: needed when a document or the manifest is written. */
  pack?: PackContext;
  /** Seal the folder with manifest.json (+ signature) even without a document. */
  manifest?: boolean;
}

/** Writes every chosen format's files; returns their paths in format order (the subject CSVs as one entry). */
export async function writeOutputs(findings: readonly Finding[], options: WriteOutputsOptions): Promise<string[]> {
  const { dir, formats = defaultOutputFormats, pack, manifest = false, ...render } = options;
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const documents: DocumentOutput[] = [];
  for (const name of formats) {
    const output = outputFor(name);
    if (output.kind === "document") {
      documents.push(output);
      continue;
    }
    const files = output.render({ ...render, findings, shownAs: (file) => join(dir, file) });
    for (const name of output.files) {
      const file = join(dir, name);
      // Atomic and exclusive: a random temp file in the folder, fsync'd, renamed; never through a symlink.
      await writeFileAtomically(file, pieces(files[name]));
      written.push(file);
    }
  }
  if (documents.length > 0 || manifest) {
    if (!pack) throw new Error(`writing ${documents.length > 0 ? documents.map((d) => d.name).join(", ") : "manifest.json"} needs the evidence pack's context`);
    const sealed = await writeEvidencePack({ ...pack, dir, documents, findings });
    // One line for the subject lists, not one path per control.
    const csvs = sealed.written.filter((f) => /[\\/]subjects[\\/][^\\/]+\.csv$/.test(f));
    written.push(...sealed.written.filter((f) => !csvs.includes(f)), ...(csvs.length ? [`${join(dir, "subjects")} (${csvs.length} CSV files)`] : []));
  }
  return written;
}

/** `--out -`: the one chosen findings format (of one file) on stdout. */
export async function writeOutputToStream(format: OutputFormat, findings: readonly Finding[], options: RenderOptions, stream: NodeJS.WritableStream): Promise<void> {
  const output: FindingsOutput | DocumentOutput = outputFor(format);
  if (output.kind === "document") throw new Error(`output format ${format} is a document of the evidence pack and writes a folder`);
  if (output.files.length !== 1) throw new Error(`output format ${format} writes ${output.files.length} files, not one stream`);
  const files = output.render({ ...options, findings, shownAs: () => "stdout" });
  for (const chunk of pieces(files[output.files[0]])) {
    if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
  }
}

function pieces(content: OutputContent | undefined): Iterable<string> {
  if (content === undefined) throw new Error("an output format rendered no content for one of its files");
  return typeof content === "string" ? [content] : content;
}
