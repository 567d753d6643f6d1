// Number conversions and ranges: to_number, format_int, numbers.range(_step).
import { HaltError } from "./halt-error.ts";
import { BuiltinError, int, num, typeOf } from "./builtin-error.ts";

// Go's strconv.ParseFloat accepts these, but OPA rejects them: Rego numbers are finite.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function toNumber(x: unknown): number {
  if (x === null) return 0;
  if (typeof x === "boolean") return x ? 1 : 0;
  if (typeof x === "number") return x;
  if (typeof x === "string") {
    if (!DECIMAL.test(x)) throw new BuiltinError("to_number", `strconv.ParseFloat: parsing ${JSON.stringify(x)}: invalid syntax`);
    const n = Number(x);
    if (!Number.isFinite(n)) throw new BuiltinError("to_number", "value out of range");
    return n;
  }
  throw new BuiltinError("to_number", `operand 1 must be one of {null, boolean, number, string} but got ${typeOf(x)}`);
}

export function formatInt(x: unknown, base: unknown): string {
  const n = num("format_int", x, 1);
  const b = num("format_int", base, 2);
  if (![2, 8, 10, 16].includes(b)) throw new BuiltinError("format_int", "operand 2 must be one of {2, 8, 10, 16}");
  return BigInt(Math.trunc(n)).toString(b);
}

// Ranges are materialised as arrays; cap them so a typo cannot exhaust memory.
const MAX_RANGE = 50_000_000;

function range(name: string, a: number, b: number, step: number): number[] {
  const count = Math.floor(Math.abs(b - a) / step) + 1;
  // Halts evaluation: an error that only made the expression undefined would leave the rule
  // silently empty, and a control built on it could pass.
  if (count > MAX_RANGE) throw new HaltError("eval_builtin_error", `${name}: range of ${count} numbers is larger than the limit of ${MAX_RANGE}`);
  const dir = a <= b ? 1 : -1;
  return Array.from({ length: count }, (_, i) => a + dir * i * step);
}

export function numbersRange(a: unknown, b: unknown): number[] {
  return range("numbers.range", int("numbers.range", a, 1), int("numbers.range", b, 2), 1);
}

export function numbersRangeStep(a: unknown, b: unknown, step: unknown): number[] {
  const name = "numbers.range_step";
  const from = int(name, a, 1);
  const to = int(name, b, 2);
  const s = int(name, step, 3);
  if (s <= 0) throw new BuiltinError(name, "step must be a positive integer");
  return range(name, from, to, s);
}

export const numberBuiltins = {
  to_number: toNumber,
  format_int: formatInt,
  "numbers.range": numbersRange,
  "numbers.range_step": numbersRangeStep,
};
