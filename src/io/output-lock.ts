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
  for (let attempt = 0; attempt < 2; attempt++) {
    // The lock appears with its pid already in it (written to a temp file, then hard-linked into
    // place, which fails if the lock exists): a second run never reads an empty lock and takes it for a dead one's.
    const temp = join(dir, `.credgov.lock.${randomBytes(8).toString("hex")}.tmp`);
    const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
    try {
      await handle.write(`${process.pid}\n`);
    } finally {
      await handle.close();
    }
    try {
      await link(temp, file);
      return { release: () => rm(file, { force: true }) };
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOENT: the temp file was swept by the holder's clean-up of temp files; try again.
      if (code === "ENOENT") continue;
      if (code !== "EEXIST") throw error;
    } finally {
      await rm(temp, { force: true });
    }
    const owner = Number((await readFile(file, "utf8").catch(() => "")).trim());
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new UserInputError(`another credgov run (pid ${owner}) is writing to this folder; wait for it to finish or choose another --out`, { file: dir, field: "--out" });
    }
    // Left by a run that was killed: take it over.
    await rm(file, { force: true });
  }
  throw new UserInputError(`cannot lock the output folder (${lockFileName} keeps reappearing)`, { file: dir, field: "--out" });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
