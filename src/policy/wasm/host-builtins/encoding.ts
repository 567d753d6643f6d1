// base64, base64url, hex and urlquery encodings with Go's strictness (invalid input is an error).
import { BuiltinError, obj, str, typeOf } from "./builtin-error.ts";

const STD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

/** Decode as Go's StdEncoding/URLEncoding: padded, length a multiple of 4, canonical trailing bits. */
function strictBase64(name: string, s: string, url: boolean): Buffer {
  const ok = (url ? URL_SAFE : STD).test(s) && s.length % 4 === 0;
  const buf = Buffer.from(s, url ? "base64url" : "base64");
  if (!ok || buf.toString(url ? "base64url" : "base64").replace(/=+$/, "") !== s.replace(/=+$/, "")) {
    throw new BuiltinError(name, "illegal base64 data");
  }
  return buf;
}

const utf8 = (b: Buffer) => b.toString("utf8");

export function base64Decode(x: unknown): string {
  return utf8(strictBase64("base64.decode", str("base64.decode", x, 1), false));
}

export function base64IsValid(x: unknown): boolean {
  try {
    strictBase64("base64.is_valid", str("base64.is_valid", x, 1), false);
    return true;
  } catch {
    return false;
  }
}

/** base64url.decode accepts padded and unpadded input (OPA pads before decoding). */
export function base64UrlDecode(x: unknown): string {
  const s = str("base64url.decode", x, 1);
  const padded = s.length % 4 === 0 ? s : s + "=".repeat(4 - (s.length % 4));
  return utf8(strictBase64("base64url.decode", padded, true));
}

export function hexDecode(x: unknown): string {
  const s = str("hex.decode", x, 1);
  if (!/^([0-9a-fA-F]{2})*$/.test(s)) throw new BuiltinError("hex.decode", "encoding/hex: invalid byte");
  return utf8(Buffer.from(s, "hex"));
}

/** Go's url.QueryEscape: spaces become '+', everything outside [A-Za-z0-9-_.~] is %XX. */
export function queryEscape(s: string): string {
  return Array.from(Buffer.from(s, "utf8"))
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9\-_.~]/.test(c)) return c;
      if (c === " ") return "+";
      return `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

export function queryUnescape(name: string, s: string): string {
  if (/%(?![0-9a-fA-F]{2})/.test(s)) throw new BuiltinError(name, "invalid URL escape");
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "%") {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (s[i] === "+") bytes.push(0x20);
    else bytes.push(...Buffer.from(s[i], "utf8"));
  }
  return Buffer.from(bytes).toString("utf8");
}

export function encodeObject(x: unknown): string {
  const name = "urlquery.encode_object";
  const o = obj(name, x, 1);
  const parts: string[] = [];
  // Go's url.Values.Encode sorts by key.
  for (const k of Object.keys(o).sort()) {
    const v = o[k];
    const values = typeof v === "string" ? [v] : Array.isArray(v) ? v : undefined;
    if (!values) throw new BuiltinError(name, `operand 1 values must be strings, arrays of strings or sets of strings but got ${typeOf(v)}`);
    for (const item of values) {
      if (typeof item !== "string") throw new BuiltinError(name, "operand 1 values must be strings, arrays of strings or sets of strings");
      parts.push(`${queryEscape(k)}=${queryEscape(item)}`);
    }
  }
  return parts.join("&");
}

export function decodeObject(x: unknown): Record<string, string[]> {
  const name = "urlquery.decode_object";
  const out: Record<string, string[]> = {};
  for (const pair of str(name, x, 1).split(/&/)) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const k = queryUnescape(name, eq < 0 ? pair : pair.slice(0, eq));
    const v = eq < 0 ? "" : queryUnescape(name, pair.slice(eq + 1));
    (out[k] ??= []).push(v);
  }
  return out;
}

export const encodingBuiltins = {
  "base64.encode": (x: unknown) => Buffer.from(str("base64.encode", x, 1), "utf8").toString("base64"),
  "base64.decode": base64Decode,
  "base64.is_valid": base64IsValid,
  "base64url.encode": (x: unknown) => Buffer.from(str("base64url.encode", x, 1), "utf8").toString("base64url").padEnd(Math.ceil(Buffer.byteLength(x as string) / 3) * 4, "="),
  "base64url.encode_no_pad": (x: unknown) => Buffer.from(str("base64url.encode_no_pad", x, 1), "utf8").toString("base64url"),
  "base64url.decode": base64UrlDecode,
  "hex.encode": (x: unknown) => Buffer.from(str("hex.encode", x, 1), "utf8").toString("hex"),
  "hex.decode": hexDecode,
  "urlquery.encode": (x: unknown) => queryEscape(str("urlquery.encode", x, 1)),
  "urlquery.decode": (x: unknown) => queryUnescape("urlquery.decode", str("urlquery.decode", x, 1)),
  "urlquery.encode_object": encodeObject,
  "urlquery.decode_object": decodeObject,
};
