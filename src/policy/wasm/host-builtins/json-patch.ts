// json.patch: RFC 6902 operations (add, remove, replace, move, copy, test) over JSON pointers
// ("/a/b", with ~0 and ~1 escapes; leading slashes optional, as in OPA) or segment arrays. Any failing operation makes the result undefined.
import { BuiltinError, arr, typeOf } from "./builtin-error.ts";
import { regoEqual } from "./rego-equal.ts";

const NAME = "json.patch";
const fail = (msg: string): never => {
  throw new BuiltinError(NAME, msg);
};

function pointer(p: unknown): string[] {
  if (Array.isArray(p)) return p.map((s) => (typeof s === "string" ? s : JSON.stringify(s)));
  if (typeof p !== "string") return fail("path must be a string or an array");
  if (p === "") return [];
  // As OPA's parsePath: leading slashes are trimmed (all of them), so "a/b" is "/a/b".
  return p.replace(/^\/+/, "").split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

const clone = (v: unknown): unknown => (v === undefined ? undefined : structuredClone(v));

function index(list: unknown[], seg: string, forInsert: boolean): number {
  if (forInsert && seg === "-") return list.length;
  if (!/^(0|[1-9]\d*)$/.test(seg)) return fail(`invalid array index ${seg}`);
  const i = Number(seg);
  if (i > list.length || (!forInsert && i === list.length)) return fail(`array index ${seg} out of range`);
  return i;
}

function parentOf(doc: unknown, path: string[]): unknown {
  let cur = doc;
  for (const seg of path.slice(0, -1)) {
    if (Array.isArray(cur)) cur = cur[index(cur, seg, false)];
    else if (typeOf(cur) === "object" && Object.hasOwn(cur as object, seg)) cur = (cur as Record<string, unknown>)[seg];
    else return fail(`path ${path.join("/")} does not exist`);
  }
  return cur;
}

function get(doc: unknown, path: string[]): unknown {
  if (path.length === 0) return doc;
  const parent = parentOf(doc, path);
  const last = path.at(-1)!;
  if (Array.isArray(parent)) return parent[index(parent, last, false)];
  if (typeOf(parent) === "object" && Object.hasOwn(parent as object, last)) return (parent as Record<string, unknown>)[last];
  return fail(`path ${path.join("/")} does not exist`);
}

function add(doc: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = parentOf(doc, path);
  const last = path.at(-1)!;
  if (Array.isArray(parent)) parent.splice(index(parent, last, true), 0, value);
  else if (typeOf(parent) === "object") (parent as Record<string, unknown>)[last] = value;
  else fail(`cannot add to a ${typeOf(parent)}`);
  return doc;
}

function remove(doc: unknown, path: string[]): unknown {
  if (path.length === 0) return fail("cannot remove the whole document");
  const parent = parentOf(doc, path);
  const last = path.at(-1)!;
  if (Array.isArray(parent)) parent.splice(index(parent, last, false), 1);
  else if (typeOf(parent) === "object" && Object.hasOwn(parent as object, last)) delete (parent as Record<string, unknown>)[last];
  else fail(`path ${path.join("/")} does not exist`);
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
        if (path.length > from.length && from.every((s, i) => path[i] === s)) fail("cannot move a value into itself");
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
