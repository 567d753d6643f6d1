// Ties the files of one run together: run.json, written last, names the run id and the
// SHA-256 of every file the run wrote. It is removed when a run starts, so an output folder
// holds either a complete run (run.json present and every hash matching) or a visibly
// incomplete one (no run.json): never one run's snapshot silently beside another's findings.
// `credgov report` checks it before re-rendering from findings.json.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir, readFile, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { UserInputError } from "../errors.ts";
import { writeTextAtomically } from "./atomic-write.ts";

export const runManifestName = "run.json";

export interface RunManifest {
  runId: string;
  tool: string;
  finishedAt: string;
  files: Record<string, string>;
}

export function newRunId(): string {
  return randomUUID();
}

/** At the start of a run (under the folder lock): no manifest, no temp files of killed runs. */
export async function startRun(dir: string): Promise<void> {
  await rm(join(dir, runManifestName), { force: true });
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) if (/^\..+\.[0-9a-f]{16}\.tmp$/.test(name)) await rm(join(dir, name), { force: true });
}

export async function finishRun(dir: string, runId: string, tool: string, files: readonly string[]): Promise<void> {
  const hashes: Record<string, string> = {};
  for (const file of files) hashes[basename(file)] = await sha256(file);
  const manifest: RunManifest = { runId, tool, finishedAt: new Date().toISOString(), files: hashes };
  await writeTextAtomically(join(dir, runManifestName), `${JSON.stringify(manifest, null, 2)}\n`);
}

/**
 * Checks that `file` belongs to the complete run recorded beside it. A folder without run.json
 * (written before run ids existed, or by a run that did not finish) passes with a reason, so
 * callers can warn; a hash mismatch is an input error.
 */
export async function checkRunFile(file: string): Promise<{ runId: string } | { unchecked: string }> {
  const dir = dirname(file);
  let text: string;
  try {
    text = await readFile(join(dir, runManifestName), "utf8");
  } catch {
    return { unchecked: `${join(dir, runManifestName)} is missing: the run that wrote ${basename(file)} may not have finished` };
  }
  let manifest: RunManifest;
  try {
    manifest = JSON.parse(text) as RunManifest;
  } catch {
    throw new UserInputError("is not a valid run manifest", { file: join(dir, runManifestName) });
  }
  const expected = manifest.files?.[basename(file)];
  if (typeof expected !== "string") throw new UserInputError(`was not written by run ${manifest.runId} (not listed in ${runManifestName}): the folder mixes runs`, { file });
  if ((await sha256(file)) !== expected) throw new UserInputError(`does not match run ${manifest.runId} (${runManifestName} holds another hash): the folder mixes runs or the file was changed`, { file });
  return { runId: manifest.runId };
}

async function sha256(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
