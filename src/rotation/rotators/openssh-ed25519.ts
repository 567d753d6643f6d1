// An Ed25519 key pair in the formats ssh and GitHub use: the public key as an authorized_keys
// line (`ssh-ed25519 AAAA... comment`) and the private key as an unencrypted OpenSSH private key
// (`-----BEGIN OPENSSH PRIVATE KEY-----`, PROTOCOL.key), which `ssh -i` and git read.
import { generateKeyPairSync, randomBytes } from "node:crypto";

const keyType = "ssh-ed25519";

function sshString(data: Buffer | string): Buffer {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

const publicBlob = (publicKey: Buffer) => Buffer.concat([sshString(keyType), sshString(publicKey)]);

export interface OpensshKeyPair {
  publicKey: string;
  privateKey: string;
}

export function generateEd25519(comment: string): OpensshKeyPair {
  const pair = generateKeyPairSync("ed25519");
  const jwk = pair.privateKey.export({ format: "jwk" });
  return encode(Buffer.from(jwk.x!, "base64url"), Buffer.from(jwk.d!, "base64url"), comment);
}

function encode(publicKey: Buffer, seed: Buffer, comment: string): OpensshKeyPair {
  const check = randomBytes(4);
  let section = Buffer.concat([check, check, sshString(keyType), sshString(publicKey), sshString(Buffer.concat([seed, publicKey])), sshString(comment)]);
  // Padding 1, 2, 3 ... to the cipher block size (8 for "none").
  const pad = Buffer.from(Array.from({ length: (8 - (section.length % 8)) % 8 }, (_, i) => i + 1));
  section = Buffer.concat([section, pad]);
  const body = Buffer.concat([Buffer.from("openssh-key-v1\0"), sshString("none"), sshString("none"), sshString(""), Buffer.from([0, 0, 0, 1]), sshString(publicBlob(publicKey)), sshString(section)]);
  const lines = body.toString("base64").match(/.{1,70}/g)!.join("\n");
  return {
    publicKey: `${keyType} ${publicBlob(publicKey).toString("base64")} ${comment}`,
    privateKey: `-----BEGIN OPENSSH PRIVATE KEY-----\n${lines}\n-----END OPENSSH PRIVATE KEY-----\n`,
  };
}

/** The authorized_keys line (without comment) of an OpenSSH private key this module wrote. */
export function publicKeyOf(privateKey: string): string {
  const body = Buffer.from(privateKey.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, ""), "base64");
  let offset = "openssh-key-v1\0".length;
  const read = () => {
    const length = body.readUInt32BE(offset);
    const value = body.subarray(offset + 4, offset + 4 + length);
    offset += 4 + length;
    return value;
  };
  read(); // cipher
  read(); // kdf
  read(); // kdf options
  offset += 4; // number of keys
  return `${keyType} ${read().toString("base64")}`;
}

