// json.patch: RFC 6902 operations (add, remove, replace, move, copy, test) over JSON pointers
// ("/a/b", with ~0 and ~1 escapes; leading slashes optional, as in OPA) or segment arrays. Any failing operation makes the result undefined.
// As in OPA, a set is patched by element: the segment is the element itself (`foo/b` names "b"
// in {"a", "b"}, an array path `[[1], 1]` the element [1] of a set), and `add` puts an element
// in only when its value is that element. Sets the patch does not touch stay sets.
import { BuiltinError, arr, typeOf } from "./builtin-error.ts";
import { regoEqual } from "./rego-equal.ts";
import { isRegoSet, regoSet } from "./set-codec.ts";

const NAME = "json.patch";
const fail = (msg: string): never => {
  throw new BuiltinError(NAME, msg);
};

type Segment = unknown;

function pointer(p: unknown): Segment[] {
  if (Array.isArray(p)) return [...p];
  if (typeof p !== "string") return fail("path must be a string or an array");
  if (p === "") return [];
  // As OPA's parsePath: leading slashes are trimmed (all of them), so "a/b" is "/a/b".
  return p.replace(/^\/+/, "").split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** A deep copy in which sets stay sets (structuredClone would drop their mark). */
function clone(v: unknown): unknown {
  if (Array.isArray(v)) {
    const copy = v.map(clone);
    return isRegoSet(v) ? regoSet(copy) : copy;
  }
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)]));
  return v;
}

const shown = (path: Segment[]): string => path.map((s) => (typeof s === "string" ? s : JSON.stringify(s))).join("/");

function index(list: unknown[], seg: Segment, forInsert: boolean): number {
  if (forInsert && seg === "-") return list.length;
  const text = typeof seg === "number" ? String(seg) : seg;
  if (typeof text !== "string" || !/^(0|[1-9]\d*)$/.test(text)) return fail(`invalid array index ${String(seg)}`);
  const i = Number(text);
  if (i > list.length || (!forInsert && i === list.length)) return fail(`array index ${text} out of range`);
  return i;
}

/** The position of the set element `seg` names, -1 when the set does not hold it. */
const elementAt = (set: unknown[], seg: Segment): number => set.findIndex((e) => regoEqual(e, seg));

const hasKey = (o: unknown, seg: Segment): seg is string => typeOf(o) === "object" && typeof seg === "string" && Object.hasOwn(o as object, seg);

function child(cur: unknown, seg: Segment, path: Segment[]): unknown {
  if (isRegoSet(cur)) {
    const at = elementAt(cur as unknown[], seg);
    return at < 0 ? fail(`path ${shown(path)} does not exist`) : (cur as unknown[])[at];
  }
  if (Array.isArray(cur)) return cur[index(cur, seg, false)];
  if (hasKey(cur, seg)) return (cur as Record<string, unknown>)[seg];
  return fail(`path ${shown(path)} does not exist`);
}

function parentOf(doc: unknown, path: Segment[]): unknown {
  let cur = doc;
  for (const seg of path.slice(0, -1)) cur = child(cur, seg, path);
  return cur;
}

function get(doc: unknown, path: Segment[]): unknown {
  if (path.length === 0) return doc;
  return child(parentOf(doc, path), path.at(-1), path);
}

function add(doc: unknown, path: Segment[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = parentOf(doc, path);
  const last = path.at(-1);
  if (isRegoSet(parent)) {
    if (!regoEqual(last, value)) fail("value does not match the set element the path names");
    if (elementAt(parent as unknown[], last) < 0) (parent as unknown[]).push(value);
  } else if (Array.isArray(parent)) parent.splice(index(parent, last, true), 0, value);
  else if (typeOf(parent) === "object" && typeof last === "string") (parent as Record<string, unknown>)[last] = value;
  else fail(`cannot add to a ${typeOf(parent)} at ${shown(path)}`);
  return doc;
}

function remove(doc: unknown, path: Segment[]): unknown {
  if (path.length === 0) return fail("cannot remove the whole document");
  const parent = parentOf(doc, path);
  const last = path.at(-1);
  if (isRegoSet(parent)) {
    const at = elementAt(parent as unknown[], last);
    if (at < 0) fail(`path ${shown(path)} does not exist`);
    (parent as unknown[]).splice(at, 1);
  } else if (Array.isArray(parent)) parent.splice(index(parent, last, false), 1);
  else if (hasKey(parent, last)) delete (parent as Record<string, unknown>)[last];
  else fail(`path ${shown(path)} does not exist`);
  return doc;
}

export function jsonPatch(document: unknown, patches: unknown): unknown {
  let doc = clone(document);
  for (const p of arr(NAME, patches, 2)) {
    if (typeOf(p) !== "object") fail("each patch must be an object");
    const op = p as Record<string, unknown>;
    const path = pointer(op.path);
    switch (op.op) {
      case "add":
        if (!("value" in op)) fail("add needs a value");
        doc = add(doc, path, clone(op.value));
        break;
      case "remove":
        doc = remove(doc, path);
        break;
      case "replace":
        if (!("value" in op)) fail("replace needs a value");
        get(doc, path);
        doc = path.length === 0 ? clone(op.value) : add(remove(doc, path), path, clone(op.value));
        break;
      case "move": {
        const from = pointer(op.from);
        if (path.length > from.length && from.every((s, i) => regoEqual(path[i], s))) fail("cannot move a value into itself");
        const v = get(doc, from);
        doc = add(remove(doc, from), path, v);
        break;
      }
      case "copy":
        doc = add(doc, path, clone(get(doc, pointer(op.from))));
        break;
      case "test":
        if (!regoEqual(get(doc, path), op.value)) fail("test operation failed");
        break;
      default:
        fail(`unknown patch operation ${String(op.op)}`);
    }
  }
  return doc;
}

export const jsonPatchBuiltins = { "json.patch": jsonPatch };
