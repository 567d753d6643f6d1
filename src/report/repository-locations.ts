// Where in the repository a reviewer opens a finding: the exception that waived it, else the
// baseline line that declares what it judged (scan --baseline), else the source's entry in
// credgov.yaml (the directory it was found in), else the control in its catalog. Code scanning and workflow annotations link to these lines; the generated,
// git-ignored snapshot.json would link to nothing.
import { readFileSync } from "node:fs";
import { isMap, isScalar, isSeq, LineCounter } from "yaml";
import { parseYamlDocument } from "../config/yaml-document.ts";
import type { Finding } from "../policy/engine/finding.ts";

export interface RepositoryLocation {
  /** Path as the run was given it (relative to the working directory, or absolute). */
  file: string;
  line: number;
}

export interface RepositoryFiles {
  /** credgov.yaml the sources came from. */
  configFile?: string;
  /** Catalogs the controls came from, the built-in one first. */
  catalogFiles?: readonly string[];
  /** The baseline.yaml line that declares what a finding judged (src/drift/baseline/finding-lines.ts). */
  baseline?: (finding: Finding) => RepositoryLocation | undefined;
}

export interface RepositoryLocations {
  /** The line a reviewer acts on for this finding, when any repository file names it. */
  primary(finding: Finding): RepositoryLocation | undefined;
  /** The control's entry in its catalog. */
  control(controlId: string): RepositoryLocation | undefined;
  /** The source's entry in credgov.yaml; for a subject spanning directories (`a,b`), the first listed. */
  source(sourceId: string): RepositoryLocation | undefined;
}

/** Reads the files once; a file that cannot be read or parsed just locates nothing. */
export function loadRepositoryLocations(files: RepositoryFiles): RepositoryLocations {
  const sources = files.configFile ? listEntryLines(readText(files.configFile), "sources") : new Map<string, number>();
  const controls = new Map<string, RepositoryLocation>();
  for (const catalog of files.catalogFiles ?? []) {
    for (const [id, line] of listEntryLines(readText(catalog), "controls")) {
      if (!controls.has(id)) controls.set(id, { file: catalog, line });
    }
  }
  const source = (ids: string): RepositoryLocation | undefined => {
    for (const id of ids.split(",")) {
      const line = sources.get(id.trim());
      if (line !== undefined && files.configFile) return { file: files.configFile, line };
    }
    return undefined;
  };
  const control = (id: string): RepositoryLocation | undefined => controls.get(id);
  return {
    source,
    control,
    primary(finding) {
      if (finding.excepted) return { file: finding.excepted.file, line: finding.excepted.line };
      return files.baseline?.(finding) ?? source(finding.subject.source) ?? control(finding.controlId);
    },
  };
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** `id` -> line of each `- id: ...` entry of the top-level list `key`. */
export function listEntryLines(text: string, key: string): Map<string, number> {
  const lines = new Map<string, number>();
  const lineCounter = new LineCounter();
  const doc = parseYamlDocument(text, { lineCounter });
  const list = isMap(doc.contents) ? doc.contents.get(key, true) : undefined;
  if (!isSeq(list)) return lines;
  for (const item of list.items) {
    if (!isMap(item)) continue;
    const id = item.get("id", true);
    if (!isScalar(id) || id.range === undefined || id.range === null) continue;
    const value = String(id.value);
    // The entry's first line (`- id: x`), where an editor lands.
    if (!lines.has(value)) lines.set(value, lineCounter.linePos(item.range?.[0] ?? id.range[0]).line);
  }
  return lines;
}
