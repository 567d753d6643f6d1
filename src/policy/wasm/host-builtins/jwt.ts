// io.jwt.*: decode, verify (HS/RS/PS/ES/EdDSA), decode_verify with OPA's constraint semantics,
// and encode_sign(_raw), on node:crypto. Keys are PEM certificates, PEM public keys, JWKs or JWK sets.
import { createHmac, createPrivateKey, createPublicKey, sign, timingSafeEqual, verify, type KeyObject } from "node:crypto";
import { BuiltinError, obj, str, typeOf } from "./builtin-error.ts";
import { goJSON } from "./go-json.ts";

interface Decoded {
  header: Record<string, unknown>;
  payload: Record<string, unknown> | string;
  payloadText: string;
  signature: Buffer;
  signingInput: string;
}

const b64 = (s: string) => Buffer.from(s, "base64url");
const enc = (b: Buffer | string) => Buffer.from(b).toString("base64url");

function parseJSONObject(name: string, text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new BuiltinError(name, `failed to parse JWT ${what}: not JSON`);
  }
  if (typeOf(v) !== "object") throw new BuiltinError(name, `JWT ${what} must be an object`);
  return v as Record<string, unknown>;
}

function decodeToken(name: string, token: string): Decoded {
  const parts = token.split(".");
  if (parts.length === 5) throw new BuiltinError(name, "JWT is a JWE object, which is not supported");
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) throw new BuiltinError(name, "encoded JWT had no period separators or invalid characters");
  const header = parseJSONObject(name, b64(parts[0]).toString("utf8"), "header");
  if ("enc" in header) throw new BuiltinError(name, "JWT is a JWE object, which is not supported");
  let payloadText = b64(parts[1]).toString("utf8");
  if (header.cty === "JWT" && payloadText.startsWith('"')) {
    // OPA's encoder wraps the inner token as a JSON string.
    try {
      payloadText = JSON.parse(payloadText) as string;
    } catch {
      throw new BuiltinError(name, "nested JWT payload is not a token");
    }
  }
  const payload = header.cty === "JWT" ? payloadText : parseJSONObject(name, payloadText, "payload");
  return { header, payload, payloadText, signature: b64(parts[2]), signingInput: `${parts[0]}.${parts[1]}` };
}

type Family = "HS" | "RS" | "PS" | "ES" | "EdDSA";

function algorithm(alg: string): { family: Family; hash: string; size: number } | undefined {
  if (alg === "EdDSA") return { family: "EdDSA", hash: "", size: 0 };
  const m = /^(HS|RS|PS|ES)(256|384|512)$/.exec(alg);
  if (!m) return undefined;
  const size = Number(m[2]);
  return { family: m[1] as Family, hash: `sha${size}`, size };
}

/** All public keys in a PEM certificate / PEM key / JWK / JWK set string, with their JWK alg/kid if any. */
function publicKeys(name: string, material: string): { key: KeyObject; alg?: string; kid?: string }[] {
  const text = material.trim();
  if (text.startsWith("-----BEGIN")) {
    const end = /-----END [A-Z0-9 ]+-----/.exec(text);
    if (end && text.slice(end.index + end[0].length).trim() !== "") throw new BuiltinError(name, "extra data after a PEM certificate block");
    try {
      return [{ key: createPublicKey(text) }];
    } catch {
      throw new BuiltinError(name, "failed to parse a PEM certificate or public key");
    }
  }
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw new BuiltinError(name, "failed to parse a JWK key (set)");
  }
  const list = typeOf(jwk) === "object" && Array.isArray((jwk as { keys?: unknown }).keys) ? (jwk as { keys: unknown[] }).keys : [jwk];
  return list.map((k) => {
    try {
      const j = k as Record<string, unknown>;
      return { key: createPublicKey({ key: j as any, format: "jwk" }), alg: j.alg as string | undefined, kid: j.kid as string | undefined };
    } catch {
      throw new BuiltinError(name, "failed to parse a JWK key");
    }
  });
}

function verifyWith(alg: string, key: KeyObject | string, input: string, signature: Buffer): boolean {
  const a = algorithm(alg);
  if (!a) return false;
  try {
    if (a.family === "HS") {
      if (typeof key !== "string") return false;
      const mac = createHmac(a.hash, Buffer.from(key, "utf8")).update(input).digest();
      return mac.length === signature.length && timingSafeEqual(mac, signature);
    }
    if (typeof key === "string") return false;
    if (a.family === "EdDSA") return key.asymmetricKeyType === "ed25519" && verify(null, Buffer.from(input), key, signature);
    if (a.family === "ES") return key.asymmetricKeyType === "ec" && verify(a.hash, Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }, signature);
    if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "rsa-pss") return false;
    if (a.family === "PS") {
      return verify(a.hash, Buffer.from(input), { key, padding: 6 /* RSA_PKCS1_PSS_PADDING */, saltLength: -2 /* auto */ }, signature);
    }
    return verify(a.hash, Buffer.from(input), key, signature);
  } catch {
    return false;
  }
}

/** io.jwt.verify_<alg>(token, key-or-secret). */
function verifier(alg: string) {
  const name = `io.jwt.verify_${alg.toLowerCase()}`;
  return (token: unknown, material: unknown): boolean => {
    const t = str(name, token, 1);
    const m = str(name, material, 2);
    const parts = t.split(".");
    if (parts.length !== 3) throw new BuiltinError(name, "encoded JWT had no period separators");
    const input = `${parts[0]}.${parts[1]}`;
    const sig = b64(parts[2]);
    if (alg.startsWith("HS")) return verifyWith(alg, m, input, sig);
    return publicKeys(name, m).some((k) => verifyWith(alg, k.key, input, sig));
  };
}

export function jwtDecode(token: unknown): unknown[] {
  let d = decodeToken("io.jwt.decode", str("io.jwt.decode", token, 1));
  // A nested token (cty: JWT) carries another token as its payload; report the innermost one.
  while (typeof d.payload === "string") d = decodeToken("io.jwt.decode", d.payload);
  return [d.header, d.payload, d.signature.toString("hex")];
}

const INVALID = [false, {}, {}];

export function jwtDecodeVerify(token: unknown, constraints: unknown): unknown[] {
  const name = "io.jwt.decode_verify";
  let current = str(name, token, 1);
  const c = obj(name, constraints, 2);
  for (const k of Object.keys(c)) {
    if (!["cert", "secret", "alg", "iss", "aud", "time"].includes(k)) throw new BuiltinError(name, `unknown token validation constraint: ${k}`);
  }
  const hasCert = typeof c.cert === "string";
  const hasSecret = typeof c.secret === "string";
  if (hasCert === hasSecret) throw new BuiltinError(name, "exactly one of cert or secret must be supplied");
  const keys = hasCert ? publicKeys(name, c.cert as string) : [];

  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  // Nested tokens (cty: JWT) are verified layer by layer; the innermost carries the claims.
  for (;;) {
    const d = decodeToken(name, current);
    const alg = d.header.alg;
    if (typeof alg !== "string" || !algorithm(alg)) return INVALID;
    if (c.alg !== undefined && c.alg !== alg) return INVALID;
    if (Array.isArray(d.header.crit) && d.header.crit.length > 0) return INVALID; // no critical extensions understood
    const ok = hasSecret
      ? verifyWith(alg, c.secret as string, d.signingInput, d.signature)
      : keys.some((k) => (k.alg === undefined || k.alg === alg) && verifyWith(alg, k.key, d.signingInput, d.signature));
    if (!ok) return INVALID;
    if (typeof d.payload === "string") {
      current = d.payload;
      continue;
    }
    header = d.header;
    payload = d.payload;
    break;
  }

  const nowNs = typeof c.time === "number" ? c.time : Date.now() * 1e6;
  for (const claim of ["exp", "nbf"] as const) {
    if (!(claim in payload)) continue;
    const v = payload[claim];
    if (typeof v !== "number") throw new BuiltinError(name, `${claim} value must be a number`);
    if (claim === "exp" && nowNs >= v * 1e9) return INVALID;
    if (claim === "nbf" && nowNs < v * 1e9) return INVALID;
  }
  if (c.iss !== undefined && payload.iss !== c.iss) return INVALID;
  if (c.aud !== undefined) {
    const aud = payload.aud;
    const list = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
    if (!list.includes(c.aud)) return INVALID;
  } else if ("aud" in payload) return INVALID; // a token meant for an audience needs the caller to name it
  return [true, header, payload];
}

/**
 * The signing key of encode_sign(_raw): a JWK, or the first key of a JWK set `{"keys": [...]}`
 * (OPA parses the argument as a set and signs with Keys[0]; an empty `keys` reads as one key).
 */
function signingKey(name: string, jwk: Record<string, unknown>): KeyObject | Buffer {
  const set = jwk.keys;
  if (!Array.isArray(set) || set.length === 0) return privateKey(name, jwk);
  const first: unknown = set[0];
  if (typeOf(first) !== "object") throw new BuiltinError(name, "invalid JWK set: keys[0] is not an object");
  return privateKey(name, first as Record<string, unknown>);
}

function privateKey(name: string, jwk: Record<string, unknown>): KeyObject | Buffer {
  if (jwk.kty === "oct") {
    if (typeof jwk.k !== "string") throw new BuiltinError(name, "oct JWK needs k");
    return b64(jwk.k);
  }
  try {
    return createPrivateKey({ key: jwk as any, format: "jwk" });
  } catch {
    throw new BuiltinError(name, "failed to parse the JWK private key");
  }
}

function signInput(name: string, alg: string, input: string, key: KeyObject | Buffer): string {
  const a = algorithm(alg);
  if (!a) throw new BuiltinError(name, `unknown signature algorithm: ${alg}`);
  if (a.family === "HS") {
    if (!Buffer.isBuffer(key)) throw new BuiltinError(name, "HMAC needs an oct key");
    return enc(createHmac(a.hash, key).update(input).digest());
  }
  if (Buffer.isBuffer(key)) throw new BuiltinError(name, `${alg} needs an asymmetric key`);
  try {
    if (a.family === "EdDSA") return enc(sign(null, Buffer.from(input), key));
    if (a.family === "ES") return enc(sign(a.hash, Buffer.from(input), { key, dsaEncoding: "ieee-p1363" }));
    if (a.family === "PS") return enc(sign(a.hash, Buffer.from(input), { key, padding: 6, saltLength: a.size / 8 }));
    return enc(sign(a.hash, Buffer.from(input), key));
  } catch (err) {
    throw new BuiltinError(name, `signing failed: ${(err as Error).message}`);
  }
}

export function encodeSignRaw(header: unknown, payload: unknown, key: unknown): string {
  const name = "io.jwt.encode_sign_raw";
  const h = str(name, header, 1);
  const p = str(name, payload, 2);
  const k = parseJSONObject(name, str(name, key, 3), "key");
  const parsedHeader = parseJSONObject(name, h, "header");
  const alg = parsedHeader.alg;
  if (typeof alg !== "string") throw new BuiltinError(name, "header has no alg");
  // A JWT (typ absent or JWT) carries a JSON object; other media types may carry anything.
  if (parsedHeader.typ === undefined || String(parsedHeader.typ).toUpperCase() === "JWT") parseJSONObject(name, p, "payload");
  const input = `${enc(h)}.${enc(p)}`;
  return `${input}.${signInput(name, alg, input, signingKey(name, k))}`;
}

export function encodeSign(header: unknown, payload: unknown, key: unknown): string {
  const name = "io.jwt.encode_sign";
  const h = obj(name, header, 1);
  const p = obj(name, payload, 2);
  const k = obj(name, key, 3);
  if (typeof h.alg !== "string") throw new BuiltinError(name, "header has no alg");
  const input = `${enc(goJSON(h))}.${enc(goJSON(p))}`;
  return `${input}.${signInput(name, h.alg, input, signingKey(name, k))}`;
}

const verifiers = Object.fromEntries(
  ["HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"].map((alg) => [
    `io.jwt.verify_${alg.toLowerCase()}`,
    verifier(alg),
  ]),
);

export const jwtBuiltins = {
  "io.jwt.decode": jwtDecode,
  "io.jwt.decode_verify": jwtDecodeVerify,
  "io.jwt.encode_sign": encodeSign,
  "io.jwt.encode_sign_raw": encodeSignRaw,
  ...verifiers,
};
