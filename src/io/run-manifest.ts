// Ties the files of one run in an output folder together, so the folder never shows one run's
// snapshot beside another run's findings, even when a run is killed:
//   run.json             written last: the run id and the SHA-256 of every file the run wrote;
//   .credgov-run.journal while a run writes: its id, then one line per file, recorded before the
//                        file is renamed into place (src/io/atomic-write.ts tells us);
//   .credgov-previous/   the last complete run, moved aside (run.json first) when a new run starts.
// At any moment the visible files are all of one run: the previous complete run (whole, or part
// of it while it is moved aside or back), or the new run (whole with run.json, or part of it
// while it writes). A run that fails or is killed is undone by the next run into the folder (or
// at once when it fails): its files are removed and the previous complete run is moved back.
// report and verify check a folder against its run.json.
import { createHash, randomUUID } from "node:crypto";
import { closeSync, constants, createReadStream, openSync, writeSync } from "node:fs";
import { lstat, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { UserInputError } from "../errors.ts";
import { observeWritesUnder, writeTextAtomically } from "./atomic-write.ts";
import { lockOutputFolder } from "./output-lock.ts";

export const runManifestName = "run.json";
export const runJournalName = ".credgov-run.journal";
export const previousRunFolder = ".credgov-previous";

export interface RunManifest {
  runId: string;
  tool: string;
  finishedAt: string;
  /** Folder-relative path ("/"-separated) -> SHA-256 of the file's bytes. */
  files: Record<string, string>;
}

interface JournalHeader {
  runId: string;
  tool: string;
  /** Extending a complete run (report into the findings' own folder): its files stay the run's. */
  extends?: Record<string, string>;
}

/** What credgov keeps in an output folder for itself: never an output, never in a pack's manifest. */
export function isRunBookkeeping(relativePath: string): boolean {
  const first = relativePath.split("/")[0];
  return relativePath === runManifestName || first.startsWith(".credgov") || /(^|\/)\.[^/]+\.[0-9a-f]{16}\.tmp$/.test(relativePath);
}

export interface OutputRunOptions {
  /** The command, recorded in run.json ("credgov scan"). */
  tool: string;
  /** Default: a new random id. */
  runId?: string;
  /** Continue the complete run in the folder (same id): its files stay, the new ones join them. */
  extend?: boolean;
  /** Inputs of this run inside the folder (a snapshot evaluated in place): kept and listed. */
  keep?: readonly string[];
}

export interface OutputRun {
  readonly runId: string;
  /** Writes run.json (the run is complete), removes the bookkeeping, releases the folder. */
  finish(): Promise<void>;
  /** The run failed: its files go, the previous complete run comes back, the folder is released. */
  abandon(): Promise<void>;
}

/**
 * Locks the folder (one run at a time), undoes a run that was killed there, moves the previous
 * complete run aside and records every file written under the folder until finish or abandon.
 */
export async function beginOutputRun(dir: string, options: OutputRunOptions): Promise<OutputRun> {
  const lock = await lockOutputFolder(dir);
  try {
    await recoverOutputFolder(dir);
    const current = await readRunManifest(dir);
    const keep = new Set((options.keep ?? []).map((file) => relativeTo(dir, file)).filter((p): p is string => p !== undefined));
    const header: JournalHeader = { runId: options.runId ?? randomUUID(), tool: options.tool };
    if (options.extend && current) {
      header.runId = current.runId;
      header.extends = current.files;
    } else if (current) {
      await moveAside(dir, current, keep);
    }
    const journal = openSync(join(dir, runJournalName), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_APPEND | (constants.O_NOFOLLOW ?? 0), 0o600);
    writeSync(journal, `${JSON.stringify(header)}\n`);
    // Extending: run.json goes once the journal holds its files, so the folder reads "in progress".
    if (header.extends) await rm(join(dir, runManifestName), { force: true });
    const written = new Map<string, string>();
    const stopObserving = observeWritesUnder(dir, (path, sha256) => {
      writeSync(journal, `${JSON.stringify([path, sha256])}\n`);
      written.set(path, sha256);
    });
    let ended = false;
    const end = async (work: () => Promise<void>) => {
      if (ended) return;
      ended = true;
      stopObserving();
      closeSync(journal);
      try {
        await work();
      } finally {
        await lock.release();
      }
    };
    return {
      runId: header.runId,
      finish: () =>
        end(async () => {
          const files: Record<string, string> = {};
          // What the run found (extended, kept) and still holds; a file removed meanwhile (an old signature) is no longer the run's.
          for (const [path, hash] of Object.entries(header.extends ?? {})) if (await isFile(join(dir, path))) files[path] = hash;
          for (const path of keep) if (!(path in files) && (await isFile(join(dir, path)))) files[path] = await sha256(join(dir, path));
          for (const [path, hash] of written) if (await isFile(join(dir, path))) files[path] = hash;
          const manifest: RunManifest = { runId: header.runId, tool: options.tool, finishedAt: new Date().toISOString(), files: sorted(files) };
          await writeTextAtomically(join(dir, runManifestName), `${JSON.stringify(manifest, null, 2)}\n`);
          await rm(join(dir, runJournalName), { force: true });
          await rm(join(dir, previousRunFolder), { recursive: true, force: true });
        }),
      abandon: () => end(() => recoverOutputFolder(dir)),
    };
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** Run `work` as one run of the folder: finished when it returns, abandoned when it throws. */
export async function withOutputRun<T>(dir: string, options: OutputRunOptions, work: (run: OutputRun) => Promise<T>): Promise<T> {
  const run = await beginOutputRun(dir, options);
  let result: T;
  try {
    result = await work(run);
  } catch (error) {
    await run.abandon();
    throw error;
  }
  await run.finish();
  return result;
}

/**
 * Undoes what a killed or failed run left (the caller holds the folder's lock): a run that
 * finished only needs its bookkeeping removed; an extended run is rolled forward (its files are
 * all of one run); otherwise the run's files are removed and the previous complete run moved
 * back. Stray temp files of killed writes go too. Idempotent: a kill during recovery is
 * recovered by the next one.
 */
export async function recoverOutputFolder(dir: string): Promise<void> {
  const journal = await readJournal(dir);
  let current = await readRunManifest(dir);
  if (journal && !(current && current.runId === journal.header.runId)) {
    if (journal.header.extends) {
      const files: Record<string, string> = {};
      for (const [path, hash] of [...Object.entries(journal.header.extends), ...journal.entries]) {
        if ((await sha256(join(dir, path)).catch(() => undefined)) === hash) files[path] = hash;
      }
      current = { runId: journal.header.runId, tool: journal.header.tool, finishedAt: new Date().toISOString(), files: sorted(files) };
      await writeTextAtomically(join(dir, runManifestName), `${JSON.stringify(current, null, 2)}\n`);
    } else {
      for (const [path] of journal.entries) await rm(join(dir, path), { force: true });
    }
  }
  await rm(join(dir, runJournalName), { force: true });
  if (!current) await movePreviousBack(dir);
  await rm(join(dir, previousRunFolder), { recursive: true, force: true });
  for (const path of await visibleFiles(dir, true)) if (/(^|\/)\.[^/]+\.[0-9a-f]{16}\.tmp$/.test(path)) await rm(join(dir, path), { force: true });
}

/** run.json first, so the visible files are never taken for a complete run while they move. */
async function moveAside(dir: string, current: RunManifest, keep: ReadonlySet<string>): Promise<void> {
  const aside = join(dir, previousRunFolder);
  await rm(aside, { recursive: true, force: true });
  await mkdir(aside);
  await rename(join(dir, runManifestName), join(aside, runManifestName));
  for (const path of Object.keys(current.files)) {
    if (keep.has(path) || !(await isFile(join(dir, path)))) continue;
    await mkdir(dirname(join(aside, path)), { recursive: true });
    await rename(join(dir, path), join(aside, path));
  }
}

/** run.json last, so the folder reads as complete only once every file is back. */
async function movePreviousBack(dir: string): Promise<void> {
  const aside = join(dir, previousRunFolder);
  const previous = await readManifestFile(join(aside, runManifestName));
  if (!previous) return;
  for (const path of Object.keys(previous.files)) {
    if (!(await isFile(join(aside, path)))) continue;
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await rename(join(aside, path), join(dir, path));
  }
  await rename(join(aside, runManifestName), join(dir, runManifestName));
}

export async function readRunManifest(dir: string): Promise<RunManifest | undefined> {
  return readManifestFile(join(dir, runManifestName));
}

async function readManifestFile(file: string): Promise<RunManifest | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let manifest: RunManifest;
  try {
    manifest = JSON.parse(text) as RunManifest;
  } catch {
    throw new UserInputError("is not a valid run manifest (not JSON)", { file });
  }
  if (typeof manifest?.runId !== "string" || typeof manifest.files !== "object" || manifest.files === null || Array.isArray(manifest.files)) {
    throw new UserInputError("is not a valid run manifest (runId and files expected)", { file });
  }
  // Paths come from the file: never let one lead outside the folder.
  for (const path of Object.keys(manifest.files)) {
    if (path.split("/").some((part) => part === ".." || part === "") || path.startsWith("/")) throw new UserInputError(`lists a path outside the folder: ${JSON.stringify(path)}`, { file });
  }
  return manifest;
}

async function readJournal(dir: string): Promise<{ header: JournalHeader; entries: [string, string][] } | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, runJournalName), "utf8");
  } catch {
    return undefined;
  }
  const lines = text.split("\n");
  let header: JournalHeader;
  try {
    header = JSON.parse(lines[0]) as JournalHeader;
  } catch {
    // Killed before the header was written: the run wrote nothing yet.
    return undefined;
  }
  const entries: [string, string][] = [];
  for (const line of lines.slice(1)) {
    try {
      const entry = JSON.parse(line) as unknown;
      if (Array.isArray(entry) && typeof entry[0] === "string" && typeof entry[1] === "string" && !entry[0].split("/").includes("..")) entries.push([entry[0], entry[1]]);
    } catch {
      // The last line, cut by a kill: its file was not renamed into place yet.
    }
  }
  return { header, entries };
}

export type RunCheck =
  | { kind: "complete"; manifest: RunManifest }
  /** No run bookkeeping at all: written before run ids, or by hand. */
  | { kind: "untracked" }
  /** A run was killed or failed here and nothing has recovered the folder since. */
  | { kind: "unfinished" };

export async function runStateOf(dir: string): Promise<RunCheck> {
  const manifest = await readRunManifest(dir);
  const journal = await readJournal(dir);
  // A journal of the run that run.json records: killed after finishing, before tidying up.
  if (manifest) return journal && journal.header.runId !== manifest.runId ? { kind: "unfinished" } : { kind: "complete", manifest };
  if (journal || (await exists(join(dir, runJournalName))) || (await exists(join(dir, previousRunFolder)))) return { kind: "unfinished" };
  return { kind: "untracked" };
}

/**
 * For `report`: `file` (findings.json, snapshot.json) must belong to the complete run recorded
 * beside it. A folder with no run bookkeeping passes with a reason to warn; a file the run did
 * not write, or wrote differently, or a run that did not finish, is an input error.
 */
export async function checkRunFile(file: string): Promise<{ runId: string; dir: string } | { unchecked: string }> {
  const dir = dirname(resolve(file));
  const state = await runStateOf(dir);
  if (state.kind === "untracked") return { unchecked: `${join(dirname(file), runManifestName)} is missing: nothing shows that the files beside ${file} come from one run` };
  if (state.kind === "unfinished") {
    throw new UserInputError(`the run that wrote this folder did not finish (killed or failed): its files are not a complete run; run the scan or evaluate into it again`, { file: dirname(file) });
  }
  const { manifest } = state;
  const path = relativeTo(dir, file) as string;
  const expected = manifest.files[path];
  if (typeof expected !== "string") throw new UserInputError(`was not written by run ${manifest.runId} (not listed in ${runManifestName}): the folder mixes runs`, { file });
  if ((await sha256(file)) !== expected) throw new UserInputError(`does not match run ${manifest.runId} (${runManifestName} holds another SHA-256): the folder mixes runs, or the file was changed`, { file });
  return { runId: manifest.runId, dir };
}

/** For `verify`: every file of the folder against run.json (none missing, changed or foreign). */
export async function runFolderProblems(dir: string): Promise<{ file: string; problem: string }[]> {
  const state = await runStateOf(dir);
  if (state.kind === "untracked") return [];
  if (state.kind === "unfinished") return [{ file: runManifestName, problem: "the run that wrote this folder did not finish (killed or failed): its files are not a complete run" }];
  const { manifest } = state;
  const problems: { file: string; problem: string }[] = [];
  for (const [path, hash] of Object.entries(manifest.files)) {
    const actual = await sha256(join(dir, path)).catch(() => undefined);
    if (actual === undefined) problems.push({ file: path, problem: `is missing (listed in ${runManifestName}, run ${manifest.runId})` });
    else if (actual !== hash) problems.push({ file: path, problem: `differs from ${runManifestName} (run ${manifest.runId}): changed, or written by another run` });
  }
  for (const path of await visibleFiles(dir, false)) {
    if (!(path in manifest.files)) problems.push({ file: path, problem: `is not part of run ${manifest.runId} (not in ${runManifestName}): the folder mixes runs` });
  }
  return problems;
}

/** Regular files under `dir`, folder-relative; credgov's bookkeeping left out unless asked for. */
async function visibleFiles(dir: string, withBookkeeping: boolean): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    .filter((p) => !p.startsWith(`${previousRunFolder}/`) && (withBookkeeping || !isRunBookkeeping(p)))
    .sort();
}

function relativeTo(dir: string, file: string): string | undefined {
  const rel = relative(resolve(dir), resolve(file));
  return rel && !rel.startsWith("..") && !rel.startsWith(sep) ? rel.split(sep).join("/") : undefined;
}

function sorted(files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await lstat(path)).isFile();
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

export async function sha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
