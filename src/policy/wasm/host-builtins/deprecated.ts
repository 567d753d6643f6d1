// Builtins OPA 1.x still declares but marks deprecated (cast_*, set_diff) and trace: implemented
// with OPA's semantics so that v0 policies that call them run unchanged.
import { BuiltinError, typeOf } from "./builtin-error.ts";
import { toSet } from "./rego-order.ts";
import { isRegoSet } from "./set-codec.ts";

function cast(name: string, want: string, ok: (v: unknown) => boolean) {
  return (v: unknown): unknown => {
    if (!ok(v)) throw new BuiltinError(name, `operand 1 must be ${want} but got ${typeOf(v)}`);
    return v;
  };
}

/** An array or a set operand (sets arrive as marked arrays, see set-codec.ts). */
function collection(name: string, v: unknown, pos: number): unknown[] {
  if (!Array.isArray(v)) throw new BuiltinError(name, `operand ${pos} must be one of {array, set} but got ${typeOf(v)}`);
  return v;
}

function set(name: string, v: unknown, pos: number): unknown[] {
  if (!isRegoSet(v)) throw new BuiltinError(name, `operand ${pos} must be set but got ${Array.isArray(v) ? "array" : typeOf(v)}`);
  return v as unknown[];
}

export const deprecatedBuiltins = {
  // OPA's casts.go: a set becomes the array of its elements (in order), an array stays; the
  // result is a new array, so the module does not get the set back.
  "cast_array": (v: unknown): unknown[] => [...collection("cast_array", v, 1)],
  // An array becomes the set of its distinct elements, a set stays a set.
  "cast_set": (v: unknown): unknown[] => toSet(collection("cast_set", v, 1)),
  "cast_boolean": cast("cast_boolean", "boolean", (v) => typeof v === "boolean"),
  "cast_null": cast("cast_null", "null", (v) => v === null),
  "cast_object": cast("cast_object", "object", (v) => typeOf(v) === "object"),
  "cast_string": cast("cast_string", "string", (v) => typeof v === "string"),
  "set_diff": (a: unknown, b: unknown): unknown[] => {
    const xs = set("set_diff", a, 1);
    const ys = new Set(set("set_diff", b, 2).map((y) => JSON.stringify(y)));
    return toSet(xs.filter((x) => !ys.has(JSON.stringify(x))));
  },
  // OPA emits the note into the evaluation trace (explain mode); evaluation goes on.
  "trace": (note: unknown): boolean => {
    if (typeof note !== "string") throw new BuiltinError("trace", `operand 1 must be string but got ${typeOf(note)}`);
    return true;
  },
};
