// Validates a serialised snapshot (its bytes, as `credgov evaluate` hands them to the policy
// module) without ever holding it parsed: a 1M-account snapshot is 2.5 GB of JSON, longer than
// any JavaScript string and several times that as objects. The top-level members are located
// in the bytes (io/json-layout.ts); the small ones are parsed and validated together, the
// elements of the large arrays one at a time, against the same schema and with the same
// integrity checks as `snapshot validate`. Memory: the id sets of the integrity check.
import { findDuplicateKey } from "../io/json-duplicate-keys.ts";
import { jsonObjectLayout, memberString } from "../io/json-layout.ts";
import { idAreas, IntegrityCheck, type IdArea } from "./integrity.ts";
import type { Account, Credential, Identity, PasswordPolicy, ResetPath, Snapshot, Source } from "./types.ts";
import { validateSnapshot, validateSnapshotElement, type SnapshotProblem } from "./validate.ts";

/** The bytes are not well-formed JSON (or repeat a key): the caller re-reads them with the reader that says where. */
export class SerializedSnapshotSyntaxError extends Error {}

export interface SerializedSnapshotCheck {
  /** The snapshot with its large arrays' elements left out (those arrays empty; `sources` is kept). */
  head: Snapshot;
  /** Elements of each id array. */
  counts: Record<IdArea, number>;
  /** Schema problems; integrity is only meaningful (and only reported) when there are none. */
  schema: SnapshotProblem[];
  integrity: SnapshotProblem[];
}

/** At most this many schema problems are collected (the run shows the first 20). */
const schemaProblemLimit = 1000;

export function checkSerializedSnapshot(bytes: Uint8Array): SerializedSnapshotCheck {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let layout;
  try {
    layout = jsonObjectLayout(buf, new Set(idAreas));
  } catch (error) {
    throw new SerializedSnapshotSyntaxError(error instanceof Error ? error.message : String(error));
  }
  const parse = (start: number, end: number): unknown => {
    const text = buf.toString("utf8", start, end);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new SerializedSnapshotSyntaxError(`not valid JSON at byte ${start}`);
    }
    if (findDuplicateKey(text)) throw new SerializedSnapshotSyntaxError(`a repeated key at byte ${start}`);
    return value;
  };

  const head: Record<string, unknown> = {};
  for (const member of layout.members) {
    if (Object.hasOwn(head, member.key)) throw new SerializedSnapshotSyntaxError(`the member ${JSON.stringify(member.key)} is repeated`);
    const value = layout.elements.has(member.key) ? [] : parse(member.start, member.end);
    Object.defineProperty(head, member.key, { value, enumerable: true, writable: true, configurable: true });
  }
  const schema = validateSnapshot(head);
  const counts = Object.fromEntries(idAreas.map((area) => [area, layout.elements.get(area)?.count ?? 0])) as Record<IdArea, number>;

  // Pass 1: every id (read without parsing the element), so references can be checked in pass 2.
  const integrity = new IntegrityCheck();
  for (const area of idAreas) {
    const ranges = layout.elements.get(area);
    for (let i = 0; ranges && i < ranges.count; i++) {
      let id;
      try {
        id = memberString(buf, ranges.starts[i], ranges.ends[i], "id");
      } catch (error) {
        throw new SerializedSnapshotSyntaxError(error instanceof Error ? error.message : String(error));
      }
      // An element without a string id breaks the schema, reported in pass 2.
      if (id !== undefined) integrity.id(area, id, i);
    }
  }
  // Pass 2: each element parsed, validated and checked, then dropped.
  const checks: Record<IdArea, (value: never, index: number) => void> = {
    // Few and small, and what the engine and the run's completeness need.
    sources: (s: Source) => (head.sources as Source[]).push(s),
    accounts: (a: Account, i) => integrity.account(a, i),
    credentials: (c: Credential, i) => integrity.credential(c, i),
    resetPaths: (p: ResetPath, i) => integrity.resetPath(p, i),
    passwordPolicies: (p: PasswordPolicy, i) => integrity.passwordPolicy(p, i),
    identities: (identity: Identity, i) => integrity.identity(identity, i),
  };
  for (const area of idAreas) {
    const ranges = layout.elements.get(area);
    for (let i = 0; ranges && i < ranges.count; i++) {
      const value = parse(ranges.starts[i], ranges.ends[i]);
      const problems = schema.length < schemaProblemLimit ? validateSnapshotElement(area, value, i) : [];
      if (problems.length > 0) for (const p of problems) schema.push(p);
      else if (schema.length === 0) checks[area](value as never, i);
    }
  }
  if (schema.length === 0) {
    const snapshot = head as unknown as Snapshot;
    integrity.correlation(snapshot.correlation);
    integrity.settings(snapshot.settings);
  }
  return { head: head as unknown as Snapshot, counts, schema, integrity: schema.length === 0 ? integrity.problems() : [] };
}
