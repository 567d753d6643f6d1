// Builtins about the runtime rather than values: opa.runtime, rand.intn, uuid.*, semver.*,
// test.sleep, and http.send (see http-send.ts; off by default in credgov's evaluation).
import { randomInt, randomUUID } from "node:crypto";
import { BuiltinError, int, str } from "./builtin-error.ts";
import { perEvaluation } from "./evaluation-scope.ts";
import { httpSend } from "./http-send.ts";
import { parseDurationNs } from "./duration.ts";

export function randIntn(s: unknown, n: unknown): number {
  const key = str("rand.intn", s, 1);
  const max = int("rand.intn", n, 2);
  if (max === 0) return 0;
  const bound = Math.abs(max);
  return perEvaluation(`rand.intn\u0000${key}\u0000${bound}`, () => randomInt(bound));
}

export function uuidRfc4122(s: unknown): string {
  const key = str("uuid.rfc4122", s, 1);
  return perEvaluation(`uuid.rfc4122\u0000${key}`, () => randomUUID());
}

const UUID = /^(?:urn:uuid:)?\{?([0-9a-fA-F]{8})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{4})-?([0-9a-fA-F]{12})\}?$/;
const GREGORIAN_OFFSET_100NS = 122192928000000000n; // 1582-10-15 to 1970-01-01 in 100 ns ticks

/** uuid.parse: the fields google/uuid exposes, as OPA reports them. */
export function uuidParse(x: unknown): Record<string, unknown> {
  const m = UUID.exec(str("uuid.parse", x, 1));
  if (!m) throw new BuiltinError("uuid.parse", "invalid UUID");
  const hex = m.slice(1).join("");
  const bytes = Buffer.from(hex, "hex");
  const version = bytes[6] >> 4;
  const v = bytes[8];
  const variant = (v & 0xc0) === 0x80 ? "RFC4122" : (v & 0xe0) === 0xc0 ? "Microsoft" : (v & 0xe0) === 0xe0 ? "Future" : "Reserved";
  const out: Record<string, unknown> = { version, variant };
  if (version === 1 || version === 2) {
    const timeLow = BigInt(bytes.readUInt32BE(0));
    const timeMid = BigInt(bytes.readUInt16BE(4));
    const timeHi = BigInt(bytes.readUInt16BE(6) & 0x0fff);
    // google/uuid reads the time fields the same way for v1 and v2 (v2's time_low is the local id).
    const ticks = (timeHi << 48n) | (timeMid << 32n) | timeLow;
    out.time = Number((ticks - GREGORIAN_OFFSET_100NS) * 100n);
    out.clocksequence = ((bytes[8] & 0x3f) << 8) | bytes[9];
    out.nodeid = [...bytes.subarray(10)].map((b) => b.toString(16).padStart(2, "0")).join("-");
    out.macvariables = `${bytes[10] & 0x02 ? "local" : "global"}:${bytes[10] & 0x01 ? "multicast" : "unicast"}`;
    if (version === 2) {
      out.id = Number(timeLow);
      out.domain = ["Person", "Group", "Org"][bytes[9]] ?? `Domain${bytes[9]}`;
    }
  }
  return out;
}

const SEMVER = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function semver(name: string, v: unknown, pos: number): RegExpExecArray {
  const s = str(name, v, pos);
  const m = SEMVER.exec(s);
  if (!m || s.startsWith("v")) throw new BuiltinError(name, `operand ${pos}: string ${JSON.stringify(s)} is not a valid SemVer`);
  return m;
}

/** SemVer 2.0.0 precedence; build metadata is ignored. */
export function semverCompare(a: unknown, b: unknown): number {
  const x = semver("semver.compare", a, 1);
  const y = semver("semver.compare", b, 2);
  for (let i = 1; i <= 3; i++) {
    const d = BigInt(x[i]) - BigInt(y[i]);
    if (d !== 0n) return d < 0n ? -1 : 1;
  }
  const px = x[4]?.split(".");
  const py = y[4]?.split(".");
  if (!px || !py) return px ? -1 : py ? 1 : 0;
  for (let i = 0; i < Math.min(px.length, py.length); i++) {
    const nx = /^\d+$/.test(px[i]);
    const ny = /^\d+$/.test(py[i]);
    if (nx && ny) {
      const d = BigInt(px[i]) - BigInt(py[i]);
      if (d !== 0n) return d < 0n ? -1 : 1;
    } else if (nx !== ny) return nx ? -1 : 1;
    else if (px[i] !== py[i]) return px[i] < py[i] ? -1 : 1;
  }
  return Math.sign(px.length - py.length);
}

export function semverIsValid(x: unknown): boolean {
  return typeof x === "string" && !x.startsWith("v") && SEMVER.test(x);
}

export function testSleep(d: unknown): null {
  const ns = parseDurationNs("test.sleep", str("test.sleep", d, 1));
  const ms = Number(ns / 1_000_000n);
  // Builtins are synchronous; Atomics.wait is the blocking sleep Node offers.
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  return null;
}


export const miscBuiltins = {
  // OPA answers with the runtime information its embedder configured, {} when none (as for
  // OPA used as a library, and in OPA's conformance cases); credgov configures none. Off by
  // default (--allow-builtin opa.runtime) since an embedder's answer would expose its environment.
  "opa.runtime": () => ({}),
  "rand.intn": randIntn,
  "uuid.rfc4122": uuidRfc4122,
  "uuid.parse": uuidParse,
  "semver.compare": semverCompare,
  "semver.is_valid": semverIsValid,
  "test.sleep": testSleep,
  "http.send": httpSend,
};
