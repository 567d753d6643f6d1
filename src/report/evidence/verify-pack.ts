// `credgov verify DIR`: recomputes every hash of manifest.json, looks for files the manifest
// does not list, and checks the Ed25519 signature, with the key given (--key) or, without
// one, with the key the manifest names (which proves integrity, not who signed: the result
// says so). Each difference names the file.
import { createPublicKey, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fingerprintOf, verifyBytes } from "./signing-key.ts";
import { hashPackFiles, manifestFile, packFiles, signatureFile, type Manifest } from "./manifest.ts";

export interface VerifyProblem {
  file: string;
  problem: string;
}

export interface VerifyResult {
  ok: boolean;
  problems: VerifyProblem[];
  /** Files whose hash matched. */
  checked: number;
  signature: "valid" | "invalid" | "unsigned";
  /** Set when the signature was checked with the manifest's own key (no --key). */
  keyNotPinned: boolean;
  fingerprint: string | null;
}

export async function verifyPack(dir: string, trusted?: { key: KeyObject; fingerprint: string }): Promise<VerifyResult> {
  const problems: VerifyProblem[] = [];
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readFile(join(dir, manifestFile));
  } catch (error) {
    return fail(manifestFile, `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestBytes.toString("utf8")) as Manifest;
    if (manifest.manifestVersion !== 1 || !Array.isArray(manifest.files)) throw new Error("not a credgov manifest");
  } catch {
    return fail(manifestFile, "is not a valid credgov manifest (changed or damaged)");
  }

  let signature: VerifyResult["signature"] = "unsigned";
  let fingerprint: string | null = null;
  let keyNotPinned = false;
  if (manifest.signature) {
    let sig: Buffer | null = null;
    try {
      sig = Buffer.from((await readFile(join(dir, signatureFile), "utf8")).trim(), "base64");
    } catch {
      problems.push({ file: signatureFile, problem: "is missing although manifest.json says the pack is signed" });
    }
    let key: KeyObject | null = trusted?.key ?? null;
    if (!key) {
      keyNotPinned = true;
      try {
        key = createPublicKey({ key: Buffer.from(manifest.signature.publicKey, "base64"), format: "der", type: "spki" });
      } catch {
        problems.push({ file: manifestFile, problem: "names a public key that cannot be read" });
      }
    }
    fingerprint = trusted?.fingerprint ?? (key ? fingerprintOf(key.export({ type: "spki", format: "der" })) : null);
    if (trusted && manifest.signature.publicKeyFingerprint !== trusted.fingerprint) {
      problems.push({ file: manifestFile, problem: `is signed by key ${manifest.signature.publicKeyFingerprint}, not by the given key ${trusted.fingerprint}` });
    }
    if (sig && key) {
      signature = verifyBytes(key, manifestBytes, sig) ? "valid" : "invalid";
      if (signature === "invalid") problems.push({ file: `${manifestFile} or ${signatureFile}`, problem: "the signature does not verify: one of them was changed" });
    }
  } else if (trusted) {
    problems.push({ file: manifestFile, problem: "is not signed, but --key asks for a signed pack" });
  }

  const listed = new Set(manifest.files.map((f) => f.path));
  const present = new Set(await packFiles(dir));
  const actual = await hashPackFiles(dir, manifest.files.map((f) => f.path).filter((p) => present.has(p)));
  const actualByPath = new Map(actual.map((a) => [a.path, a]));
  let checked = 0;
  for (const entry of manifest.files) {
    const a = actualByPath.get(entry.path);
    if (!a) problems.push({ file: entry.path, problem: "is missing" });
    else if (a.sha256 !== entry.sha256) problems.push({ file: entry.path, problem: `differs from the manifest (sha256 ${a.sha256}, manifest ${entry.sha256})` });
    else checked++;
  }
  for (const path of present) if (!listed.has(path)) problems.push({ file: path, problem: "is not listed in the manifest" });
  return { ok: problems.length === 0, problems, checked, signature, keyNotPinned, fingerprint };

  function fail(file: string, problem: string): VerifyResult {
    return { ok: false, problems: [{ file, problem }], checked: 0, signature: "unsigned", keyNotPinned: false, fingerprint: null };
  }
}
