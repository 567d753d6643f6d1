// Reads a policy directory: every .rego file (recursively, sorted for reproducible builds) and
// the data files (`data.json`, `data.yaml`/`data.yml`), each mounted at its directory's path as in
// OPA bundles (`a/b/data.json` -> `data.a.b`). Malformed data names its file and line.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseDocument } from "yaml";
import { yamlProblem } from "../../config/yaml-problem.ts";
import { UserInputError } from "../../errors.ts";
import { decodeUtf8 } from "../../io/utf8-check.ts";

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

function parseData(f: PolicySource, shownAs: string): unknown {
  if (f.file.endsWith(".json")) {
    try {
      return JSON.parse(f.source);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const pos = m ? Number(m[1]) : 0;
      const before = f.source.slice(0, pos);
      const line = before.split("\n").length;
      const column = pos - before.lastIndexOf("\n");
      throw new UserInputError(`invalid JSON: ${(e as Error).message}`, { file: shownAs, line, column });
    }
  }
  const doc = parseDocument(f.source);
  if (doc.errors.length > 0) {
    const err = doc.errors[0];
    throw new UserInputError(`invalid YAML: ${yamlProblem(err)}`, { file: shownAs, line: err.linePos?.[0].line, column: err.linePos?.[0].col });
  }
  return doc.toJS();
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

export function readPolicyDirectory(root: string): PolicyDirectory {
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
      mount(data, dir === "." ? [] : dir.split("/"), parseData(f, full), full);
    }
  }
  return { root, rego, dataFiles, data };
}
