// Snapshot vs snapshot: which accounts, credentials, reset paths, password policies, identities
// and source settings were added, removed or changed, with before/after values. Pure; objects
// are matched by their snapshot id (settings by source id), which collectors keep stable.
import type { Snapshot } from "../snapshot/types.ts";
import { indexedKinds, indexSnapshot, type IndexedKind, type SnapshotIndex } from "./snapshot-index.ts";

export const objectKinds = indexedKinds;
export type ObjectKind = IndexedKind;

export interface FieldChange {
  /** Dotted path inside the object: `enabled`, `flags.passwordNeverExpires`, `owners`. */
  field: string;
  before: unknown;
  after: unknown;
}

export interface ObjectChange {
  kind: ObjectKind;
  change: "added" | "removed" | "changed";
  id: string;
  source: string;
  name: string;
  /** The whole object for added and removed ones. */
  before?: unknown;
  after?: unknown;
  /** For changed ones: each field that differs. */
  fields?: FieldChange[];
}

export interface ObjectCounts {
  added: number;
  removed: number;
  changed: number;
  unchanged: number;
}

export interface ObjectDiff {
  counts: Record<ObjectKind, ObjectCounts>;
  changes: ObjectChange[];
}

/**
 * Usage timestamps move on every scan without anyone changing the estate; counting them would
 * bury real changes under 100k "changed" accounts.
 */
export const volatileFields: ReadonlySet<string> = new Set(["lastLogon", "lastUsed"]);

export function diffSnapshots(before: Snapshot, after: Snapshot): ObjectDiff {
  return diffWithIndex(indexSnapshot(before), after);
}

/**
 * The diff against an indexed earlier snapshot (see snapshot-index.ts). Equal JSON text means
 * unchanged (collectors write fields in a fixed order); only differing objects are parsed and
 * compared field by field. Consumes the index.
 */
export function diffWithIndex(before: SnapshotIndex, after: Snapshot): ObjectDiff {
  const counts = {} as Record<ObjectKind, ObjectCounts>;
  const changes: ObjectChange[] = [];
  for (const kind of objectKinds) {
    const old = before.objects[kind];
    const c: ObjectCounts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
    const current: [string, Record<string, unknown>][] =
      kind === "settings" ? (Object.entries(after.settings) as [string, Record<string, unknown>][]) : (after[kind] as unknown as Record<string, unknown>[]).map((o) => [o.id as string, o]);
    for (const [id, value] of current) {
      const text = old.get(id);
      if (text === undefined) {
        c.added++;
        changes.push({ kind, change: "added", id, source: sourceOf(kind, id, value), name: nameOf(kind, id, value), after: value });
        continue;
      }
      old.delete(id);
      if (text === JSON.stringify(value)) {
        c.unchanged++;
        continue;
      }
      const fields = fieldChanges(JSON.parse(text) as Record<string, unknown>, value, "");
      if (fields.length === 0) {
        c.unchanged++;
        continue;
      }
      c.changed++;
      changes.push({ kind, change: "changed", id, source: sourceOf(kind, id, value), name: nameOf(kind, id, value), fields });
    }
    for (const [id, text] of old) {
      const value = JSON.parse(text) as Record<string, unknown>;
      c.removed++;
      changes.push({ kind, change: "removed", id, source: sourceOf(kind, id, value), name: nameOf(kind, id, value), before: value });
    }
    old.clear();
    counts[kind] = c;
  }
  return { counts, changes };
}

function sourceOf(kind: ObjectKind, id: string, object: Record<string, unknown>): string {
  if (kind === "settings") return id;
  if (kind === "identities") return "estate";
  return object.source as string;
}

function nameOf(kind: ObjectKind, id: string, object: Record<string, unknown>): string {
  if (kind === "settings") return id;
  if (kind === "resetPaths") {
    const actor = object.actor as { name?: string | null; id: string };
    return `${actor.name ?? actor.id} -> ${object.target as string} (${object.mechanism as string})`;
  }
  return (object.name as string | null | undefined) ?? id;
}

/** Field-level differences; nested plain objects (flags, nativeIds, actor) are compared per key, arrays as a whole. */
function fieldChanges(before: Record<string, unknown>, after: Record<string, unknown>, prefix: string): FieldChange[] {
  const out: FieldChange[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    if (prefix === "" && volatileFields.has(key)) continue;
    const b = before[key];
    const a = after[key];
    const field = prefix ? `${prefix}.${key}` : key;
    if (isPlainObject(b) && isPlainObject(a)) {
      out.push(...fieldChanges(b, a, field));
    } else if (canonical(b) !== canonical(a)) {
      out.push({ field, before: b ?? null, after: a ?? null });
    }
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON with sorted keys, so key order never counts as a change; undefined and null are the same absence. */
function canonical(value: unknown): string {
  if (value === undefined || value === null) return "null";
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}
