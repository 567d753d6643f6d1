// Windows FILETIME: 100 ns intervals since 1601-01-01 UTC, as AD stores pwdLastSet,
// lastLogonTimestamp, accountExpires and the LAPS expiry attributes (decimal strings).

/** 100 ns ticks between 1601-01-01 and 1970-01-01. */
const EPOCH_OFFSET = 116444736000000000n;
/** accountExpires uses both 0 and this value for "never". */
export const FILETIME_NEVER = 0x7fffffffffffffffn;

export type FiletimeValue =
  | { kind: "zero" }
  | { kind: "never" }
  | { kind: "time"; iso: string };

/** Parses the decimal text form; throws RangeError on anything that is not an integer. */
export function parseFiletimeText(text: string): bigint {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) throw new RangeError(`not a FILETIME integer: "${trimmed.slice(0, 30)}"`);
  return BigInt(trimmed);
}

export function decodeFiletime(ticks: bigint): FiletimeValue {
  if (ticks === 0n) return { kind: "zero" };
  if (ticks >= FILETIME_NEVER) return { kind: "never" };
  if (ticks < 0n) throw new RangeError(`negative FILETIME ${ticks}`);
  const ms = (ticks - EPOCH_OFFSET) / 10000n;
  const date = new Date(Number(ms));
  // Snapshot times are RFC 3339 (four-digit years); FILETIME reaches the year 30828, which no
  // account holds: only 0x7FFFFFFFFFFFFFFF means "never".
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() > 9999) {
    throw new RangeError(`FILETIME ${ticks} is after the year 9999 (only ${FILETIME_NEVER} means never)`);
  }
  return { kind: "time", iso: date.toISOString() };
}

/** ISO time, or null for 0 / never. */
export function filetimeToIso(ticks: bigint): string | null {
  const decoded = decodeFiletime(ticks);
  return decoded.kind === "time" ? decoded.iso : null;
}

/** Inverse, for building exports and tests: ISO/Date -> FILETIME ticks. */
export function isoToFiletime(when: string | Date): bigint {
  const ms = typeof when === "string" ? Date.parse(when) : when.getTime();
  return BigInt(ms) * 10000n + EPOCH_OFFSET;
}
