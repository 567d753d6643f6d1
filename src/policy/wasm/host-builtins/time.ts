// time.* builtins after OPA's topdown/time.go: nanosecond timestamps (int64 range), Go layouts,
// IANA zones. Timestamps beyond 2^53 arrive as exact bigints (they take exact integers, see
// index.ts); results are exact.
import { BuiltinError, arr, int, num, str, typeOf } from "./builtin-error.ts";
import { parseDurationNs } from "./duration.ts";
import { perEvaluation } from "./evaluation-scope.ts";
import { exactInteger } from "./exact-number.ts";
import { NAMED_LAYOUTS, formatLayout, parseLayout } from "./time-layout.ts";
import { checkZone, civil, fromCivil, utcMs } from "./time-zone.ts";

const MIN_NS = -(2n ** 63n);
const MAX_NS = 2n ** 63n - 1n;

function inRange(name: string, ns: bigint): bigint {
  if (ns < MIN_NS || ns > MAX_NS) throw new BuiltinError(name, "time outside of valid range");
  return ns;
}

function nsOperand(name: string, v: unknown, pos: number): bigint {
  const b = typeof v === "bigint" ? v : BigInt(Math.trunc(num(name, v, pos)));
  if (typeof v === "number" && b === 2n ** 63n) return MAX_NS; // 2^63-1 rounds up to 2^63 as a double
  if (b < MIN_NS || b > MAX_NS) throw new BuiltinError(name, "timestamp too big");
  return b;
}

/** `ns` or `[ns, zone]` (or `[ns, zone, layout]` for time.format). */
function timeOperand(name: string, v: unknown, pos: number): { ns: bigint; zone: string; layout?: string } {
  if (typeOf(v) === "number") return { ns: nsOperand(name, v, pos), zone: "UTC" };
  const a = arr(name, v, pos);
  if (a.length < 2 || a.length > 3) throw new BuiltinError(name, `operand ${pos} must be array of length 2 or 3`);
  const zone = checkZone(name, str(name, a[1], pos));
  const layout = a.length === 3 ? str(name, a[2], pos) : undefined;
  return { ns: nsOperand(name, a[0], pos), zone, layout };
}

export function nowNs(): number | ArrayBuffer {
  const ns = perEvaluation("time.now_ns", () => BigInt(Date.now()) * 1_000_000n + (process.hrtime.bigint() % 1_000_000n));
  return exactInteger(ns);
}

function parseWith(name: string, layout: string, value: string): bigint {
  const p = parseLayout(layout, value);
  if (typeof p === "string") throw new BuiltinError(name, p);
  const utc = fromCivil({ ...p }, "UTC");
  return inRange(name, utc - BigInt(p.offsetSeconds ?? 0) * 1_000_000_000n);
}

export function parseNs(layout: unknown, value: unknown): number | ArrayBuffer {
  const l = str("time.parse_ns", layout, 1);
  return exactInteger(parseWith("time.parse_ns", NAMED_LAYOUTS[l] ?? l, str("time.parse_ns", value, 2)));
}

export function parseRfc3339Ns(value: unknown): number | ArrayBuffer {
  return exactInteger(parseWith("time.parse_rfc3339_ns", NAMED_LAYOUTS.RFC3339, str("time.parse_rfc3339_ns", value, 1)));
}

export function parseDuration(x: unknown): number | ArrayBuffer {
  return exactInteger(parseDurationNs("time.parse_duration_ns", str("time.parse_duration_ns", x, 1)));
}

export function date(x: unknown): number[] {
  const t = timeOperand("time.date", x, 1);
  const c = civil(t.ns, t.zone);
  return [c.year, c.month, c.day];
}

export function clock(x: unknown): number[] {
  const t = timeOperand("time.clock", x, 1);
  const c = civil(t.ns, t.zone);
  return [c.hour, c.minute, c.second];
}

export function weekday(x: unknown): string {
  const t = timeOperand("time.weekday", x, 1);
  return ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][civil(t.ns, t.zone).weekday];
}

export function addDate(x: unknown, years: unknown, months: unknown, days: unknown): number | ArrayBuffer {
  const name = "time.add_date";
  const ns = nsOperand(name, x, 1);
  const c = civil(ns, "UTC");
  const out = fromCivil(
    { ...c, year: c.year + int(name, years, 2), month: c.month + int(name, months, 3), day: c.day + int(name, days, 4) },
    "UTC",
  );
  return exactInteger(inRange(name, out));
}

export function diff(a: unknown, b: unknown): number[] {
  const name = "time.diff";
  const x = timeOperand(name, a, 1);
  const y = timeOperand(name, b, 2);
  let [t1, t2] = [x.ns, y.ns];
  if (t1 > t2) [t1, t2] = [t2, t1];
  const c1 = civil(t1, x.zone);
  const c2 = civil(t2, x.zone); // both in the first operand's zone, as OPA does
  let year = c2.year - c1.year;
  let month = c2.month - c1.month;
  let day = c2.day - c1.day;
  let hour = c2.hour - c1.hour;
  let min = c2.minute - c1.minute;
  let sec = c2.second - c1.second;
  if (sec < 0) { sec += 60; min--; }
  if (min < 0) { min += 60; hour--; }
  if (hour < 0) { hour += 24; day--; }
  if (day < 0) {
    // Days of c1's month: day 32 of it overflows into the next month by (32 - length).
    const overflow = new Date(utcMs(c1.year, c1.month - 1, 32)).getUTCDate();
    day += 32 - overflow;
    month--;
  }
  if (month < 0) { month += 12; year--; }
  return [year, month, day, hour, min, sec];
}

export function format(x: unknown): string {
  const name = "time.format";
  if (typeOf(x) !== "number" && typeOf(x) !== "array") throw new BuiltinError(name, `operand 1 must be one of {number, array} but got ${typeOf(x)}`);
  const t = timeOperand(name, x, 1);
  const layout = t.layout === undefined ? NAMED_LAYOUTS.RFC3339Nano : (NAMED_LAYOUTS[t.layout] ?? t.layout);
  return formatLayout(layout, civil(t.ns, t.zone));
}

export const timeBuiltins = {
  "time.now_ns": nowNs,
  "time.parse_ns": parseNs,
  "time.parse_rfc3339_ns": parseRfc3339Ns,
  "time.parse_duration_ns": parseDuration,
  "time.date": date,
  "time.clock": clock,
  "time.weekday": weekday,
  "time.add_date": addDate,
  "time.diff": diff,
  "time.format": format,
};
