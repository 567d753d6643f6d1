// What a failed file-system call on a path the user gave means, in words: the errno codes that
// say the path itself is wrong (missing, through a file, unreadable), which is the user's to fix
// (exit 2), as opposed to a credgov bug.
export const pathErrorReasons: Readonly<Record<string, string>> = {
  ENOENT: "no such file or folder",
  ENOTDIR: "a folder on the way is a file, not a folder",
  EISDIR: "is a folder, not a file",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ELOOP: "too many symbolic links (a link loop)",
  ENAMETOOLONG: "the path is too long",
  EROFS: "the file system is read-only",
};

/** The reason for an error that makes a path unusable whether or not it exists (not ENOENT). */
export function unreachablePathReason(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === undefined || code === "ENOENT") return undefined;
  return code === "EISDIR" || code === "EROFS" ? undefined : pathErrorReasons[code];
}

/** The reason for any path error credgov can name, or undefined for other failures. */
export function pathErrorReason(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === undefined ? undefined : pathErrorReasons[code];
}
