// Ids (JSON string tokens in a snapshot's bytes) mapped to numbers, looked up by the bytes of
// another token without making a string of either: cutting a 1M-account snapshot into batches
// looks up millions of references (a credential's holder, a reset path's target, an
// identity's accounts), where a string and a Map lookup per reference took most of the time.
// Keys are the UTF-8 bytes of the decoded string, so "a\u0062" and "ab" are the same id.
import { BACKSLASH } from "../../io/json-chars.ts";
import { stringAt } from "../../io/json-layout.ts";

export class IdIndex {
  /** Every key's bytes, one after another (small offsets, whatever the snapshot's size). */
  #store = Buffer.allocUnsafe(1 << 16);
  #used = 0;
  #starts: Int32Array;
  #lengths: Int32Array;
  #hashes: Int32Array;
  #values: Float64Array;
  #count = 0;
  /** Open addressing: entry + 1, or 0 for a free slot. */
  #slots: Int32Array;
  #mask: number;

  constructor(expected: number) {
    let size = 16;
    while (size < 2 * expected) size *= 2;
    this.#slots = new Int32Array(size);
    this.#mask = size - 1;
    const capacity = Math.max(16, expected);
    this.#starts = new Int32Array(capacity);
    this.#lengths = new Int32Array(capacity);
    this.#hashes = new Int32Array(capacity);
    this.#values = new Float64Array(capacity);
  }

  get size(): number {
    return this.#count;
  }

  /** Maps the string token buf[start, end) (quotes included) to `value`, unless it is mapped already (then false). */
  add(buf: Uint8Array, start: number, end: number, value: number): boolean {
    const key = canonical(buf, start, end);
    const hash = hashOf(key.bytes, key.start, key.end);
    let slot = hash & this.#mask;
    for (let e = this.#slots[slot]; e !== 0; e = this.#slots[slot]) {
      if (this.#matches(e - 1, hash, key.bytes, key.start, key.end)) return false;
      slot = (slot + 1) & this.#mask;
    }
    if (this.#count === this.#starts.length) this.#grow();
    if (2 * (this.#count + 1) > this.#slots.length) {
      this.#rehash();
      return this.add(buf, start, end, value);
    }
    const length = key.end - key.start;
    while (this.#used + length > this.#store.length) {
      const grown = Buffer.allocUnsafe(this.#store.length * 2);
      this.#store.copy(grown, 0, 0, this.#used);
      this.#store = grown;
    }
    const entry = this.#count++;
    this.#starts[entry] = this.#used;
    this.#lengths[entry] = length;
    this.#hashes[entry] = hash;
    this.#values[entry] = value;
    for (let k = key.start; k < key.end; k++) this.#store[this.#used++] = key.bytes[k];
    this.#slots[slot] = entry + 1;
    return true;
  }

  /** The value of the string token buf[start, end) (quotes included), or -1. */
  get(buf: Uint8Array, start: number, end: number): number {
    const key = canonical(buf, start, end);
    const hash = hashOf(key.bytes, key.start, key.end);
    let slot = hash & this.#mask;
    for (let e = this.#slots[slot]; e !== 0; e = this.#slots[slot]) {
      if (this.#matches(e - 1, hash, key.bytes, key.start, key.end)) return this.#values[e - 1];
      slot = (slot + 1) & this.#mask;
    }
    return -1;
  }

  #matches(entry: number, hash: number, bytes: Uint8Array, start: number, end: number): boolean {
    if (this.#hashes[entry] !== hash || this.#lengths[entry] !== end - start) return false;
    const store = this.#store;
    const at = this.#starts[entry] - start;
    for (let k = start; k < end; k++) if (store[at + k] !== bytes[k]) return false;
    return true;
  }

  #grow(): void {
    const n = this.#starts.length * 2;
    const grown = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.#starts = grown(this.#starts, (k) => new Int32Array(k));
    this.#lengths = grown(this.#lengths, (k) => new Int32Array(k));
    this.#hashes = grown(this.#hashes, (k) => new Int32Array(k));
    this.#values = grown(this.#values, (k) => new Float64Array(k));
  }

  #rehash(): void {
    this.#slots = new Int32Array(this.#slots.length * 2);
    this.#mask = this.#slots.length - 1;
    for (let entry = 0; entry < this.#count; entry++) {
      let slot = this.#hashes[entry] & this.#mask;
      while (this.#slots[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#slots[slot] = entry + 1;
    }
  }
}

// The key bytes of a token: between its quotes when it has no escape, else its decoded text
// encoded again. Returned in one reused object: no allocation per lookup.
const key = { bytes: new Uint8Array(0) as Uint8Array, start: 0, end: 0 };

function canonical(buf: Uint8Array, start: number, end: number): typeof key {
  for (let k = start + 1; k < end - 1; k++) {
    if (buf[k] === BACKSLASH) {
      const decoded = Buffer.from(stringAt(buf, start, end), "utf8");
      key.bytes = decoded;
      key.start = 0;
      key.end = decoded.length;
      return key;
    }
  }
  key.bytes = buf;
  key.start = start + 1;
  key.end = end - 1;
  return key;
}

/** FNV-1a, 32 bits (as a signed integer, as the hashes are kept). */
function hashOf(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = start; k < end; k++) h = Math.imul(h ^ bytes[k], 0x01000193);
  return h;
}
