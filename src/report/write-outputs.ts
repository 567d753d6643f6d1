// Writes the outputs of one evaluation, every chosen format from the table in outputs/formats.ts
// rendered from the same findings: into a folder (findings.json, the contract, always; the
// others as chosen), each file atomically, or one chosen format to a stream (`--out -`).
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomically } from "../io/atomic-write.ts";
import type { Finding } from "../policy/engine/finding.ts";
import { defaultOutputFormats, outputFor, type OutputFormat } from "./outputs/formats.ts";
import type { OutputContent, RenderOptions } from "./outputs/output.ts";

export interface WriteOutputsOptions extends RenderOptions {
  dir: string;
  /** Default: findings.json, results.sarif, junit.xml, summary.md. */
  formats?: readonly OutputFormat[];
}

/** Writes every chosen format's files; returns their paths in format order. */
export async function writeOutputs(findings: readonly Finding[], options: WriteOutputsOptions): Promise<string[]> {
  const { dir, formats = defaultOutputFormats, ...render } = options;
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const name of formats) {
    const output = outputFor(name);
    const files = output.render({ ...render, findings, shownAs: (file) => join(dir, file) });
    for (const name of output.files) {
      const file = join(dir, name);
      // Atomic and exclusive: a random temp file in the folder, fsync'd, renamed; never through a symlink.
      await writeFileAtomically(file, pieces(files[name]));
      written.push(file);
    }
  }
  return written;
}

/** `--out -`: the one chosen format (of one file) on stdout. */
export async function writeOutputToStream(format: OutputFormat, findings: readonly Finding[], options: RenderOptions, stream: NodeJS.WritableStream): Promise<void> {
  const output = outputFor(format);
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
