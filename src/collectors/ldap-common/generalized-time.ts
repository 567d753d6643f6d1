// X.680 GeneralizedTime as LDAP carries it (RFC 4517 3.3.13): YYYYMMDDHH[MM[SS]][(.|,)frac](Z|+hhmm|-hhmm).
// AD writes `20240115103000.0Z`; OpenLDAP writes `20240115103000Z` (pwdChangedTime) and may
// keep fractions (`...00.123456Z`).

const PATTERN = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{2}(?:\d{2})?)$/;

/** Returns the instant as an ISO 8601 UTC string (millisecond precision); throws RangeError. */
export function parseGeneralizedTime(text: string): string {
  const m = PATTERN.exec(text.trim());
  if (!m) throw new RangeError(`not a generalized time: "${text.slice(0, 40)}"`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    throw new RangeError(`generalized time out of range: "${text}"`);
  }
  // The fraction applies to the last unit present (hour, minute or second).
  const unitMs = s !== undefined ? 1000 : mi !== undefined ? 60_000 : 3_600_000;
  const fracMs = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * unitMs);
  // Date.UTC reads years 0-99 as 1900-1999; setUTCFullYear takes the year as written.
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, Math.min(second, 59)));
  date.setUTCFullYear(year);
  if (date.getUTCDate() !== day) {
    throw new RangeError(`generalized time has no such day: "${text}"`);
  }
  let ms = date.getTime() + fracMs;
  if (zone !== "Z") {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMinutesPart = zone.length > 3 ? Number(zone.slice(3, 5)) : 0;
    if (offsetHours > 23 || offsetMinutesPart > 59) throw new RangeError(`generalized time offset out of range: "${text}"`);
    const sign = zone[0] === "-" ? -1 : 1;
    ms -= sign * (offsetHours * 60 + offsetMinutesPart) * 60_000;
  }
  const instant = new Date(ms);
  // Snapshot times are RFC 3339: four-digit years (an offset can push 9999-12-31 past them).
  if (instant.getUTCFullYear() > 9999 || instant.getUTCFullYear() < 0) throw new RangeError(`generalized time out of range: "${text}"`);
  return instant.toISOString();
}

/** Inverse for building exports and tests: Date -> `YYYYMMDDHHMMSS.0Z` (AD style). */
export function formatGeneralizedTime(date: Date, fraction = true): string {
  const iso = date.toISOString();
  const digits = iso.slice(0, 19).replace(/[-T:]/g, "");
  return fraction ? `${digits}.0Z` : `${digits}Z`;
}
