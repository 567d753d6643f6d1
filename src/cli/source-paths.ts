// Before collecting: every path a selected source names (its export file or folder, CA file,
// certificate, key) must be there and be what the setting expects. A path that names nothing is
// a configuration mistake (exit 2, naming the setting's line and the path), not a failed source
// (exit 3): the run never reached the directory. A file missing inside an export folder is
// different: that export is incomplete, and the collector reports the gap.
import { accessSync, constants, statSync } from "node:fs";
import { isAbsolute, relative } from "node:path";
import { configErrorAt } from "../config/located-error.ts";
import type { PathSegment } from "../json-schema/json-pointer.ts";
import type { CredgovConfig } from "../config/types.ts";
import { pathErrorReason } from "../io/path-errors.ts";

type Expected = "file" | "folder";

interface PathSetting {
  segments: PathSegment[];
  path: string;
  expected: Expected;
  /** What the setting names, for the message: "export file", "CA file", ... */
  what: string;
}

export function checkSourcePaths(config: CredgovConfig, selected: ReadonlySet<string>, displayName: string): void {
  config.sources.forEach((source, index) => {
    if (!selected.has(source.id)) return;
    for (const setting of pathSettings(source as Record<string, unknown>, index)) {
      const problem = pathProblem(setting.path, setting.expected);
      if (problem !== undefined) throw configErrorAt(config.file, displayName, setting.segments, `${setting.what} ${shown(setting.path)} ${problem}`);
    }
  });
}

function pathSettings(source: Record<string, unknown>, index: number): PathSetting[] {
  const settings: PathSetting[] = [];
  const add = (segments: PathSegment[], value: unknown, expected: Expected, what: string) => {
    if (typeof value === "string") settings.push({ segments: ["sources", index, ...segments], path: value, expected, what });
  };
  add(["file"], source.file, "file", "export file");
  add(["dir"], source.dir, "folder", "export folder");
  add(["tls", "caFile"], (source.tls as { caFile?: unknown } | undefined)?.caFile, "file", "CA file");
  add(["certificate", "file"], (source.certificate as { file?: unknown } | undefined)?.file, "file", "certificate file");
  add(["federatedTokenFile"], source.federatedTokenFile, "file", "federated token file");
  add(["app", "privateKeyFile"], (source.app as { privateKeyFile?: unknown } | undefined)?.privateKeyFile, "file", "private key file");
  return settings;
}

function pathProblem(path: string, expected: Expected): string | undefined {
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT" ? "not found" : `cannot be read: ${pathErrorReason(error) ?? code}`;
  }
  if (expected === "folder" && !info.isDirectory()) return `is ${info.isFile() ? "a file" : "not a folder"}: name the folder holding the export files`;
  // A FIFO would block the collection until someone writes to it; a device can return endless data.
  if (expected === "file" && !info.isFile()) return `is ${info.isDirectory() ? "a folder" : info.isFIFO() ? "a FIFO" : info.isCharacterDevice() || info.isBlockDevice() ? "a device" : info.isSocket() ? "a socket" : "something else"}, not a regular file`;
  try {
    accessSync(path, expected === "folder" ? constants.R_OK | constants.X_OK : constants.R_OK);
  } catch (error) {
    return `cannot be read: ${pathErrorReason(error) ?? (error as NodeJS.ErrnoException).code}`;
  }
  return undefined;
}

/** Relative to the working folder when that is shorter, as users type paths. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : path;
}
