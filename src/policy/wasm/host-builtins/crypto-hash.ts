// crypto.md5/sha1/sha256 digests and crypto.hmac.*, hex-encoded like OPA's.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { str } from "./builtin-error.ts";

const digest = (algorithm: string, name: string) => (x: unknown) => createHash(algorithm).update(str(name, x, 1), "utf8").digest("hex");
const hmac = (algorithm: string, name: string) => (x: unknown, key: unknown) =>
  createHmac(algorithm, Buffer.from(str(name, key, 2), "utf8")).update(str(name, x, 1), "utf8").digest("hex");

export function hmacEqual(a: unknown, b: unknown): boolean {
  const x = Buffer.from(str("crypto.hmac.equal", a, 1), "utf8");
  const y = Buffer.from(str("crypto.hmac.equal", b, 2), "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

export const cryptoHashBuiltins = {
  "crypto.md5": digest("md5", "crypto.md5"),
  "crypto.sha1": digest("sha1", "crypto.sha1"),
  "crypto.sha256": digest("sha256", "crypto.sha256"),
  "crypto.hmac.md5": hmac("md5", "crypto.hmac.md5"),
  "crypto.hmac.sha1": hmac("sha1", "crypto.hmac.sha1"),
  "crypto.hmac.sha256": hmac("sha256", "crypto.hmac.sha256"),
  "crypto.hmac.sha512": hmac("sha512", "crypto.hmac.sha512"),
  "crypto.hmac.equal": hmacEqual,
};
