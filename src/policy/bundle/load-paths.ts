// Loads `policy test PATH...` / `policy eval -d PATH` arguments the way OPA's loader does: each
// PATH is a file or a folder (searched recursively); *.rego files are modules; *.json, *.yaml and
// *.yml files are data, merged into the data document at their folder's path below the PATH
// given (`PATH/a/b/x.json` -> data.a.b), or at the root for a data file named directly.
// Objects merge key by key; two files that set the same non-object value are an error.
// `ignore` patterns (OPA's --ignore) skip files and folders found below a path by base name.
// `modulesOnly` (for `policy check`) reads no data, as OPA's `opa check` filters out every file but *.rego.
// `bundle` (OPA's -b) reads each folder as a bundle: its data are only the files named data.json,
// data.yaml or data.yml, as OPA's bundle reader takes them; other JSON and YAML files are not data.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { UserInputError } from "../../errors.ts";
import { decodeUtf8 } from "../../io/utf8-check.ts";
import type { RegoSource } from "../rego/index.ts";
import { parseDataFile } from "./data-file.ts";
import { namePattern } from "./name-pattern.ts";

export interface LoadedPaths {
  modules: RegoSource[];
  data: Record<string, unknown>;
  /** Data files read, in load order (for messages). */
  dataFiles: string[];
}

const SKIP_DIRS = new Set(["node_modules", ".git"]);
const DATA_EXTENSIONS = new Set([".json", ".yaml", ".yml"]);
const BUNDLE_DATA_FILES = new Set(["data.json", "data.yaml", "data.yml"]);

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function merge(into: Record<string, unknown>, value: Record<string, unknown>, at: string[], file: string): void {
  for (const [k, v] of Object.entries(value)) {
    const existing = into[k];
    if (existing === undefined) into[k] = v;
    else if (isObject(existing) && isObject(v)) merge(existing, v, [...at, k], file);
    else throw new UserInputError(`merge error: data.${[...at, k].join(".")} is already set by another data file`, { file });
  }
}

function mount(data: Record<string, unknown>, at: string[], value: unknown, file: string): void {
  let wrapped = value;
  for (let i = at.length - 1; i >= 0; i--) wrapped = { [at[i]]: wrapped };
  if (!isObject(wrapped)) throw new UserInputError("a data file loaded at the root must hold an object", { file });
  merge(data, wrapped, [], file);
}

function walk(dir: string, out: string[], ignored: (name: string) => boolean): void {
  for (const name of readdirSync(dir).sort()) {
    if (ignored(name)) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) {
      if (!SKIP_DIRS.has(name)) walk(full, out, ignored);
    } else out.push(full);
  }
}

export interface LoadOptions {
  /** Base-name patterns (Go filepath.Match syntax) of files and folders to skip below each path. */
  ignore?: readonly string[];
  /** Rego modules only: every other file is skipped, as `opa check` loads its paths. */
  modulesOnly?: boolean;
  /** Each path is a bundle folder (OPA's -b): only data.json / data.yaml files are data. */
  bundle?: boolean;
  /** Told where a data file is read differently from its text (a YAML file's later documents, a key set twice). */
  warn?: (message: string) => void;
}

export function loadPaths(paths: string[], options: LoadOptions = {}): LoadedPaths {
  const result: LoadedPaths = { modules: [], data: {}, dataFiles: [] };
  // OPA's loader keys modules by their cleaned path: a file reached again through a second,
  // overlapping path (`opa test policies/ policies/test/`) is one module, not two.
  const moduleAt = new Map<string, number>();
  const patterns = (options.ignore ?? []).map(namePattern);
  const ignored = (name: string): boolean => patterns.some((matches) => matches(name));
  for (const given of paths) {
    let st;
    try {
      st = statSync(given);
    } catch {
      throw new UserInputError("no such file or directory", { file: given });
    }
    if (options.bundle && !st.isDirectory()) throw new UserInputError("a bundle must be a folder (bundle archives are not read)", { file: given });
    const files: string[] = [];
    if (st.isDirectory()) walk(given, files, ignored);
    else files.push(given);
    for (const file of files) {
      const ext = path.extname(file);
      if (ext === ".rego") {
        // Bytes that are not UTF-8 are refused at their line, as OPA does, rather than read as U+FFFD.
        const module = { file, source: decodeUtf8(readFileSync(file), file) };
        const key = path.normalize(file);
        const seen = moduleAt.get(key);
        if (seen === undefined) moduleAt.set(key, result.modules.push(module) - 1);
        else result.modules[seen] = module;
      } else if (options.modulesOnly || (options.bundle && !BUNDLE_DATA_FILES.has(path.basename(file)))) {
        continue;
      } else if (DATA_EXTENSIONS.has(ext)) {
        const rel = st.isDirectory() ? path.relative(given, path.dirname(file)) : "";
        const at = rel === "" ? [] : rel.split(path.sep);
        const content = parseDataFile(file, decodeUtf8(readFileSync(file), file));
        for (const warning of content.warnings) options.warn?.(warning);
        mount(result.data, at, content.value, file);
        result.dataFiles.push(file);
      } else if (!st.isDirectory()) {
        throw new UserInputError("not a Rego (.rego) or data (.json, .yaml, .yml) file", { file });
      }
    }
  }
  return result;
}
