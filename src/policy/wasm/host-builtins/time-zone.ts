// Civil time in an IANA zone (what Go's time.LoadLocation + t.In(loc) give), via Intl.
import { BuiltinError } from "./builtin-error.ts";

export interface Civil {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number; // within the second
  weekday: number; // 0 = Sunday
  yday: number; // 1-366
  offsetSeconds: number;
  zoneAbbrev: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "numeric", second: "numeric", era: "short", timeZoneName: "short",
    });
    formatters.set(zone, f);
  }
  return f;
}

/** "" and "UTC" are UTC; "Local" is the process zone; otherwise an IANA name. */
export function checkZone(builtin: string, zone: string): string {
  const z = zone === "" ? "UTC" : zone === "Local" ? Intl.DateTimeFormat().resolvedOptions().timeZone : zone;
  try {
    formatter(z);
  } catch {
    throw new BuiltinError(builtin, `unknown time zone ${zone}`);
  }
  return z;
}

const NS_PER_MS = 1_000_000n;

export function civil(ns: bigint, zone: string): Civil {
  let ms = ns / NS_PER_MS;
  let rem = ns % NS_PER_MS;
  if (rem < 0n) {
    rem += NS_PER_MS;
    ms -= 1n;
  }
  const msNum = Number(ms);
  let year: number, month: number, day: number, hour: number, minute: number, second: number, abbrev: string;
  if (zone === "UTC") {
    const d = new Date(msNum);
    [year, month, day, hour, minute, second] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()];
    abbrev = "UTC";
  } else {
    const parts = Object.fromEntries(formatter(zone).formatToParts(new Date(msNum)).map((p) => [p.type, p.value]));
    year = Number(parts.year) * (parts.era === "BC" ? -1 : 1) + (parts.era === "BC" ? 1 : 0);
    [month, day, hour, minute, second] = [Number(parts.month), Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second)];
    abbrev = parts.timeZoneName ?? zone;
  }
  const asUTC = utcMs(year, month - 1, day, hour, minute, second);
  const wholeSecondMs = Math.floor(msNum / 1000) * 1000;
  const offsetSeconds = Math.round((asUTC - wholeSecondMs) / 1000);
  const nanos = Number(((ms % 1000n) + 1000n) % 1000n) * 1_000_000 + Number(rem);
  const weekday = new Date(utcMs(year, month - 1, day)).getUTCDay();
  const yday = Math.round((utcMs(year, month - 1, day) - utcMs(year, 0, 1)) / 86_400_000) + 1;
  if (/^GMT[+-]/.test(abbrev) || abbrev === "GMT") abbrev = offsetName(offsetSeconds);
  return { year, month, day, hour, minute, second, nanos, weekday, yday, offsetSeconds, zoneAbbrev: abbrev };
}

/** Go prints zones without an abbreviation as "-0700"-style names ("+03"). */
function offsetName(offset: number): string {
  if (offset === 0) return "UTC";
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(offset);
  const h = String(Math.floor(a / 3600)).padStart(2, "0");
  const m = Math.floor((a % 3600) / 60);
  return `${sign}${h}${m ? String(m).padStart(2, "0") : ""}`;
}

/** Nanoseconds since the epoch of a civil time in `zone` (Go's time.Date, normalising overflow). */
export function fromCivil(c: Omit<Civil, "weekday" | "yday" | "offsetSeconds" | "zoneAbbrev">, zone: string): bigint {
  // setUTCFullYear, unlike Date.UTC, keeps years 0-99 literal; both normalise overflowing fields like Go.
  const d = new Date(0);
  d.setUTCFullYear(c.year, c.month - 1, c.day);
  d.setUTCHours(c.hour, c.minute, c.second, 0);
  let ms = d.getTime();
  if (zone !== "UTC") {
    const offset1 = civil(BigInt(ms) * NS_PER_MS, zone).offsetSeconds;
    const offset2 = civil(BigInt(ms - offset1 * 1000) * NS_PER_MS, zone).offsetSeconds;
    ms -= offset2 * 1000;
  }
  return BigInt(ms) * NS_PER_MS + BigInt(c.nanos);
}

/** Date.UTC without its 0-99 => 1900-1999 year mapping. */
export function utcMs(year: number, monthIndex: number, day = 1, hour = 0, minute = 0, second = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, monthIndex, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}
