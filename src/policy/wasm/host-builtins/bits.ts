// bits.*: integer bit operations on arbitrary-size integers, as OPA does with math/big.
import { BuiltinError, int } from "./builtin-error.ts";
import { exactInteger } from "./exact-number.ts";

const big = (name: string, v: unknown, pos: number) => BigInt(int(name, v, pos));

function shiftCount(name: string, v: unknown): bigint {
  const n = int(name, v, 2);
  if (n < 0) throw new BuiltinError(name, "operand 2 must be an unsigned integer number but got a negative integer");
  return BigInt(n);
}

export const bitsBuiltins = {
  "bits.or": (a: unknown, b: unknown) => exactInteger(big("bits.or", a, 1) | big("bits.or", b, 2)),
  "bits.and": (a: unknown, b: unknown) => exactInteger(big("bits.and", a, 1) & big("bits.and", b, 2)),
  "bits.xor": (a: unknown, b: unknown) => exactInteger(big("bits.xor", a, 1) ^ big("bits.xor", b, 2)),
  "bits.negate": (a: unknown) => exactInteger(~big("bits.negate", a, 1)),
  "bits.lsh": (a: unknown, s: unknown) => exactInteger(big("bits.lsh", a, 1) << shiftCount("bits.lsh", s)),
  "bits.rsh": (a: unknown, s: unknown) => exactInteger(big("bits.rsh", a, 1) >> shiftCount("bits.rsh", s)),
};
