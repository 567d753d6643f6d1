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
    const hash = plainHash(buf, start, end);
    if (hash === escaped) {
      const decoded = decodedKey(buf, start, end);
      return this.#add(decoded, 0, decoded.length, hashOf(decoded, 0, decoded.length), value);
    }
    return this.#add(buf, start + 1, end - 1, hash, value);
  }

  /** The value of the string token buf[start, end) (quotes included), or -1. */
  get(buf: Uint8Array, start: number, end: number): number {
    const hash = plainHash(buf, start, end);
    if (hash === escaped) {
      const decoded = decodedKey(buf, start, end);
      return this.#get(decoded, 0, decoded.length, hashOf(decoded, 0, decoded.length));
    }
    return this.#get(buf, start + 1, end - 1, hash);
  }

  /** Key bytes bytes[start, end) with their hash. */
  #add(bytes: Uint8Array, start: number, end: number, hash: number, value: number): boolean {
    let slot = hash & this.#mask;
    for (let e = this.#slots[slot]; e !== 0; e = this.#slots[slot]) {
      if (this.#matches(e - 1, hash, bytes, start, end)) return false;
      slot = (slot + 1) & this.#mask;
    }
    if (this.#count === this.#starts.length) this.#grow();
    if (2 * (this.#count + 1) > this.#slots.length) {
      this.#rehash();
      return this.#add(bytes, start, end, hash, value);
    }
    const length = end - start;
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
    for (let k = start; k < end; k++) this.#store[this.#used++] = bytes[k];
    this.#slots[slot] = entry + 1;
    return true;
  }

  #get(bytes: Uint8Array, start: number, end: number, hash: number): number {
    let slot = hash & this.#mask;
    for (let e = this.#slots[slot]; e !== 0; e = this.#slots[slot]) {
      if (this.#matches(e - 1, hash, bytes, start, end)) return this.#values[e - 1];
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

// A key is the bytes between a token's quotes when it has no escape, else its decoded text
// encoded again. Most ids have no escape: their hash is computed in the same pass that looks
// for a backslash, and no copy is made.

/** Not a hash: plainHash's answer for a token with an escape (a real hash of that value is remapped). */
const escaped = 0x7fffffff;

/** The hash of the token's bytes between its quotes, or `escaped` when it has a backslash. */
function plainHash(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = start + 1; k < end - 1; k++) {
    const c = buf[k];
    if (c === BACKSLASH) return escaped;
    h = Math.imul(h ^ c, 0x01000193);
  }
  return h === escaped ? 0 : h;
}

function decodedKey(buf: Uint8Array, start: number, end: number): Uint8Array {
  return Buffer.from(stringAt(buf, start, end), "utf8");
}

/** FNV-1a, 32 bits (as a signed integer, as the hashes are kept), with `escaped` remapped as plainHash does. */
function hashOf(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let k = start; k < end; k++) h = Math.imul(h ^ bytes[k], 0x01000193);
  return h === escaped ? 0 : h;
}
