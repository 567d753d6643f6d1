// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00") for time.format and time.parse_ns:
// the layout is cut into chunks the way Go's nextStdChunk does, then printed or parsed.
import type { Civil } from "./time-zone.ts";

export const NAMED_LAYOUTS: Record<string, string> = {
  ANSIC: "Mon Jan _2 15:04:05 2006",
  UnixDate: "Mon Jan _2 15:04:05 MST 2006",
  RubyDate: "Mon Jan 02 15:04:05 -0700 2006",
  RFC822: "02 Jan 06 15:04 MST",
  RFC822Z: "02 Jan 06 15:04 -0700",
  RFC850: "Monday, 02-Jan-06 15:04:05 MST",
  RFC1123: "Mon, 02 Jan 2006 15:04:05 MST",
  RFC1123Z: "Mon, 02 Jan 2006 15:04:05 -0700",
  RFC3339: "2006-01-02T15:04:05Z07:00",
  RFC3339Nano: "2006-01-02T15:04:05.999999999Z07:00",
  Kitchen: "3:04PM",
  Stamp: "Jan _2 15:04:05",
  StampMilli: "Jan _2 15:04:05.000",
  StampMicro: "Jan _2 15:04:05.000000",
  StampNano: "Jan _2 15:04:05.000000000",
  DateTime: "2006-01-02 15:04:05",
  DateOnly: "2006-01-02",
  TimeOnly: "15:04:05",
};

type Chunk = { lit: string } | { std: string; digits?: number };

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/** Split a layout into literal text and std chunks, in Go's precedence order. */
export function chunks(layout: string): Chunk[] {
  const out: Chunk[] = [];
  let lit = "";
  const push = (c: Chunk) => {
    if (lit) out.push({ lit });
    lit = "";
    out.push(c);
  };
  const tokens = [
    "January", "Jan", "Monday", "Mon", "MST", "2006", "002", "__2", "_2", "15",
    "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07", "-07:00:00", "-070000", "-07:00", "-0700", "-07",
    "01", "02", "03", "04", "05", "06", "PM", "pm", "1", "2", "3", "4", "5",
  ];
  for (let i = 0; i < layout.length; ) {
    const c = layout[i];
    if ((c === "." || c === ",") && (layout[i + 1] === "0" || layout[i + 1] === "9")) {
      const d = layout[i + 1];
      let j = i + 1;
      while (layout[j] === d) j++;
      if (!isDigit(layout[j])) {
        push({ std: d === "0" ? "frac0" : "frac9", digits: j - i - 1 });
        i = j;
        continue;
      }
    }
    const tok = tokens.find((t) => layout.startsWith(t, i));
    // "Jan"/"Mon" must not be the start of a longer lowercase word ("Monthly").
    if (tok && !((tok === "Jan" || tok === "Mon") && /[a-z]/.test(layout[i + 3] ?? "") && !layout.startsWith(tok === "Jan" ? "January" : "Monday", i))) {
      push({ std: tok });
      i += tok.length;
    } else {
      lit += c;
      i++;
    }
  }
  if (lit) out.push({ lit });
  return out;
}

const pad = (n: number, w: number) => String(Math.abs(n)).padStart(w, "0");

function zoneText(std: string, offset: number, abbrev: string): string {
  if (std.startsWith("Z") && offset === 0) return "Z";
  const sign = offset < 0 ? "-" : "+";
  const a = Math.abs(offset);
  const h = pad(Math.floor(a / 3600), 2);
  const m = pad(Math.floor((a % 3600) / 60), 2);
  const s = pad(a % 60, 2);
  const form = std.slice(1);
  if (std === "MST") return abbrev;
  if (form === "07") return `${sign}${h}`;
  if (form === "0700") return `${sign}${h}${m}`;
  if (form === "07:00") return `${sign}${h}:${m}`;
  if (form === "070000") return `${sign}${h}${m}${s}`;
  return `${sign}${h}:${m}:${s}`;
}

export function formatLayout(layout: string, t: Civil): string {
  return chunks(layout)
    .map((c) => {
      if ("lit" in c) return c.lit;
      const h12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
      switch (c.std) {
        case "January": return MONTHS[t.month - 1];
        case "Jan": return MONTHS[t.month - 1].slice(0, 3);
        case "Monday": return DAYS[t.weekday];
        case "Mon": return DAYS[t.weekday].slice(0, 3);
        case "2006": return t.year < 0 ? `-${pad(t.year, 4)}` : pad(t.year, 4);
        case "06": return pad(t.year % 100, 2);
        case "01": return pad(t.month, 2);
        case "1": return String(t.month);
        case "02": return pad(t.day, 2);
        case "_2": return String(t.day).padStart(2, " ");
        case "2": return String(t.day);
        case "002": return pad(t.yday, 3);
        case "__2": return String(t.yday).padStart(3, " ");
        case "15": return pad(t.hour, 2);
        case "03": return pad(h12, 2);
        case "3": return String(h12);
        case "04": return pad(t.minute, 2);
        case "4": return String(t.minute);
        case "05": return pad(t.second, 2);
        case "5": return String(t.second);
        case "PM": return t.hour >= 12 ? "PM" : "AM";
        case "pm": return t.hour >= 12 ? "pm" : "am";
        case "frac0": return `.${pad(t.nanos, 9).slice(0, c.digits)}`;
        case "frac9": {
          const digits = pad(t.nanos, 9).slice(0, c.digits).replace(/0+$/, "");
          return digits ? `.${digits}` : "";
        }
        default: return zoneText(c.std, t.offsetSeconds, t.zoneAbbrev);
      }
    })
    .join("");
}

export interface Parsed {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  nanos: number;
  /** Offset east of UTC when the value named one; undefined means UTC. */
  offsetSeconds?: number;
}

/** Parse `value` against `layout`; returns an error message (Go's wording, roughly) on mismatch. */
export function parseLayout(layout: string, value: string): Parsed | string {
  const r: Parsed = { year: 1, month: 1, day: 1, hour: 0, minute: 0, second: 0, nanos: 0 };
  let pm: boolean | undefined;
  let yday: number | undefined;
  let v = value;
  const bad = (what: string) => `parsing time ${JSON.stringify(value)} as ${JSON.stringify(layout)}: cannot parse ${JSON.stringify(v)} as ${JSON.stringify(what)}`;
  const num = (min: number, max: number, fixed: boolean, what: string): number | string => {
    const m = (fixed ? new RegExp(`^\\d{${max}}`) : new RegExp(`^\\d{${min},${max}}`)).exec(v);
    if (!m) return bad(what);
    v = v.slice(m[0].length);
    return Number(m[0]);
  };
  const list = chunks(layout);
  for (let k = 0; k < list.length; k++) {
    const c = list[k];
    if ("lit" in c) {
      if (!v.startsWith(c.lit)) return bad(c.lit);
      v = v.slice(c.lit.length);
      continue;
    }
    let n: number | string;
    const word = (names: string[], len?: number): number | string => {
      const i = names.findIndex((w) => v.toLowerCase().startsWith((len ? w.slice(0, len) : w).toLowerCase()));
      if (i < 0) return bad(c.std);
      v = v.slice(len ?? names[i].length);
      return i;
    };
    switch (c.std) {
      case "2006": {
        const m = /^[+-]?\d{4}/.exec(v);
        if (!m) return bad("2006");
        r.year = Number(m[0]);
        v = v.slice(m[0].length);
        break;
      }
      case "06": n = num(2, 2, true, "06"); if (typeof n === "string") return n; r.year = n >= 69 ? 1900 + n : 2000 + n; break;
      case "January": n = word(MONTHS); if (typeof n === "string") return n; r.month = n + 1; break;
      case "Jan": n = word(MONTHS, 3); if (typeof n === "string") return n; r.month = n + 1; break;
      case "Monday": n = word(DAYS); if (typeof n === "string") return n; break;
      case "Mon": n = word(DAYS, 3); if (typeof n === "string") return n; break;
      case "01": case "1": n = num(c.std === "01" ? 2 : 1, 2, c.std === "01", c.std); if (typeof n === "string") return n; r.month = n; break;
      case "02": case "2": case "_2":
        if (c.std === "_2" && v[0] === " ") v = v.slice(1);
        n = num(c.std === "02" ? 2 : 1, 2, c.std === "02", c.std); if (typeof n === "string") return n; r.day = n; break;
      case "002": case "__2":
        v = v.replace(/^ {1,2}/, "");
        n = num(1, 3, c.std === "002", c.std); if (typeof n === "string") return n; yday = n; break;
      case "15": n = num(1, 2, false, "15"); if (typeof n === "string") return n; r.hour = n; break;
      case "03": case "3": n = num(c.std === "03" ? 2 : 1, 2, c.std === "03", c.std); if (typeof n === "string") return n; r.hour = n; break;
      case "04": case "4": n = num(c.std === "04" ? 2 : 1, 2, c.std === "04", c.std); if (typeof n === "string") return n; r.minute = n; break;
      case "05": case "5": {
        n = num(c.std === "05" ? 2 : 1, 2, c.std === "05", c.std); if (typeof n === "string") return n; r.second = n;
        // Go accepts a fractional second here even when the layout has none.
        const next = list[k + 1];
        if (/^[.,]\d/.test(v) && !(next && "std" in next && next.std.startsWith("frac"))) {
          const m = /^[.,](\d+)/.exec(v)!;
          r.nanos = Number(m[1].slice(0, 9).padEnd(9, "0"));
          v = v.slice(m[0].length);
        }
        break;
      }
      case "PM": case "pm": {
        const ampm = v.slice(0, 2).toUpperCase();
        if (ampm !== "AM" && ampm !== "PM") return bad(c.std);
        pm = ampm === "PM";
        v = v.slice(2);
        break;
      }
      case "frac0": case "frac9": {
        const m = c.std === "frac0" ? new RegExp(`^[.,](\\d{${c.digits}})`).exec(v) : /^[.,](\d+)/.exec(v);
        if (!m) {
          if (c.std === "frac9") break;
          return bad(c.std);
        }
        r.nanos = Number(m[1].slice(0, 9).padEnd(9, "0"));
        v = v.slice(m[0].length);
        break;
      }
      case "MST": {
        const m = /^([A-Z]{3,5}|[+-]\d{2,4})/.exec(v);
        if (!m) return bad("MST");
        v = v.slice(m[0].length);
        r.offsetSeconds = /^[+-]/.test(m[1]) ? offsetOf(m[1]) : 0; // unknown abbreviations: offset 0, as Go does
        break;
      }
      default: {
        if (c.std.startsWith("Z") && v.startsWith("Z")) {
          v = v.slice(1);
          r.offsetSeconds = 0;
          break;
        }
        const shape = c.std.slice(1).replace(/\d/g, "\\d");
        const m = new RegExp(`^[+-]${shape}`).exec(v);
        if (!m) return bad(c.std);
        v = v.slice(m[0].length);
        r.offsetSeconds = offsetOf(m[0]);
      }
    }
  }
  if (v !== "") return `parsing time ${JSON.stringify(value)}: extra text: ${JSON.stringify(v)}`;
  if (pm !== undefined) {
    if (r.hour > 12) return `parsing time ${JSON.stringify(value)}: hour out of range`;
    if (pm && r.hour < 12) r.hour += 12;
    if (!pm && r.hour === 12) r.hour = 0;
  }
  if (yday !== undefined) {
    const d = new Date(0);
    d.setUTCFullYear(r.year, 0, yday);
    r.month = d.getUTCMonth() + 1;
    r.day = d.getUTCDate();
  }
  const dim = new Date(0);
  dim.setUTCFullYear(r.year, r.month, 0);
  if (r.month < 1 || r.month > 12) return `parsing time ${JSON.stringify(value)}: month out of range`;
  if (r.day < 1 || r.day > dim.getUTCDate()) return `parsing time ${JSON.stringify(value)}: day out of range`;
  if (r.hour > 23 || r.minute > 59 || r.second > 59) return `parsing time ${JSON.stringify(value)}: time out of range`;
  return r;
}

function offsetOf(text: string): number {
  const sign = text[0] === "-" ? -1 : 1;
  const digits = text.slice(1).replace(/:/g, "");
  const h = Number(digits.slice(0, 2));
  const m = Number(digits.slice(2, 4) || "0");
  const s = Number(digits.slice(4, 6) || "0");
  return sign * (h * 3600 + m * 60 + s);
}
