// A builtin failing the way OPA's builtins fail (bad operand type, unparsable value). The host
// table turns it into "undefined", which is what OPA's Wasm target does with builtin errors.
export class BuiltinError extends Error {
  constructor(builtin: string, message: string) {
    super(`${builtin}: ${message}`);
    this.name = "BuiltinError";
  }
}

type Kind = "string" | "number" | "boolean" | "array" | "object" | "null";

export function typeOf(v: unknown): Kind {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "bigint") return "number"; // an exact integer (set-codec.ts)
  return typeof v as Kind;
}

export function str(builtin: string, v: unknown, pos: number): string {
  if (typeof v !== "string") throw new BuiltinError(builtin, `operand ${pos} must be string but got ${typeOf(v)}`);
  return v;
}

export function num(builtin: string, v: unknown, pos: number): number {
  if (typeof v === "bigint") return Number(v);
  if (typeof v !== "number") throw new BuiltinError(builtin, `operand ${pos} must be number but got ${typeOf(v)}`);
  return v;
}

export function int(builtin: string, v: unknown, pos: number): number {
  const n = num(builtin, v, pos);
  if (!Number.isInteger(n)) throw new BuiltinError(builtin, `operand ${pos} must be integer number but got floating-point number`);
  return n;
}

export function bool(builtin: string, v: unknown, pos: number): boolean {
  if (typeof v !== "boolean") throw new BuiltinError(builtin, `operand ${pos} must be boolean but got ${typeOf(v)}`);
  return v;
}

export function obj(builtin: string, v: unknown, pos: number): Record<string, unknown> {
  if (typeOf(v) !== "object") throw new BuiltinError(builtin, `operand ${pos} must be object but got ${typeOf(v)}`);
  return v as Record<string, unknown>;
}

/** Arrays and sets both arrive as arrays (sets are dumped to JSON arrays by the SDK). */
export function arr(builtin: string, v: unknown, pos: number): unknown[] {
  if (!Array.isArray(v)) throw new BuiltinError(builtin, `operand ${pos} must be array but got ${typeOf(v)}`);
  return v;
}

export function strings(builtin: string, v: unknown, pos: number): string[] {
  const a = arr(builtin, v, pos);
  for (const item of a) {
    if (typeof item !== "string") throw new BuiltinError(builtin, `operand ${pos} must be array of strings but got array containing ${typeOf(item)}`);
  }
  return a as string[];
}
