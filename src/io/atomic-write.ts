// Writes an output file atomically and safely, as credgov often runs as root in CI: the text
// goes to a temp file with a random name, created exclusively (O_EXCL, mode 0600) in the
// target's own folder, so a planted file or symlink can neither receive nor redirect it; it is
// written in ~1 MB chunks, fsync'd, and renamed over the target, so a crash or a full disk
// leaves the previous file intact and never a truncated one. A target that exists and is not
// a regular file (a symlink, a device such as /dev/full, a FIFO) is refused unless `force`.
import { createHash, randomBytes, type Hash } from "node:crypto";
import { constants } from "node:fs";
import { lstat, open, rename, rm, type FileHandle } from "node:fs/promises";
import { once } from "node:events";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { createGzip } from "node:zlib";
import { UserInputError } from "../errors.ts";

const CHUNK = 1 << 20;

export interface AtomicWriteOptions {
  /** Replace a target that is a symlink or not a regular file (the link itself is replaced, never followed). */
  force?: boolean;
  /** Gzip the text on its way to the file (a `.gz` snapshot). */
  gzip?: boolean;
}

let forceByDefault = false;

/** The CLI's --force: replace symlinks and special files for every write of this run. */
export function replaceSpecialTargets(force: boolean): void {
  forceByDefault = force;
}

/**
 * Told of every file about to be renamed into place under a folder (the run bookkeeping of
 * src/io/run-manifest.ts): its path relative to that folder ("/"-separated) and the SHA-256 of
 * its bytes. Called before the rename, so a record never misses a file that is in place.
 */
export type WriteObserver = (relativePath: string, sha256: string) => void;
const observers = new Map<string, WriteObserver>();

/** Observe the writes under `dir` until the returned function is called. */
export function observeWritesUnder(dir: string, observer: WriteObserver): () => void {
  const key = resolve(dir);
  observers.set(key, observer);
  return () => {
    if (observers.get(key) === observer) observers.delete(key);
  };
}

function observerFor(path: string): { observer: WriteObserver; relativePath: string } | undefined {
  const absolute = resolve(path);
  for (const [dir, observer] of observers) {
    const rel = relative(dir, absolute);
    if (rel && !rel.startsWith("..") && !rel.startsWith(sep)) return { observer, relativePath: rel.split(sep).join("/") };
  }
  return undefined;
}

/** `pieces` is consumed lazily (a generator), so only one chunk of text exists at a time. */
export async function writeFileAtomically(path: string, pieces: Iterable<string | Uint8Array>, options: AtomicWriteOptions = {}): Promise<void> {
  await checkTarget(path, options.force ?? forceByDefault);
  const watched = observerFor(path);
  const hash = createHash("sha256");
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString("hex")}.tmp`);
  let handle;
  try {
    handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  } catch (error) {
    throw writeError(path, error);
  }
  try {
    const sink = options.gzip ? gzipTo(handle, hash) : { write: (bytes: Buffer) => writeAll(handle!, bytes, hash), end: async () => {} };
    // Text is gathered as a string (cheap for many small pieces) and encoded once per chunk.
    let text = "";
    const flush = async () => {
      if (text) await sink.write(Buffer.from(text, "utf8"));
      text = "";
    };
    for (const piece of pieces) {
      if (typeof piece === "string") {
        text += piece;
        if (text.length >= CHUNK) await flush();
      } else {
        await flush();
        await sink.write(Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength));
      }
    }
    await flush();
    await sink.end();
    await handle.sync();
    // Readable like any file the user's umask would give; created 0600 so nobody reads it half-written.
    await handle.chmod(0o644);
    await handle.close();
    handle = undefined;
    watched?.observer(watched.relativePath, hash.digest("hex"));
    await rename(temp, path);
  } catch (error) {
    await handle?.close().catch(() => {});
    await rm(temp, { force: true });
    throw writeError(path, error);
  }
  await syncFolder(dirname(path));
}

/**
 * A write may take fewer bytes than offered (a disk filling up): write the rest until the
 * system says why it cannot, so a full disk is an error and never a silently short file.
 */
async function writeAll(handle: FileHandle, bytes: Buffer, hash: Hash): Promise<void> {
  hash.update(bytes);
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    if (bytesWritten === 0) throw Object.assign(new Error("no progress writing"), { code: "EIO" });
    offset += bytesWritten;
  }
}

/** One gzip stream into the file: text in, compressed chunks written as they come out. */
function gzipTo(handle: FileHandle, hash: Hash): { write(bytes: Buffer): Promise<void>; end(): Promise<void> } {
  const gzip = createGzip();
  const drained = (async () => {
    for await (const chunk of gzip as AsyncIterable<Buffer>) await writeAll(handle, chunk, hash);
  })();
  // Keep a failed write from being an unhandled rejection before end() awaits it.
  drained.catch(() => {});
  return {
    async write(bytes) {
      if (!gzip.write(bytes)) await Promise.race([once(gzip, "drain"), drained]);
    },
    async end() {
      gzip.end();
      await drained;
    },
  };
}

/** Writes one string or buffer atomically (small outputs: manifests, signatures). */
export function writeTextAtomically(path: string, text: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  return writeFileAtomically(path, [text], options);
}

/**
 * Refuses, before any work, an output path that is a symlink or not a regular file (unless
 * forced). A folder, or a path that cannot exist, is left to the caller's own path checks.
 */
export async function checkOutputTarget(path: string, force: boolean = forceByDefault): Promise<void> {
  try {
    if ((await lstat(path)).isDirectory()) return;
  } catch {
    return;
  }
  await checkTarget(path, force);
}

async function checkTarget(path: string, force: boolean): Promise<void> {
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw writeError(path, error);
  }
  if (info.isFile() || force) {
    if (info.isDirectory()) throw new UserInputError("is a folder; choose another output path", { file: path });
    return;
  }
  const what = info.isSymbolicLink() ? "a symbolic link" : info.isFIFO() ? "a FIFO" : info.isCharacterDevice() ? "a character device" : info.isBlockDevice() ? "a block device" : info.isSocket() ? "a socket" : "not a regular file";
  throw new UserInputError(`is ${what}: credgov replaces only regular files (give --force to replace it anyway)`, { file: path });
}

/** Makes the rename itself durable; some file systems refuse fsync on a folder, which is fine. */
async function syncFolder(dir: string): Promise<void> {
  try {
    const handle = await open(dir, constants.O_RDONLY);
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Not supported here: the data itself was already synced.
  }
}

const clearCodes: Record<string, string> = {
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EIO: "input/output error on the device",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOENT: "the folder does not exist",
  ENOTDIR: "a part of the path is not a folder",
  EEXIST: "a temp file of that name already exists",
  ELOOP: "a symbolic link is in the way",
  EFBIG: "the file is too large for the file system",
};

function writeError(path: string, error: unknown): Error {
  if (error instanceof UserInputError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && clearCodes[code]) return new UserInputError(`cannot write: ${clearCodes[code]} (${code}); the previous file, if any, is unchanged`, { file: path });
  return error as Error;
}
