// The rotation journal on disk: append-only JSONL, each record durable (fdatasync) before the
// step it records is built upon; the folder is fsync'd when the file is created so the file
// itself survives a crash. Records written while an fsync runs are written and synced together
// (group commit), so concurrency does not multiply the syncs. A lock file beside the journal
// (pid + host) stops two applies or resumes of one run; a lock whose process is gone (killed,
// crashed) is taken over.
import { createHmac, randomBytes } from "node:crypto";
import { closeSync, constants, fsyncSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { open, readFile, type FileHandle } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { UserInputError } from "../errors.ts";
import { decodeUtf8 } from "../io/utf8-check.ts";
import { checkJournalRecord } from "./journal-record-shape.ts";
import { forwardStates, type ForwardState, type ItemRecord, type ItemState, type JournalRecord, type RunRecord, type SessionRecord } from "./journal-record.ts";

/** Keyed fingerprint of a secret: tells secrets apart in the journal and sink without holding them. */
export function fingerprint(salt: string, secret: string): string {
  return "hmac-sha256:" + createHmac("sha256", Buffer.from(salt, "hex")).update(secret, "utf8").digest("hex").slice(0, 32);
}

export function newSalt(): string {
  return randomBytes(16).toString("hex");
}

/** Where an item stands after replaying its records. */
export interface ItemProgress {
  item: string;
  state: ItemState;
  /** The last forward state that is durable (for failed items: the one before the failure). */
  lastGood: ForwardState;
  attempt: number;
  fingerprint?: string;
  sinkVersion?: number;
  ref?: string;
  error?: ItemRecord["error"];
  /** Time of the first and the last record (report). */
  firstAt: string;
  lastAt: string;
  verifiedAt?: string;
  committedAt?: string;
  detail?: string;
}

export interface JournalContents {
  run: RunRecord;
  items: Map<string, ItemProgress>;
  sessions: SessionRecord[];
  /** Bytes of complete records; anything after is a record torn by a crash. */
  completeLength: number;
}

/** Reads and replays a journal. A torn last line (crash mid-write) is ignored; a malformed line
 *  anywhere else is an input error naming the line. */
export async function readJournal(path: string): Promise<JournalContents> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UserInputError(`cannot read the journal: ${(error as Error).message}`, { file: path });
  }
  // Counted in bytes, as reopen() truncates: a length in characters of the decoded text would
  // cut the last committed records of a journal that holds a non-ASCII name (josé).
  const completeLength = bytes.lastIndexOf(0x0a) + 1;
  // credgov writes UTF-8; a byte that is not (a damaged disk, an edit) would otherwise turn an
  // item id into another item's.
  const lines = decodeUtf8(bytes.subarray(0, completeLength), path).split("\n");
  lines.pop();
  let run: RunRecord | undefined;
  const items = new Map<string, ItemProgress>();
  const sessions: SessionRecord[] = [];
  lines.forEach((line, index) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      throw new UserInputError("not a journal record (invalid JSON)", { file: path, line: index + 1 });
    }
    const checked = checkJournalRecord(parsed);
    if (!("record" in checked)) throw new UserInputError(checked.message, { file: path, line: index + 1, field: checked.field });
    const record = checked.record;
    if (index === 0) {
      if (record.type !== "run" || record.journalVersion !== 1) throw new UserInputError("the first record must be the run record of a version 1 journal", { file: path, line: 1 });
      run = record;
      return;
    }
    if (record.type === "session") sessions.push(record);
    else if (record.type === "item") applyItemRecord(items, record);
    else throw new UserInputError(`unexpected record type ${JSON.stringify((record as { type: unknown }).type)}`, { file: path, line: index + 1 });
  });
  if (!run) throw new UserInputError("empty journal (no run record)", { file: path });
  return { run, items, sessions, completeLength };
}

function applyItemRecord(items: Map<string, ItemProgress>, record: ItemRecord): void {
  const progress = items.get(record.item) ?? { item: record.item, state: record.state, lastGood: "planned", attempt: record.attempt, firstAt: record.at, lastAt: record.at };
  progress.state = record.state;
  progress.attempt = record.attempt;
  progress.lastAt = record.at;
  if (record.state === "failed") {
    progress.error = record.error;
    if (record.lastGood) progress.lastGood = record.lastGood;
  } else if (record.state !== "skipped") {
    progress.lastGood = record.state;
    progress.error = undefined;
  }
  if (record.fingerprint !== undefined) progress.fingerprint = record.fingerprint;
  if (record.sinkVersion !== undefined) progress.sinkVersion = record.sinkVersion;
  if (record.ref !== undefined) progress.ref = record.ref;
  if (record.detail !== undefined) progress.detail = record.detail;
  if (record.state === "generated") {
    // A new attempt with a new secret: what the previous attempt stored no longer applies.
    progress.sinkVersion = undefined;
    progress.ref = undefined;
  }
  if (record.state === "verified") progress.verifiedAt = record.at;
  if (record.state === "committed") progress.committedAt = record.at;
  items.set(record.item, progress);
}

export function isForward(state: ItemState): state is ForwardState {
  return (forwardStates as readonly string[]).includes(state);
}

export function stateIndex(state: ForwardState): number {
  return forwardStates.indexOf(state);
}

/** Appends records durably. One writer per journal at a time (see JournalLock). */
export class JournalWriter {
  private readonly handle: FileHandle;
  private queue: Array<{ line: string; resolve: () => void; reject: (error: unknown) => void }> = [];
  private flushing: Promise<void> | undefined;

  private constructor(handle: FileHandle) {
    this.handle = handle;
  }

  /** Creates a new journal (refuses an existing file) with its run record, and syncs the folder. */
  static async create(path: string, run: RunRecord): Promise<JournalWriter> {
    let handle: FileHandle;
    try {
      handle = await open(path, "wx");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const hint = code === "EEXIST" ? "a journal already exists here: continue it with `credgov rotate resume`, or choose another --journal" : (error as Error).message;
      throw new UserInputError(hint, { file: path });
    }
    const writer = new JournalWriter(handle);
    await writer.append(run);
    syncDirectory(dirname(path));
    return writer;
  }

  /** Opens an existing journal for appending; cuts a torn last record left by a crash first. */
  static async reopen(path: string, completeLength: number): Promise<JournalWriter> {
    const handle = await open(path, "r+");
    const { size } = await handle.stat();
    if (size > completeLength) {
      await handle.truncate(completeLength);
      await handle.sync();
    }
    await handle.close();
    return new JournalWriter(await open(path, "a"));
  }

  /** Resolves when the record is on disk. */
  append(record: JournalRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ line: JSON.stringify(record) + "\n", resolve, reject });
      this.flushing ??= this.flush();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await this.handle.write(batch.map((entry) => entry.line).join(""));
        await this.handle.datasync();
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) entry.reject(error);
      }
    }
    this.flushing = undefined;
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.handle.close();
  }
}

/** `JOURNAL.lock`: who runs this journal now. */
export class JournalLock {
  private readonly path: string;

  private constructor(path: string) {
    this.path = path;
  }

  static acquire(journal: string): JournalLock {
    const path = `${journal}.lock`;
    const me = JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600);
        writeSync(fd, me);
        fsyncSync(fd);
        closeSync(fd);
        return new JournalLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw new UserInputError(`cannot create the journal lock: ${(error as Error).message}`, { file: path });
      }
      const holder = readHolder(path);
      if (holder && (holder.host !== hostname() || processAlive(holder.pid))) {
        throw new UserInputError(`another credgov (pid ${holder.pid} on ${holder.host}) is running this journal; wait for it or stop it`, { file: path });
      }
      // The holder is gone (killed or crashed): move its lock aside atomically, so of two
      // processes taking over at once only one succeeds, then try again.
      try {
        renameSync(path, `${path}.stale-${process.pid}`);
        unlinkSync(`${path}.stale-${process.pid}`);
      } catch {
        // Another process took it over first; the next attempt sees its lock.
      }
    }
    throw new UserInputError("could not take the journal lock", { file: path });
  }

  release(): void {
    try {
      unlinkSync(this.path);
    } catch {
      // Already gone; nothing to release.
    }
  }
}

function readHolder(path: string): { pid: number; host: string } | undefined {
  try {
    const value = JSON.parse(readFileSync(path, "utf8")) as { pid?: unknown; host?: unknown };
    if (typeof value.pid === "number" && typeof value.host === "string") return { pid: value.pid, host: value.host };
  } catch {
    // Torn or empty lock (crash while writing it): treat as stale.
  }
  return undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Makes a new directory entry (the journal, a sink file) survive a crash. */
export function syncDirectory(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
