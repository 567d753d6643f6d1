// Object builtins. Sets arrive as arrays, so object.subset treats a collection operand as a set
// of elements (OPA treats two arrays as "contiguous sub-array"; that distinction is lost in JSON).
import { BuiltinError, arr, obj, typeOf } from "./builtin-error.ts";
import { canonicalKey, regoEqual } from "./rego-equal.ts";

function isObject(v: unknown): v is Record<string, unknown> {
  return typeOf(v) === "object";
}

function subset(sup: unknown, sub: unknown): boolean {
  if (isObject(sup) && isObject(sub)) {
    return Object.keys(sub).every((k) => {
      if (!(k in sup)) return false;
      const a = sup[k];
      const b = sub[k];
      if ((isObject(a) && isObject(b)) || (Array.isArray(a) && Array.isArray(b))) return subset(a, b);
      return regoEqual(a, b);
    });
  }
  if (Array.isArray(sup) && Array.isArray(sub)) {
    const have = new Set(sup.map(canonicalKey));
    return sub.every((v) => have.has(canonicalKey(v)));
  }
  return regoEqual(sup, sub);
}

export function objectSubset(sup: unknown, sub: unknown): boolean {
  const name = "object.subset";
  const kind = (v: unknown, pos: number) => {
    if (!isObject(v) && !Array.isArray(v)) throw new BuiltinError(name, `operand ${pos} must be one of {object, set, array} but got ${typeOf(v)}`);
  };
  kind(sup, 1);
  kind(sub, 2);
  if (isObject(sup) !== isObject(sub)) throw new BuiltinError(name, "both arguments must be objects, or sets/arrays");
  return subset(sup, sub);
}

/** Keys as they arrive: an array/set of keys, or an object whose keys are the keys. */
function keyList(name: string, v: unknown, pos: number): unknown[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.keys(v);
  throw new BuiltinError(name, `operand ${pos} must be one of {object, set, array} but got ${typeOf(v)}`);
}

export function objectGet(o: unknown, key: unknown, fallback: unknown): unknown {
  let cur: unknown = obj("object.get", o, 1);
  const path = Array.isArray(key) ? key : [key];
  for (const k of path) {
    if (isObject(cur) && typeof k === "string" && Object.hasOwn(cur, k)) cur = cur[k];
    else if (Array.isArray(cur) && typeof k === "number" && Number.isInteger(k) && k >= 0 && k < cur.length) cur = cur[k];
    else return fallback;
  }
  return cur;
}

export function objectRemove(o: unknown, keys: unknown): Record<string, unknown> {
  const src = obj("object.remove", o, 1);
  const drop = new Set(keyList("object.remove", keys, 2).filter((k) => typeof k === "string") as string[]);
  return Object.fromEntries(Object.entries(src).filter(([k]) => !drop.has(k)));
}

export function objectFilter(o: unknown, keys: unknown): Record<string, unknown> {
  const src = obj("object.filter", o, 1);
  const keep = new Set(keyList("object.filter", keys, 2).filter((k) => typeof k === "string") as string[]);
  return Object.fromEntries(Object.entries(src).filter(([k]) => keep.has(k)));
}

/** Recursive merge; on conflict b wins, objects merge. */
function union(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = isObject(prev) && isObject(v) ? union(prev, v) : v;
  }
  return out;
}

export function objectUnion(a: unknown, b: unknown): Record<string, unknown> {
  return union(obj("object.union", a, 1), obj("object.union", b, 2));
}

export function objectUnionN(objects: unknown): Record<string, unknown> {
  const list = arr("object.union_n", objects, 1);
  let out: Record<string, unknown> = {};
  for (const o of list) {
    if (!isObject(o)) throw new BuiltinError("object.union_n", `operand 1 must be array of objects but got array containing ${typeOf(o)}`);
    out = union(out, o);
  }
  return out;
}

export function objectKeys(o: unknown): string[] {
  return Object.keys(obj("object.keys", o, 1)).sort();
}

export const objectBuiltins = {
  "object.subset": objectSubset,
  "object.get": objectGet,
  "object.remove": objectRemove,
  "object.filter": objectFilter,
  "object.union": objectUnion,
  "object.union_n": objectUnionN,
  "object.keys": objectKeys,
};
