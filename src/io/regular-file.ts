// Input files must be regular files: reading a FIFO blocks until someone writes to it (a
// collection or an evaluation that never ends), and a device can return endless data. A path
// that exists and is something else is an input error; a missing one is left to the caller
// (which names what it expected there), except when a folder on the way is a file.
import { statSync } from "node:fs";
import { UserInputError } from "../errors.ts";
import { unreachablePathReason } from "./path-errors.ts";

/** An input the user named must exist and be a regular file. */
export function assertInputFile(path: string, field?: string): void {
  assertRegularFileIfPresent(path, path, field);
  try {
    statSync(path);
  } catch {
    throw new UserInputError("no such file", { file: path, field });
  }
}

export function assertRegularFileIfPresent(path: string, displayName: string = path, field?: string): void {
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    const reason = unreachablePathReason(error);
    if (reason !== undefined) throw new UserInputError(reason, { file: displayName, field });
    return;
  }
  if (info.isFile()) return;
  const what = info.isDirectory() ? "a folder" : info.isFIFO() ? "a FIFO" : info.isCharacterDevice() ? "a character device" : info.isBlockDevice() ? "a block device" : info.isSocket() ? "a socket" : "not a regular file";
  throw new UserInputError(`is ${what}, not a regular file`, { file: displayName, field });
}
