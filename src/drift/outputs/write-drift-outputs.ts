// Writes drift.json, drift.md and drift.sarif into the output folder.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomically } from "../../io/atomic-write.ts";
import type { DriftReport } from "../drift-report.ts";
import { renderDriftMarkdown } from "./drift-markdown.ts";
import { renderDriftSarif } from "./drift-sarif.ts";

export const driftOutputFiles = { json: "drift.json", md: "drift.md", sarif: "drift.sarif" } as const;

export async function writeDriftOutputs(report: DriftReport, options: { dir: string; toolVersion: string; rootDir?: string }): Promise<string[]> {
  await mkdir(options.dir, { recursive: true });
  const files = {
    json: join(options.dir, driftOutputFiles.json),
    md: join(options.dir, driftOutputFiles.md),
    sarif: join(options.dir, driftOutputFiles.sarif),
  };
  await writeFileAtomically(files.json, jsonPieces(report, ""));
  // Every file atomically and exclusively, never through a symlink planted in the folder.
  await writeFileAtomically(files.md, [renderDriftMarkdown(report)]);
  await writeFileAtomically(files.sarif, [`${JSON.stringify(renderDriftSarif(report, options), null, 1)}\n`]);
  return Object.values(files);
}

/**
 * The report as JSON text in pieces: objects are opened key by key and every array element is
 * one line, so 100k object changes never become one giant string.
 */
function* jsonPieces(value: unknown, indent: string): Generator<string> {
  const inner = `${indent} `;
  if (Array.isArray(value)) {
    if (value.length === 0) return yield "[]";
    yield "[\n";
    for (let i = 0; i < value.length; i++) yield `${inner}${JSON.stringify(value[i])}${i + 1 < value.length ? "," : ""}\n`;
    yield `${indent}]`;
  } else if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return yield "{}";
    yield "{\n";
    for (let i = 0; i < entries.length; i++) {
      yield `${inner}${JSON.stringify(entries[i][0])}: `;
      yield* jsonPieces(entries[i][1], inner);
      yield i + 1 < entries.length ? ",\n" : "\n";
    }
    yield `${indent}}`;
  } else {
    yield JSON.stringify(value);
  }
  if (indent === "") yield "\n";
}
