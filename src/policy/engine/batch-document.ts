// Writes the input document of one batch of a sharded evaluation from the snapshot's bytes:
// the snapshot's top-level members in order, the subject arrays holding only the batch's
// elements, and of everything only what the projection keeps (input-projection.ts). Pure byte
// copying, no parsing: a batch worker builds its own batch from the snapshot bytes it shares
// with the main thread (sharded-evaluation.ts), so the main thread never copies a batch.
import { ByteWindow, skipSpace, stringEnd, valueEnd } from "../../io/json-layout.ts";
import type { InputProjection } from "./input-projection.ts";

/** A top-level member of the snapshot: its name and the byte range [start, end) of its value. */
export interface DocumentMember {
  key: string;
  start: number;
  end: number;
  /** One of the subject arrays, whose elements the batch picks. */
  subjects: boolean;
}

/**
 * The elements of each subject array a batch holds, as byte ranges of the snapshot in document
 * order: [start0, end0, start1, end1, ...]. An array missing here is written empty.
 */
export type PickedElements = Partial<Record<string, Float64Array>>;

/** A projection prepared for writing: member names as a set, element keys as a byte matcher. */
export interface PreparedProjection {
  members: ReadonlySet<string> | null;
  keys: KeyMatcher | null;
}

/** No projection: every member, elements whole. */
export function prepareProjection(projection: InputProjection | undefined): PreparedProjection {
  return { members: projection?.members ?? null, keys: projection?.keys ? new KeyMatcher(projection.keys) : null };
}

/** The most bytes writeBatchDocument can write for these members and picks (projection only shortens). */
export function batchDocumentBound(members: readonly DocumentMember[], picked: PickedElements): number {
  let bound = 2;
  for (const m of members) {
    bound += Buffer.byteLength(m.key, "utf8") * 6 + 8; // a quoted, escaped name, ':' and ','
    if (!m.subjects) {
      bound += m.end - m.start;
      continue;
    }
    const ranges = picked[m.key];
    if (!ranges) continue;
    for (let k = 0; k < ranges.length; k += 2) bound += ranges[k + 1] - ranges[k] + 1;
  }
  return bound;
}

/**
 * Writes the batch document into `out` (at least batchDocumentBound bytes) and returns its
 * length. A projected element is never longer than the element: kept members are copied as
 * ranges, runs of neighbouring kept members as one range with their separators.
 */
export function writeBatchDocument(source: Buffer, members: readonly DocumentMember[], picked: PickedElements, projection: PreparedProjection, out: Buffer): number {
  const w = new ByteWriter(source, out);
  w.byte(0x7b);
  let written = 0;
  for (const member of members) {
    if (projection.members && !projection.members.has(member.key)) continue;
    if (written++ > 0) w.byte(0x2c);
    w.at += out.write(`${JSON.stringify(member.key)}:`, w.at, "utf8");
    if (!member.subjects) {
      w.copy(member.start, member.end);
      continue;
    }
    w.byte(0x5b);
    const ranges = picked[member.key];
    if (ranges) {
      const keys = projection.keys;
      for (let k = 0; k < ranges.length; k += 2) {
        if (k > 0) w.byte(0x2c);
        // Elements through small-offset views of the snapshot (json-layout.ts).
        const start = w.window.holding(ranges[k], ranges[k + 1]);
        const end = start + (ranges[k + 1] - ranges[k]);
        if (keys) projectedElement(w, start, end, keys);
        else w.copyFromView(start, end);
      }
    }
    w.byte(0x5d);
  }
  w.byte(0x7d);
  return w.at;
}

/** Copies bytes of the snapshot (by offset, or by offset in the current view), and single bytes, to the end of the output. */
class ByteWriter {
  at = 0;
  readonly source: Buffer;
  readonly window: ByteWindow<Buffer>;
  readonly out: Buffer;
  constructor(source: Buffer, out: Buffer) {
    this.source = source;
    this.window = new ByteWindow(source);
    this.out = out;
  }
  copyFromView(start: number, end: number): void {
    const view = this.window.view;
    // Short runs (a key, a flag) byte by byte: a native copy costs more in the call.
    if (end - start <= 32) {
      const out = this.out;
      let at = this.at;
      for (let k = start; k < end; k++) out[at++] = view[k];
      this.at = at;
    } else this.at += view.copy(this.out, this.at, start, end);
  }
  byte(b: number): void {
    this.out[this.at++] = b;
  }
  /** A top-level member's value, by its offsets in the whole snapshot (a few per document). */
  copy(start: number, end: number): void {
    this.at += this.source.copy(this.out, this.at, start, end);
  }
}

/**
 * Writes the members of the object element view[start, end) (the writer's current view) whose key `keys` accepts (runs of
 * neighbouring kept members as one range, separators included); the element whole when it is
 * not an object.
 */
function projectedElement(w: ByteWriter, start: number, end: number, keys: KeyMatcher): void {
  const source = w.window.view;
  let i = skipSpace(source, start);
  if (source[i] !== 0x7b) {
    w.copyFromView(start, end);
    return;
  }
  w.byte(0x7b);
  let runStart = -1;
  let runEnd = -1;
  let first = true;
  i = skipSpace(source, i + 1);
  while (i < end && source[i] !== 0x7d) {
    const keyEnd = stringEnd(source, i);
    // Compact JSON (as credgov writes it) has no space around ':': checked before skipping any.
    const colon = source[keyEnd] === 0x3a ? keyEnd : skipSpace(source, keyEnd);
    const valueStart = isSpace(source[colon + 1]) ? skipSpace(source, colon + 1) : colon + 1;
    const valueStop = source[valueStart] === 0x22 ? stringEnd(source, valueStart) : valueEnd(source, valueStart);
    if (keys.accepts(source, i, keyEnd)) {
      if (runStart < 0) runStart = i;
      runEnd = valueStop;
    } else if (runStart >= 0) {
      if (!first) w.byte(0x2c);
      w.copyFromView(runStart, runEnd);
      first = false;
      runStart = -1;
    }
    i = isSpace(source[valueStop]) ? skipSpace(source, valueStop) : valueStop;
    if (source[i] === 0x2c) i = isSpace(source[i + 1]) ? skipSpace(source, i + 1) : i + 1;
  }
  if (runStart >= 0) {
    if (!first) w.byte(0x2c);
    w.copyFromView(runStart, runEnd);
  }
  w.byte(0x7d);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Whether a member name (its quoted bytes) is one of a set of keys, without making a string of
 * it: the name's bytes are hashed as they are read and looked up in a small table (this runs
 * once per member of every element a batch holds).
 */
export class KeyMatcher {
  readonly #keys: ReadonlySet<string>;
  /** The keys' UTF-8 bytes and hashes; slots hold index + 1 (0: free). */
  readonly #names: Uint8Array[] = [];
  readonly #hashes: number[] = [];
  readonly #slots: Int32Array;
  readonly #mask: number;
  constructor(keys: Iterable<string>) {
    this.#keys = new Set(keys);
    let size = 16;
    while (size < 4 * this.#keys.size) size *= 2;
    this.#slots = new Int32Array(size);
    this.#mask = size - 1;
    for (const key of this.#keys) {
      const name = Buffer.from(key, "utf8");
      const hash = hashOf(name, 0, name.length);
      let slot = hash & this.#mask;
      while (this.#slots[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#names.push(name);
      this.#hashes.push(hash);
      this.#slots[slot] = this.#names.length;
    }
  }
  accepts(buf: Uint8Array, start: number, end: number): boolean {
    let hash = fnvOffset;
    for (let k = start + 1; k < end - 1; k++) {
      const c = buf[k];
      // A name with an escape is decoded and looked up (JSON allows "\u0069d" for "id").
      if (c === 0x5c) return this.#keys.has(JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("utf8")) as string);
      hash = Math.imul(hash ^ c, fnvPrime);
    }
    const length = end - start - 2;
    for (let slot = hash & this.#mask, e = this.#slots[slot]; e !== 0; slot = (slot + 1) & this.#mask, e = this.#slots[slot]) {
      const name = this.#names[e - 1];
      if (this.#hashes[e - 1] !== hash || name.length !== length) continue;
      let k = 0;
      while (k < length && name[k] === buf[start + 1 + k]) k++;
      if (k === length) return true;
    }
    return false;
  }
}

// FNV-1a, 32 bits, as signed integers.
const fnvOffset = 0x811c9dc5 | 0;
const fnvPrime = 0x01000193;

function hashOf(bytes: Uint8Array, start: number, end: number): number {
  let hash = fnvOffset;
  for (let k = start; k < end; k++) hash = Math.imul(hash ^ bytes[k], fnvPrime);
  return hash;
}
