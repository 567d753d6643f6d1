// json.remove, json.filter, json.marshal(_with_options), json.unmarshal, array.flatten/concat/reverse/slice.
import { BuiltinError, arr, int, obj, str, typeOf } from "./builtin-error.ts";
import { goJSON } from "./go-json.ts";
import { childFor, pathTrie, type PathTrie } from "./json-paths.ts";
import { isRegoSet, regoSet } from "./set-codec.ts";

function remove(v: unknown, trie: PathTrie): unknown {
  if (isRegoSet(v)) {
    return regoSet((v as unknown[]).flatMap((item) => {
      const t = childFor(trie, item);
      if (!t) return [item];
      return t.end ? [] : [remove(item, t)];
    }));
  }
  if (Array.isArray(v)) {
    return v.flatMap((item, i) => {
      const t = childFor(trie, String(i));
      if (!t) return [item];
      return t.end ? [] : [remove(item, t)];
    });
  }
  if (typeOf(v) === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v as object)) {
      const t = childFor(trie, k);
      if (!t) out[k] = item;
      else if (!t.end) out[k] = remove(item, t);
    }
    return out;
  }
  return v;
}

function filter(v: unknown, trie: PathTrie): unknown {
  if (trie.end) return v;
  if (isRegoSet(v)) {
    return regoSet((v as unknown[]).flatMap((item) => {
      const t = childFor(trie, item);
      return t ? [filter(item, t)] : [];
    }));
  }
  if (Array.isArray(v)) {
    return v.flatMap((item, i) => {
      const t = childFor(trie, String(i));
      return t ? [filter(item, t)] : [];
    });
  }
  if (typeOf(v) === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(v as object)) {
      const t = childFor(trie, k);
      if (t) out[k] = filter(item, t);
    }
    return out;
  }
  return v;
}

export function jsonRemove(o: unknown, paths: unknown): unknown {
  const doc = obj("json.remove", o, 1);
  return remove(doc, pathTrie("json.remove", paths));
}

export function jsonFilter(o: unknown, paths: unknown): unknown {
  const doc = obj("json.filter", o, 1);
  return filter(doc, pathTrie("json.filter", paths));
}

export function jsonUnmarshal(x: unknown): unknown {
  const s = str("json.unmarshal", x, 1);
  try {
    return JSON.parse(s);
  } catch (err) {
    throw new BuiltinError("json.unmarshal", (err as Error).message);
  }
}

/** json.marshal_with_options: {pretty, indent, prefix} as OPA accepts them. */
export function marshalWithOptions(x: unknown, options: unknown): string {
  const name = "json.marshal_with_options";
  const o = obj(name, options, 2);
  for (const k of Object.keys(o)) if (!["pretty", "indent", "prefix"].includes(k)) throw new BuiltinError(name, `object operand had unexpected key ${k}`);
  const compact = goJSON(x);
  const pretty = o.pretty === true || ((o.indent !== undefined || o.prefix !== undefined) && o.pretty !== false);
  if (!pretty) return compact;
  const indent = typeof o.indent === "string" ? o.indent : "\t";
  const prefix = typeof o.prefix === "string" ? o.prefix : "";
  return prefix + JSON.stringify(JSON.parse(compact), null, indent).split("\n").join(`\n${prefix}`);
}

/** One level, as OPA's array.flatten does. */
function flatten(v: unknown[]): unknown[] {
  return v.flatMap((x) => (Array.isArray(x) ? x : [x]));
}

export const jsonBuiltins = {
  "json.remove": jsonRemove,
  "json.filter": jsonFilter,
  "json.marshal": (x: unknown) => goJSON(x),
  "json.marshal_with_options": marshalWithOptions,
  "json.unmarshal": jsonUnmarshal,
  "array.flatten": (a: unknown) => flatten(arr("array.flatten", a, 1)),
  "array.concat": (a: unknown, b: unknown) => [...arr("array.concat", a, 1), ...arr("array.concat", b, 2)],
  "array.reverse": (a: unknown) => [...arr("array.reverse", a, 1)].reverse(),
  "array.slice": (a: unknown, start: unknown, stop: unknown) => {
    const list = arr("array.slice", a, 1);
    const from = Math.max(0, int("array.slice", start, 2));
    const to = Math.min(list.length, int("array.slice", stop, 3));
    return from >= to ? [] : list.slice(from, to);
  },
};
