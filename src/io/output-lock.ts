// One credgov run at a time per output folder: two scans into one folder would otherwise leave
// one run's snapshot beside the other's findings. The lock is a file created exclusively in
// the folder, holding the owner's pid; a lock whose process is gone (killed) is taken over.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { link, open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { UserInputError } from "../errors.ts";

export const lockFileName = ".credgov.lock";

export interface OutputLock {
  release(): Promise<void>;
}

export async function lockOutputFolder(dir: string): Promise<OutputLock> {
  const file = join(dir, lockFileName);
  for (let attempt = 0; attempt < 10; attempt++) {
    if (await createHoldingPid(dir, file)) return { release: () => rm(file, { force: true }) };
    const owner = await pidIn(file);
    // Gone already (taken over by another run meanwhile): try again.
    if (owner === "gone") continue;
    if (owner !== undefined && owner !== process.pid && alive(owner)) {
      throw new UserInputError(`another credgov run (pid ${owner}) is writing to this folder; wait for it to finish or choose another --out`, { file: dir, field: "--out" });
    }
    // Left by a run that was killed: take it over. Only the holder of this dead pid's takeover
    // token may remove its lock, so two runs that both found it dead cannot each remove the lock
    // the other has just created in its place.
    if (owner !== undefined) await takeOver(dir, file, owner);
    else await rm(file, { force: true });
  }
  throw new UserInputError(`cannot lock the output folder (${lockFileName} keeps reappearing)`, { file: dir, field: "--out" });
}

/**
 * Creates `path` holding this process's pid, or returns false if it exists. The file appears
 * with the pid already in it (written to a temp file, then hard-linked into place, which fails
 * if the path exists): nobody reads it empty and takes it for a dead run's.
 */
async function createHoldingPid(dir: string, path: string): Promise<boolean> {
  for (;;) {
    const temp = join(dir, `.credgov.lock.${randomBytes(8).toString("hex")}.tmp`);
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
    try {
      await handle.write(`${process.pid}\n`);
    } finally {
      await handle.close();
    }
    try {
      await link(temp, path);
      return true;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOENT: the temp file was swept by the holder's clean-up of temp files; try again.
      if (code === "EEXIST") return false;
      if (code !== "ENOENT") throw error;
    } finally {
      await rm(temp, { force: true });
    }
  }
}

/** Removes the lock if it still names the dead `owner`, holding `.credgov.takeover.<owner>` meanwhile. */
async function takeOver(dir: string, file: string, owner: number): Promise<void> {
  const token = join(dir, `.credgov.takeover.${owner}`);
  if (await createHoldingPid(dir, token)) {
    try {
      // Nobody can put another lock in place while the dead one is there, and nobody else may
      // remove it, so what we read is what we remove.
      if ((await pidIn(file)) === owner) await rm(file, { force: true });
    } finally {
      await rm(token, { force: true });
    }
    return;
  }
  // Another run is taking it over: wait for that (the caller then meets its lock); a token
  // whose run was killed too goes.
  for (const deadline = Date.now() + 5000; Date.now() < deadline; ) {
    const taker = await pidIn(token);
    if (taker === "gone") return;
    if (taker === undefined || !alive(taker)) {
      await rm(token, { force: true });
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The pid a lock or token file holds: "gone" if there is no such file, undefined if it holds no pid. */
async function pidIn(path: string): Promise<number | "gone" | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
