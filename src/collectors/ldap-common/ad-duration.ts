// AD password and lockout policy durations (maxPwdAge, minPwdAge, lockoutDuration,
// lockOutObservationWindow, msDS-MaximumPasswordAge, ...): NEGATIVE counts of 100 ns
// intervals. The most negative 64-bit value means "never" (no expiry / locked until an admin
// unlocks). Values exceed 2^53, hence BigInt.

export const AD_DURATION_NEVER = -9223372036854775808n;
const TICKS_PER_SECOND = 10_000_000n;

export type AdDuration = { never: true } | { never: false; seconds: number };

/**
 * Parses the decimal text form. The directory keeps these at 0 or below (MS-ADA2 calls maxPwdAge
 * "a negative FILETIME"; msDS-MaximumPasswordAge has rangeUpper 0), so a positive value or one
 * past 64 bits was edited or converted by hand: reading its magnitude would be a guess.
 */
export function decodeAdDuration(text: string): AdDuration {
  const trimmed = text.trim();
  if (!/^-?\d+$/.test(trimmed)) throw new RangeError(`not a duration integer: "${trimmed.slice(0, 30)}"`);
  const ticks = BigInt(trimmed);
  if (ticks > 0n) throw new RangeError(`must be 0 or negative (Active Directory stores an interval as a negative count of 100-ns ticks), got ${trimmed.slice(0, 30)}`);
  if (ticks < AD_DURATION_NEVER) throw new RangeError(`${trimmed.slice(0, 30)} is below the 64-bit range of an interval`);
  if (ticks === AD_DURATION_NEVER) return { never: true };
  const magnitude = -ticks;
  // Whole seconds plus the sub-second remainder keep precision for any realistic value.
  const seconds = Number(magnitude / TICKS_PER_SECOND) + Number(magnitude % TICKS_PER_SECOND) / 1e7;
  return { never: false, seconds };
}

/**
 * Days for a maximum password age: 0 also means "never expires" in AD, and the snapshot
 * uses 0 for never, so both "never" encodings map to 0.
 */
export function maxAgeDays(duration: AdDuration): number {
  return duration.never ? 0 : duration.seconds / 86400;
}

export function durationDays(duration: AdDuration): number | null {
  return duration.never ? null : duration.seconds / 86400;
}

export function durationMinutes(duration: AdDuration): number | null {
  return duration.never ? null : duration.seconds / 60;
}

/** Inverse for building exports and tests: days -> the negative tick count AD stores. */
export function daysToAdDuration(days: number): bigint {
  return -BigInt(Math.round(days * 86400)) * TICKS_PER_SECOND;
}
