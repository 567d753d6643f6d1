// The "date-time" format (RFC 3339) with a fast path for the form APIs send
// (`2024-05-01T10:00:00Z`, `2024-05-01T10:00:00.1234567Z`): collectors check every timestamp of
// 100k+ items, and ajv-formats' check splits the string and runs two regular expressions.
// Anything not in that form goes to ajv-formats' own check, so the format accepts exactly what
// ajv-formats accepts.

const daysInMonth = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const digit = (s: string, i: number) => {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1;
};
const twoDigits = (s: string, i: number) => {
  const a = digit(s, i);
  const b = digit(s, i + 1);
  return a < 0 || b < 0 ? -1 : a * 10 + b;
};

/** True for a valid `YYYY-MM-DDTHH:MM:SS[.fraction]Z`; false when the string is not in that form (or not valid). */
export function isUtcDateTime(s: string): boolean {
  const n = s.length;
  if (n < 20 || s[4] !== "-" || s[7] !== "-" || s[10] !== "T" || s[13] !== ":" || s[16] !== ":" || s[n - 1] !== "Z") return false;
  const high = twoDigits(s, 0);
  const low = twoDigits(s, 2);
  const month = twoDigits(s, 5);
  const day = twoDigits(s, 8);
  const hour = twoDigits(s, 11);
  const minute = twoDigits(s, 14);
  const second = twoDigits(s, 17);
  if (high < 0 || low < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (n > 20) {
    // A fraction: a dot and at least one digit before the Z.
    if (s[19] !== "." || n === 21) return false;
    for (let i = 20; i < n - 1; i++) if (digit(s, i) < 0) return false;
  }
  const year = high * 100 + low;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : daysInMonth[month]);
}

/** ajv-formats' date-time check with the fast path in front. */
export function withFastDateTime(full: (value: string) => boolean): (value: string) => boolean {
  return (value) => isUtcDateTime(value) || full(value);
}
