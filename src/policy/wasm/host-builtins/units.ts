// units.parse and units.parse_bytes, after OPA's topdown/parse_units.go and parse_bytes.go.
import { BuiltinError, str } from "./builtin-error.ts";
import { exactInteger, parseDecimal } from "./exact-number.ts";

const MAX_EXPONENT_DIGITS = 6;

/** Split "10.5GiB" into number and unit the way OPA does (digits, '.', and a scientific exponent). */
function splitNumberAndUnit(builtin: string, s: string): { num: string; unit: string } {
  const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (!isDigit(c) && c !== "." && c !== "e" && c !== "E" && c !== "+" && c !== "-") {
      return i === 0 ? { num: "", unit: s } : { num: s.slice(0, i), unit: s.slice(i) };
    }
    if (c === "e" || c === "E") {
      const next = s[i + 1];
      if (i === s.length - 1 || (!isDigit(next) && next !== "+" && next !== "-")) {
        return i === 0 ? { num: "", unit: s } : { num: s.slice(0, i), unit: s.slice(i) };
      }
      if (next === "+" || next === "-") i++;
      let end = i + 1;
      while (end < s.length && isDigit(s[end])) end++;
      if (end - (i + 1) > MAX_EXPONENT_DIGITS) throw new BuiltinError(builtin, "exponent too large");
    }
  }
  return { num: s, unit: "" };
}

const binary = (power: number) => 1n << BigInt(10 * power);
const decimal = (power: number) => 1000n ** BigInt(power);

const byteUnits: Record<string, bigint> = {
  "": 1n,
  kb: decimal(1), k: decimal(1), kib: binary(1), ki: binary(1),
  mb: decimal(2), m: decimal(2), mib: binary(2), mi: binary(2),
  gb: decimal(3), g: decimal(3), gib: binary(3), gi: binary(3),
  tb: decimal(4), t: decimal(4), tib: binary(4), ti: binary(4),
  pb: decimal(5), p: decimal(5), pib: binary(5), pi: binary(5),
  eb: decimal(6), e: decimal(6), eib: binary(6), ei: binary(6),
};

// units.parse keeps the case of the first letter so that "m" (milli) differs from "M" (mega).
const siUnits: Record<string, bigint> = {
  "": 1n,
  k: decimal(1), K: decimal(1), ki: binary(1), Ki: binary(1),
  M: decimal(2), mi: binary(2), Mi: binary(2),
  g: decimal(3), G: decimal(3), gi: binary(3), Gi: binary(3),
  t: decimal(4), T: decimal(4), ti: binary(4), Ti: binary(4),
  p: decimal(5), P: decimal(5), pi: binary(5), Pi: binary(5),
  e: decimal(6), E: decimal(6), ei: binary(6), Ei: binary(6),
};

/** mantissa*10^exponent*factor/divisor truncated toward zero, exactly. */
function scaled(mantissa: bigint, exponent: number, factor: bigint, divisor: bigint): { int: bigint; exact: boolean } {
  let numerator = mantissa * factor;
  let denominator = divisor;
  if (exponent >= 0) numerator *= 10n ** BigInt(exponent);
  else denominator *= 10n ** BigInt(-exponent);
  return { int: numerator / denominator, exact: numerator % denominator === 0n };
}

export function unitsParseBytes(x: unknown): number | ArrayBuffer {
  const name = "units.parse_bytes";
  const s = str(name, x, 1).toLowerCase().replaceAll('"', "");
  if (s.includes(" ")) throw new BuiltinError(name, "spaces not allowed in resource strings");
  const { num, unit } = splitNumberAndUnit(name, s);
  if (num === "") throw new BuiltinError(name, "no byte amount provided");
  const factor = byteUnits[unit];
  if (factor === undefined) throw new BuiltinError(name, `byte unit ${unit} not recognized`);
  const parsed = parseDecimal(num);
  if (!parsed) throw new BuiltinError(name, "could not parse byte amount to a number");
  return exactInteger(scaled(parsed.mantissa, parsed.exponent, factor, 1n).int);
}

export function unitsParse(x: unknown): number | ArrayBuffer {
  const name = "units.parse";
  const s = str(name, x, 1).replaceAll('"', "");
  if (s.includes(" ")) throw new BuiltinError(name, "spaces not allowed in resource strings");
  const split = splitNumberAndUnit(name, s);
  if (split.num === "") throw new BuiltinError(name, "no amount provided");
  const unit = split.unit.length > 1 ? split.unit[0] + split.unit.slice(1).toLowerCase() : split.unit;
  const milli = unit === "m";
  const factor = milli ? 1n : siUnits[unit];
  if (factor === undefined) throw new BuiltinError(name, `unit ${unit} not recognized`);
  const parsed = parseDecimal(split.num);
  if (!parsed) throw new BuiltinError(name, "could not parse amount to a number");
  const { mantissa, exponent } = parsed;
  const result = scaled(mantissa, exponent, factor, milli ? 1000n : 1n);
  if (result.exact) return exactInteger(result.int);
  // Not an integer: OPA prints 10 decimals, which a double carries as well as JSON can.
  const fraction = scaled(mantissa, exponent, factor * 10n ** 10n, milli ? 1000n : 1n).int;
  return Number(fraction) / 1e10;
}

export const unitsBuiltins = {
  "units.parse": unitsParse,
  "units.parse_bytes": unitsParseBytes,
};
