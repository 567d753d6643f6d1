// Snapshot vs snapshot: which accounts, credentials, reset paths, password policies, identities
// and source settings were added, removed or changed, with before/after values. Pure; objects
// are matched by their snapshot id (settings by source id), which collectors keep stable.
import type { Snapshot } from "../snapshot/types.ts";

export const objectKinds = ["accounts", "credentials", "resetPaths", "passwordPolicies", "identities", "settings"] as const;
export type ObjectKind = (typeof objectKinds)[number];

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

type Keyed = { id: string; source: string; name: string; value: Record<string, unknown> };

export function diffSnapshots(before: Snapshot, after: Snapshot): ObjectDiff {
  const counts = {} as Record<ObjectKind, ObjectCounts>;
  const changes: ObjectChange[] = [];
  for (const kind of objectKinds) {
    counts[kind] = diffKind(kind, keyed(kind, before), keyed(kind, after), changes);
  }
  return { counts, changes };
}

function keyed(kind: ObjectKind, snapshot: Snapshot): Map<string, Keyed> {
  const map = new Map<string, Keyed>();
  if (kind === "settings") {
    for (const [source, value] of Object.entries(snapshot.settings)) map.set(source, { id: source, source, name: source, value: value as Record<string, unknown> });
    return map;
  }
  for (const object of snapshot[kind] as unknown as Record<string, unknown>[]) {
    const id = object.id as string;
    map.set(id, { id, source: sourceOf(kind, object), name: nameOf(kind, object), value: object });
  }
  return map;
}

function sourceOf(kind: ObjectKind, object: Record<string, unknown>): string {
  if (kind === "identities") return "estate";
  return object.source as string;
}

function nameOf(kind: ObjectKind, object: Record<string, unknown>): string {
  if (kind === "resetPaths") {
    const actor = object.actor as { name?: string | null; id: string };
    return `${actor.name ?? actor.id} -> ${object.target as string} (${object.mechanism as string})`;
  }
  return (object.name as string | null | undefined) ?? (object.id as string);
}

function diffKind(kind: ObjectKind, before: Map<string, Keyed>, after: Map<string, Keyed>, changes: ObjectChange[]): ObjectCounts {
  const counts: ObjectCounts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const [id, old] of before) {
    const current = after.get(id);
    if (!current) {
      counts.removed++;
      changes.push({ kind, change: "removed", id, source: old.source, name: old.name, before: old.value });
      continue;
    }
    // Collectors write fields in a fixed order, so equal objects serialise equally; only a
    // mismatch pays for the field-by-field comparison.
    if (JSON.stringify(old.value) === JSON.stringify(current.value)) {
      counts.unchanged++;
      continue;
    }
    const fields = fieldChanges(old.value, current.value, "");
    if (fields.length === 0) {
      counts.unchanged++;
      continue;
    }
    counts.changed++;
    changes.push({ kind, change: "changed", id, source: current.source, name: current.name, fields });
  }
  for (const [id, current] of after) {
    if (before.has(id)) continue;
    counts.added++;
    changes.push({ kind, change: "added", id, source: current.source, name: current.name, after: current.value });
  }
  return counts;
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
