// Builtins OPA 1.x still declares but marks deprecated (cast_*, set_diff) and trace: implemented
// with OPA's semantics so that v0 policies that call them run unchanged.
import { BuiltinError, arr, typeOf } from "./builtin-error.ts";

function cast(name: string, want: string, ok: (v: unknown) => boolean) {
  return (v: unknown): unknown => {
    if (!ok(v)) throw new BuiltinError(name, `operand 1 must be ${want} but got ${typeOf(v)}`);
    return v;
  };
}

export const deprecatedBuiltins = {
  "cast_array": cast("cast_array", "array", Array.isArray),
  // Sets arrive as arrays, so a set cast to a set is the same JSON.
  "cast_set": cast("cast_set", "set", Array.isArray),
  "cast_boolean": cast("cast_boolean", "boolean", (v) => typeof v === "boolean"),
  "cast_null": cast("cast_null", "null", (v) => v === null),
  "cast_object": cast("cast_object", "object", (v) => typeOf(v) === "object"),
  "cast_string": cast("cast_string", "string", (v) => typeof v === "string"),
  "set_diff": (a: unknown, b: unknown): unknown[] => {
    const xs = arr("set_diff", a, 1);
    const ys = new Set(arr("set_diff", b, 2).map((y) => JSON.stringify(y)));
    return xs.filter((x) => !ys.has(JSON.stringify(x)));
  },
  // OPA emits the note into the evaluation trace (explain mode); evaluation goes on.
  "trace": (note: unknown): boolean => {
    if (typeof note !== "string") throw new BuiltinError("trace", `operand 1 must be string but got ${typeOf(note)}`);
    return true;
  },
};
