// Digests of a few named members of each element, taken while the layout locates the element
// (json-layout.ts), when its bytes are in cache, on whichever thread locates it. Cutting a
// snapshot into batches links subjects by their ids and references (an account's id, a
// credential's holder, ...): reading those from the elements afterwards, on one thread, cost
// the main thread a random read of the snapshot per element; with digests it only compares
// numbers. A digest is two 32-bit hashes of a string's decoded UTF-8 bytes, so "a\u0062" and
// "ab" have the same one. Equal strings always have equal digests; two different strings may,
// very rarely, share one, so a reader that must tell them apart needs to compare the strings.
import { BACKSLASH, CLOSE_BRACE, CLOSE_BRACKET, COLON, COMMA, OPEN_BRACE, OPEN_BRACKET, QUOTE } from "./json-chars.ts";
import { closingEnd, skipSpace, stringAt, valueEnd, type ElementRecorder } from "./json-layout.ts";

/** What a member slot holds: the member is absent, a string, an array (its strings' digests), or another value. */
export const absentMember = 0;
export const stringMember = 1;
export const listMember = 2;
export const otherMember = 3;
/** A string not digested (options.digestUnless): a reader looks at the element. */
export const undigestedMember = 4;

export const readMembers = 0;
export const firstMembersRead = 1;
export const unreadMembers = 2;

/**
 * Members read one by one before the rest of an element is skipped as a whole (as the layout
 * skips elements, a table lookup per byte): a member at a time costs about twice as much.
 * credgov writes the members that link subjects among the first four (an identity's
 * `accounts` is its fourth).
 */
const firstMembers = 4;

/**
 * The digests of elements [0, count) of one array. Slot `k * names + n` is element k's member
 * named names[n]: its kind, and for a string its digest (first, second); for an array, the
 * range [first, second) of `list` pairs holding its strings' digests (other items skipped).
 * Only an element's first member of a name counts, as memberValue reads it.
 */
export interface MemberDigests {
  names: number;
  count: number;
  kinds: Uint8Array;
  first: Int32Array;
  second: Int32Array;
  /** Digests of the listed strings, two numbers each. */
  list: Int32Array;
  /**
   * Per element: readMembers when every member was read, firstMembersRead when only the first
   * `firstMembers` were (a name absent from them may come later), unreadMembers when the
   * element is not an object as JSON has it (a missing comma or colon). A reader looks at the
   * element's bytes (json-layout.ts memberValue) for what the digests do not say.
   */
  unread: Uint8Array;
}

export interface MemberDigestOptions {
  /**
   * Names whose string is digested only when the element has none of the listed members
   * among those read: digesting costs, and a snapshot's credentials and reset paths have an
   * `id` that batch cutting does not read (it reads their `account`, `target`).
   */
  digestUnless?: Record<string, readonly string[]>;
}

/** Records the digests of members `names` of each element a layout locates. */
export class MemberDigestRecorder implements ElementRecorder<MemberDigests> {
  readonly #names: Uint8Array[];
  readonly #nameStrings: readonly string[];
  /** Bit n set when a name is n bytes long (n < 32). */
  readonly #lengths: number;
  /** Per name, the names (bit n: names[n]) whose presence leaves it undigested. */
  readonly #unless: Int32Array;
  /** Strings found but not digested yet, per name: view offsets of the token. */
  readonly #pendingStart: Float64Array;
  readonly #pendingEnd: Float64Array;
  #capacity = 0;
  #kinds = new Uint8Array(0);
  #first = new Int32Array(0);
  #second = new Int32Array(0);
  #unread = new Uint8Array(0);
  #list = new Int32Array(256);
  #listUsed = 0;
  /** The element being recorded, and the list's length before it (a retried element starts again there). */
  #index = -1;
  #listMark = 0;

  constructor(names: readonly string[], options: MemberDigestOptions = {}) {
    this.#nameStrings = names;
    this.#names = names.map((n) => Buffer.from(n, "utf8"));
    this.#lengths = this.#names.reduce((mask, n) => (n.length < 32 ? mask | (1 << n.length) : mask), 0);
    this.#unless = Int32Array.from(names, (n) => (options.digestUnless?.[n] ?? []).reduce((mask, other) => (names.includes(other) ? mask | (1 << names.indexOf(other)) : mask), 0));
    this.#pendingStart = new Float64Array(names.length);
    this.#pendingEnd = new Float64Array(names.length);
  }

  element(view: Uint8Array, i: number, index: number): number {
    const n = this.#names.length;
    if (index >= this.#capacity) this.#grow(index + 1);
    if (index !== this.#index) {
      this.#index = index;
      this.#listMark = this.#listUsed;
    } else this.#listUsed = this.#listMark;
    for (let s = index * n; s < index * n + n; s++) this.#kinds[s] = absentMember;
    this.#unread[index] = readMembers;
    if (view[i] !== OPEN_BRACE) return valueEnd(view, i);
    let end = -1;
    try {
      end = this.#members(view, i, index);
    } catch {
      // Unterminated in this view, or not JSON: valueEnd says which, as the layout expects.
    }
    if (end >= 0) return end;
    this.#kinds.fill(absentMember, index * n, index * n + n);
    this.#unread[index] = unreadMembers;
    this.#listUsed = this.#listMark;
    return valueEnd(view, i);
  }

  /** End of the object at view[i], element `index`, its first members' digests recorded; -1 when it is not read as an object. */
  #members(view: Uint8Array, i: number, index: number): number {
    const at = index * this.#names.length;
    let k = skipSpace(view, i + 1);
    if (view[k] === CLOSE_BRACE) return k + 1;
    for (let member = 1; ; member++) {
      if (view[k] !== QUOTE) return -1;
      // The name's end, and whether it has an escape, in one pass.
      let nameEnd = k + 1;
      let escaped = false;
      for (; nameEnd < view.length; nameEnd++) {
        const c = view[nameEnd];
        if (c === QUOTE) break;
        if (c === BACKSLASH) {
          escaped = true;
          nameEnd++;
        }
      }
      if (nameEnd >= view.length) return -1;
      nameEnd++;
      const colon = skipSpace(view, nameEnd);
      if (view[colon] !== COLON) return -1;
      const value = skipSpace(view, colon + 1);
      if (value >= view.length) return -1;
      const end = valueEnd(view, value);
      const slot = this.#slotOf(view, k, nameEnd, escaped);
      if (slot >= 0 && this.#kinds[at + slot] === absentMember) {
        if (this.#unless[slot] !== 0 && view[value] === QUOTE) {
          this.#kinds[at + slot] = undigestedMember;
          this.#pendingStart[slot] = value;
          this.#pendingEnd[slot] = end;
        } else this.#record(view, value, end, at + slot);
      }
      k = skipSpace(view, end);
      if (view[k] === CLOSE_BRACE) {
        this.#digestPending(view, at);
        return k + 1;
      }
      if (view[k] !== COMMA) return -1;
      if (member === firstMembers) {
        this.#unread[index] = firstMembersRead;
        this.#digestPending(view, at);
        return closingEnd(view, k + 1, 1);
      }
      k = skipSpace(view, k + 1);
    }
  }

  /** Digests the strings left pending, unless a member that leaves them undigested was found. */
  #digestPending(view: Uint8Array, at: number): void {
    let present = 0;
    for (let s = 0; s < this.#names.length; s++) if (this.#kinds[at + s] !== absentMember) present |= 1 << s;
    for (let s = 0; s < this.#names.length; s++) {
      if (this.#kinds[at + s] !== undigestedMember || (present & this.#unless[s]) !== 0) continue;
      digestToken(view, this.#pendingStart[s], this.#pendingEnd[s], this.#first, this.#second, at + s);
      this.#kinds[at + s] = stringMember;
    }
  }

  /** Which name the quoted name view[start, end) is; -1 for none. */
  #slotOf(view: Uint8Array, start: number, end: number, escaped: boolean): number {
    // Escapes are rare in member names: decoded only when there is one.
    if (escaped) return this.#nameStrings.indexOf(stringAt(view, start, end));
    const length = end - start - 2;
    // Most names are none of these, and most of those are not as long as any.
    if (length < 32 && (this.#lengths & (1 << length)) === 0) return -1;
    names: for (let s = 0; s < this.#names.length; s++) {
      const wanted = this.#names[s];
      if (wanted.length !== length) continue;
      for (let k = 0; k < length; k++) if (view[start + 1 + k] !== wanted[k]) continue names;
      return s;
    }
    return -1;
  }

  #record(view: Uint8Array, value: number, end: number, slot: number): void {
    const first = view[value];
    if (first === QUOTE) {
      digestToken(view, value, end, this.#first, this.#second, slot);
      this.#kinds[slot] = stringMember;
    } else if (first === OPEN_BRACKET) {
      this.#kinds[slot] = listMember;
      this.#first[slot] = this.#listUsed / 2;
      // The array's items as subject-batches read them: each value in turn, strings kept.
      for (let k = skipSpace(view, value + 1); k < end && view[k] !== CLOSE_BRACKET; ) {
        const stop = valueEnd(view, k);
        if (view[k] === QUOTE) {
          if (this.#listUsed + 2 > this.#list.length) this.#list = grown(this.#list, this.#list.length * 2);
          digestToken(view, k, stop, this.#list, this.#list, this.#listUsed, this.#listUsed + 1);
          this.#listUsed += 2;
        }
        k = skipSpace(view, stop);
        if (view[k] === COMMA) k = skipSpace(view, k + 1);
      }
      this.#second[slot] = this.#listUsed / 2;
    } else this.#kinds[slot] = otherMember;
  }

  #grow(needed: number): void {
    const n = this.#names.length;
    const capacity = Math.max(1024, needed, this.#capacity * 2);
    this.#kinds = grown(this.#kinds, capacity * n);
    this.#first = grown(this.#first, capacity * n);
    this.#second = grown(this.#second, capacity * n);
    this.#unread = grown(this.#unread, capacity);
    this.#capacity = capacity;
  }

  take(count: number): MemberDigests {
    const digests: MemberDigests = { names: this.#names.length, count, kinds: this.#kinds, first: this.#first, second: this.#second, list: this.#list.subarray(0, this.#listUsed), unread: this.#unread };
    this.#capacity = 0;
    this.#kinds = new Uint8Array(0);
    this.#first = new Int32Array(0);
    this.#second = new Int32Array(0);
    this.#unread = new Uint8Array(0);
    this.#list = new Int32Array(256);
    this.#listUsed = 0;
    this.#index = -1;
    return digests;
  }

  join(parts: readonly MemberDigests[]): MemberDigests {
    if (parts.length === 1) return parts[0];
    const n = this.#names.length;
    let count = 0;
    let listLength = 0;
    for (const p of parts) {
      count += p.count;
      listLength += p.list.length;
    }
    const out: MemberDigests = { names: n, count, kinds: new Uint8Array(count * n), first: new Int32Array(count * n), second: new Int32Array(count * n), list: new Int32Array(listLength), unread: new Uint8Array(count) };
    let at = 0;
    let listAt = 0;
    for (const p of parts) {
      out.kinds.set(p.kinds.subarray(0, p.count * n), at * n);
      out.first.set(p.first.subarray(0, p.count * n), at * n);
      out.second.set(p.second.subarray(0, p.count * n), at * n);
      out.unread.set(p.unread.subarray(0, p.count), at);
      out.list.set(p.list, listAt);
      // A list's range moves with the pairs before it.
      for (let s = at * n; s < (at + p.count) * n; s++) {
        if (out.kinds[s] === listMember) {
          out.first[s] += listAt / 2;
          out.second[s] += listAt / 2;
        }
      }
      at += p.count;
      listAt += p.list.length;
    }
    return out;
  }

  /** The buffers a part's digests hold, to move them to another thread. */
  static buffers(digests: MemberDigests): ArrayBuffer[] {
    return [digests.kinds, digests.first, digests.second, digests.list, digests.unread].map((a) => a.buffer as ArrayBuffer);
  }
}

/** Writes the digest of the JSON string token buf[start, end) (quotes included) to first[a] and second[b]. */
export function digestToken(buf: Uint8Array, start: number, end: number, first: Int32Array, second: Int32Array, a: number, b = a): void {
  if (!digestBytes(buf, start + 1, end - 1, true)) {
    // An escape: the decoded string's bytes, so that "a\u0062" and "ab" have one digest.
    const decoded = Buffer.from(stringAt(buf, start, end), "utf8");
    digestBytes(decoded, 0, decoded.length, false);
  }
  first[a] = digestFirst;
  second[b] = digestSecond;
}

/** The digest of a string, as [first, second]. */
export function digestOfText(text: string): [number, number] {
  const bytes = Buffer.from(text, "utf8");
  digestBytes(bytes, 0, bytes.length, false);
  return [digestFirst, digestSecond];
}

// digestBytes's result (two numbers, without an allocation per string).
let digestFirst = 0;
let digestSecond = 0;

/**
 * Two 32-bit hashes of bytes[start, end), four bytes a step (a multiply per step and hash,
 * different multipliers and shifts, so both rarely collide at once), into digestFirst and
 * digestSecond; false, without a result, when `stopAtEscape` and a backslash is met.
 */
function digestBytes(bytes: Uint8Array, start: number, end: number, stopAtEscape: boolean): boolean {
  let h = 0x811c9dc5 | 0;
  let g = 0x9747b28c | 0;
  let k = start;
  for (; k + 4 <= end; k += 4) {
    const c0 = bytes[k];
    const c1 = bytes[k + 1];
    const c2 = bytes[k + 2];
    const c3 = bytes[k + 3];
    if (stopAtEscape && (c0 === BACKSLASH || c1 === BACKSLASH || c2 === BACKSLASH || c3 === BACKSLASH)) return false;
    const word = c0 | (c1 << 8) | (c2 << 16) | (c3 << 24);
    h = Math.imul(h ^ word, 0x01000193);
    h ^= h >>> 13;
    g = Math.imul(g ^ word, 0x5bd1e995);
    g ^= g >>> 15;
  }
  for (; k < end; k++) {
    const c = bytes[k];
    if (stopAtEscape && c === BACKSLASH) return false;
    h = Math.imul(h ^ c, 0x01000193);
    h ^= h >>> 13;
    g = Math.imul(g ^ c, 0x5bd1e995);
    g ^= g >>> 15;
  }
  digestFirst = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  digestSecond = Math.imul(g ^ (end - start), 0x27d4eb2d);
  return true;
}

function grown<T extends Uint8Array | Int32Array>(a: T, length: number): T {
  const b = new (a.constructor as new (n: number) => T)(length);
  b.set(a.subarray(0, Math.min(a.length, length)));
  return b;
}
