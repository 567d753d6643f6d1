// One credgov run at a time per output folder: two scans into one folder would otherwise leave
// one run's snapshot beside the other's findings. The lock is a file created exclusively in
// the folder, holding the owner's pid; a lock whose process is gone (killed) is taken over.
import { constants } from "node:fs";
import { open, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { UserInputError } from "../errors.ts";

export const lockFileName = ".credgov.lock";

export interface OutputLock {
  release(): Promise<void>;
}

export async function lockOutputFolder(dir: string): Promise<OutputLock> {
  const file = join(dir, lockFileName);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
      await handle.write(`${process.pid}\n`);
      await handle.close();
      return { release: () => rm(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
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
