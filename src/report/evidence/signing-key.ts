// Ed25519 keys of the evidence pack (node:crypto, no dependency). The private key comes from a
// PEM file (--signing-key) or the CREDGOV_SIGNING_KEY environment variable (PEM text), never
// from the command line itself. A public key is named by the SHA-256 of its DER (SPKI) bytes:
// the fingerprint printed in the PDF and checked by `credgov verify --key`.
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { UserInputError } from "../../errors.ts";

export const signingKeyEnv = "CREDGOV_SIGNING_KEY";

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** base64 of the public key's DER (SPKI) bytes, as stored in the manifest. */
  publicKeyDer: string;
  fingerprint: string;
}

/** The signing key from --signing-key FILE, else from $CREDGOV_SIGNING_KEY, else none. */
export function loadSigningKey(file: string | undefined, env: NodeJS.ProcessEnv = process.env): SigningKey | null {
  let pem: string;
  let where: { file?: string; field: string };
  if (file) {
    where = { file, field: "--signing-key" };
    try {
      pem = readFileSync(file, "utf8");
    } catch (error) {
      throw new UserInputError(`cannot read the signing key: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, where);
    }
  } else if (env[signingKeyEnv]) {
    where = { field: signingKeyEnv };
    pem = env[signingKeyEnv];
  } else {
    return null;
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch {
    // The message of the crypto error could quote key material; say only what is expected.
    throw new UserInputError("is not a PEM private key (expected an Ed25519 key: openssl genpkey -algorithm ed25519)", where);
  }
  if (privateKey.asymmetricKeyType !== "ed25519") throw new UserInputError(`is a ${privateKey.asymmetricKeyType ?? "unknown"} key; the evidence pack is signed with Ed25519`, where);
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: "spki", format: "der" });
  return { privateKey, publicKey, publicKeyDer: der.toString("base64"), fingerprint: fingerprintOf(der) };
}

export function fingerprintOf(spkiDer: Buffer): string {
  return createHash("sha256").update(spkiDer).digest("hex");
}

/** A public key from a PEM file (--key of verify). */
export function loadPublicKey(file: string): { key: KeyObject; fingerprint: string } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new UserInputError(`cannot read the public key: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { file, field: "--key" });
  }
  let key: KeyObject;
  try {
    key = createPublicKey(text);
  } catch {
    throw new UserInputError("is not a PEM public key (openssl pkey -in private.pem -pubout)", { file, field: "--key" });
  }
  if (key.asymmetricKeyType !== "ed25519") throw new UserInputError(`is a ${key.asymmetricKeyType ?? "unknown"} key, not Ed25519`, { file, field: "--key" });
  return { key, fingerprint: fingerprintOf(key.export({ type: "spki", format: "der" })) };
}

export function signBytes(key: SigningKey, bytes: Uint8Array): Buffer {
  return sign(null, bytes, key.privateKey);
}

export function verifyBytes(publicKey: KeyObject, bytes: Uint8Array, signature: Uint8Array): boolean {
  try {
    return verify(null, bytes, publicKey, signature);
  } catch {
    return false;
  }
}
