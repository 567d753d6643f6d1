// Checks, before any work starts, that an output file or folder can be written, so a long
// collection never ends in "EEXIST ... mkdir". Every failure is one UserInputError (exit 2)
// "cannot write <path>: <reason>", raised on the first failed system call: nothing is retried.
import { closeSync, mkdirSync, openSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { UserInputError } from "../errors.ts";

const reasons: Record<string, string> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENOENT: "the location does not exist and cannot be created",
  ENAMETOOLONG: "the path is too long",
  ELOOP: "too many symbolic links in the path",
  EINVAL: "the file system does not accept this name",
};

function cannotWrite(path: string, reason: string): UserInputError {
  return new UserInputError(`cannot write ${path}: ${reason}`);
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  return reasons[code] ?? (code ? code : String(error));
}

/** The nearest existing ancestor of `path` must be a folder; a file there makes mkdir fail. */
function checkAncestors(shown: string, path: string): void {
  for (let dir = path; ; dir = dirname(dir)) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(dir).isDirectory();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code === "ENOENT" || code === "ENOTDIR") && dirname(dir) !== dir) continue;
      throw cannotWrite(shown, reasonOf(error));
    }
    if (!isDirectory) throw cannotWrite(shown, `${dir} is a file, not a folder`);
    return;
  }
}

/**
 * mkdir one level at a time, top down. Not `mkdir -p` (recursive: true): where mkdir fails with
 * ENOENT although the parent exists (/proc), Node's recursive mkdir retries the parent forever.
 */
function makeFolders(shown: string, dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !exists(d); d = dirname(d)) {
    if (dirname(d) === d) break;
    missing.unshift(d);
  }
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw cannotWrite(shown, reasonOf(error));
    }
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Creates `dir` (and parents) and proves a file can be created in it. */
function ensureWritableFolder(shown: string, dir: string): void {
  checkAncestors(shown, dir);
  makeFolders(shown, dir);
  const probe = join(dir, `.credgov-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, "wx"));
  } catch (error) {
    throw cannotWrite(shown, reasonOf(error));
  }
  rmSync(probe, { force: true });
}

/** For `--out FILE`: its folder exists (created if needed) and is writable; FILE is not a folder. Returns the absolute path. */
export function prepareOutputFile(path: string): string {
  const absolute = resolve(path);
  try {
    if (statSync(absolute).isDirectory()) throw cannotWrite(path, "it is a folder; give a file name");
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    // Not there yet (the usual case), or below a file: checkAncestors says which.
  }
  ensureWritableFolder(path, dirname(absolute));
  return absolute;
}

/** For `--out DIR`: DIR exists (created if needed) and is a writable folder. Returns the absolute path. */
export function prepareOutputDir(path: string): string {
  const absolute = resolve(path);
  ensureWritableFolder(path, absolute);
  return absolute;
}
