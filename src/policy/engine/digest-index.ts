// Numbers by string digest (io/member-digests.ts): cutting a 1M-account snapshot into batches
// looks up millions of references (a credential's holder, a reset path's target, an identity's
// accounts) by digests the layout took, without reading the snapshot again. Two different
// strings that share a digest (two 32-bit hashes equal at once, very rare) share the entry;
// batch cutting (subject-batches.ts) may take that: it only links their subjects into one group.
export class DigestIndex {
  #first: Int32Array;
  #second: Int32Array;
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
    this.#first = new Int32Array(capacity);
    this.#second = new Int32Array(capacity);
    this.#values = new Float64Array(capacity);
  }

  get size(): number {
    return this.#count;
  }

  /** Maps the digest (first, second) to `value`, unless it is mapped already (then false). */
  add(first: number, second: number, value: number): boolean {
    let slot = first & this.#mask;
    for (let e = this.#slots[slot]; e !== 0; e = this.#slots[slot]) {
      if (this.#first[e - 1] === first && this.#second[e - 1] === second) return false;
      slot = (slot + 1) & this.#mask;
    }
    if (this.#count === this.#first.length) this.#grow();
    if (2 * (this.#count + 1) > this.#slots.length) {
      this.#rehash();
      return this.add(first, second, value);
    }
    const entry = this.#count++;
    this.#first[entry] = first;
    this.#second[entry] = second;
    this.#values[entry] = value;
    this.#slots[slot] = entry + 1;
    return true;
  }

  /** The value of the digest (first, second), or -1. */
  get(first: number, second: number): number {
    let slot = first & this.#mask;
    for (let e = this.#slots[slot]; e !== 0; e = this.#slots[slot]) {
      if (this.#first[e - 1] === first && this.#second[e - 1] === second) return this.#values[e - 1];
      slot = (slot + 1) & this.#mask;
    }
    return -1;
  }

  #grow(): void {
    const n = this.#first.length * 2;
    const first = new Int32Array(n);
    first.set(this.#first);
    this.#first = first;
    const second = new Int32Array(n);
    second.set(this.#second);
    this.#second = second;
    const values = new Float64Array(n);
    values.set(this.#values);
    this.#values = values;
  }

  #rehash(): void {
    this.#slots = new Int32Array(this.#slots.length * 2);
    this.#mask = this.#slots.length - 1;
    for (let entry = 0; entry < this.#count; entry++) {
      let slot = this.#first[entry] & this.#mask;
      while (this.#slots[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#slots[slot] = entry + 1;
    }
  }
}
