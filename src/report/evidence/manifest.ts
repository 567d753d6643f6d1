// manifest.json: what the evidence pack holds and what made it. Every file of the output
// folder (recursively) with its SHA-256 and size, the tool, Node.js and policy library
// versions, the configuration hash (the config names environment variables, never secrets)
// and the times. manifest.json.sig is an Ed25519 signature of manifest.json's exact bytes.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { isRunBookkeeping } from "../../io/run-manifest.ts";

export const manifestFile = "manifest.json";
export const signatureFile = "manifest.json.sig";

export interface ManifestEntry {
  path: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  manifestVersion: 1;
  generator: { name: "credgov"; version: string; node: string };
  createdAt: string;
  evaluatedAt: string | null;
  snapshotGeneratedAt: string | null;
  collectionWindow: { start: string; end: string } | null;
  policyHash: string | null;
  configSha256: string | null;
  files: ManifestEntry[];
  signature: { algorithm: "Ed25519"; publicKey: string; publicKeyFingerprint: string; file: string } | null;
}

export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest("hex"), bytes };
}

/** Pack-relative paths ("/"-separated) of every regular file under `dir`, sorted. */
export async function packFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split(sep).join("/"))
    // run.json, the folder lock and the run journal belong to the run around the pack (src/io), not to the pack.
    .filter((p) => p !== manifestFile && p !== signatureFile && !isRunBookkeeping(p) && !/\.\d+\.tmp$/.test(p))
    .sort();
}

export async function hashPackFiles(dir: string, paths: readonly string[]): Promise<ManifestEntry[]> {
  const out: ManifestEntry[] = [];
  for (const path of paths) out.push({ path, ...(await sha256File(join(dir, path))) });
  return out;
}
