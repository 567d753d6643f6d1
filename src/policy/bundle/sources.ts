// Reads a policy directory: every .rego file (recursively, sorted for reproducible builds) and
// the data files (`data.json`, `data.yaml`/`data.yml`), each mounted at its directory's path as in
// OPA bundles (`a/b/data.json` -> `data.a.b`). Malformed data names its file and line.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { UserInputError } from "../../errors.ts";
import { decodeUtf8 } from "../../io/utf8-check.ts";
import { parseDataFile } from "./data-file.ts";

export interface PolicySource {
  /** Path relative to the policy directory, with forward slashes. */
  file: string;
  source: string;
  sha256: string;
}

export interface PolicyDirectory {
  root: string;
  rego: PolicySource[];
  dataFiles: PolicySource[];
  data: Record<string, unknown>;
}

const DATA_FILES = new Set(["data.json", "data.yaml", "data.yml"]);
const SKIP_DIRS = new Set(["node_modules", ".git"]);

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const st = statSync(full);
    if (st.isDirectory()) {
      if (!SKIP_DIRS.has(name)) walk(full, out);
    } else out.push(full);
  }
}

function load(root: string, full: string): PolicySource {
  // Bytes that are not UTF-8 are refused at their line, as OPA does, rather than read as U+FFFD.
  const bytes = readFileSync(full);
  return {
    file: path.relative(root, full).split(path.sep).join("/"),
    source: decodeUtf8(bytes, full),
    sha256: createHash("sha256").update(bytes).digest("hex"),
  };
}

function mount(data: Record<string, unknown>, at: string[], value: unknown, file: string): void {
  if (at.length === 0) {
    if (!value || typeof value !== "object" || Array.isArray(value)) {
      throw new UserInputError("a data file at the policy root must hold an object", { file });
    }
    Object.assign(data, value);
    return;
  }
  let node = data;
  for (const seg of at.slice(0, -1)) {
    const next = node[seg];
    if (!next || typeof next !== "object" || Array.isArray(next)) node[seg] = {};
    node = node[seg] as Record<string, unknown>;
  }
  node[at[at.length - 1]] = value;
}

/** `warn` is told where a data file is read differently from its text (a YAML file's later documents, a key set twice). */
export function readPolicyDirectory(root: string, warn?: (message: string) => void): PolicyDirectory {
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new UserInputError(`policy directory not found`, { file: root });
  }
  if (!st.isDirectory()) throw new UserInputError(`not a directory`, { file: root });
  const files: string[] = [];
  walk(root, files);
  const rego: PolicySource[] = [];
  const dataFiles: PolicySource[] = [];
  const data: Record<string, unknown> = {};
  for (const full of files) {
    if (full.endsWith(".rego")) rego.push(load(root, full));
    else if (DATA_FILES.has(path.basename(full))) {
      const f = load(root, full);
      dataFiles.push(f);
      const dir = path.dirname(f.file);
      const content = parseDataFile(full, f.source);
      for (const warning of content.warnings) warn?.(warning);
      mount(data, dir === "." ? [] : dir.split("/"), content.value, full);
    }
  }
  return { root, rego, dataFiles, data };
}
