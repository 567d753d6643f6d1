// Constant data of a compiled policy (string values, file names, messages, the
// builtins()/entrypoints() JSON). It is laid out as one region written by the
// module's start function right at the runtime's heap base, so addresses are
// known at compile time and no data segment can exceed the SDK's initial memory.

const VSTR_SIZE = 16; // runtime.h vstr: u8 type @0, u32 len @4, const char *s @8, u32 hash @12 (0 = lazy)
const T_STR = 4;

export class StaticData {
  readonly base: number;
  private bytes: number[] = [];
  private cstrings = new Map<string, number>();

  constructor(base: number) {
    this.base = base;
  }

  private align(n: number): void {
    while (this.bytes.length % n !== 0) this.bytes.push(0);
  }

  private putU32(at: number, v: number): void {
    for (let i = 0; i < 4; i++) this.bytes[at + i] = (v >>> (8 * i)) & 0xff;
  }

  /** Address of a NUL-terminated UTF-8 copy of `s` (deduplicated). */
  cstring(s: string): number {
    const known = this.cstrings.get(s);
    if (known !== undefined) return known;
    const addr = this.base + this.bytes.length;
    for (const b of new TextEncoder().encode(s)) this.bytes.push(b);
    this.bytes.push(0);
    this.cstrings.set(s, addr);
    return addr;
  }

  /** Address of a prebuilt string value (runtime vstr) holding `s`. */
  stringValue(s: string): number {
    const text = this.cstring(s);
    this.align(8);
    const at = this.bytes.length;
    for (let i = 0; i < VSTR_SIZE; i++) this.bytes.push(0);
    this.bytes[at] = T_STR;
    this.putU32(at + 4, new TextEncoder().encode(s).length);
    this.putU32(at + 8, text);
    return this.base + at;
  }

  /** Address of an array of 32-bit words. */
  words(values: readonly number[]): number {
    this.align(8);
    const at = this.bytes.length;
    for (const v of values) {
      this.bytes.push(0, 0, 0, 0);
      this.putU32(this.bytes.length - 4, v);
    }
    return this.base + at;
  }

  byteLength(s: string): number {
    return new TextEncoder().encode(s).length;
  }

  /** The region, padded to 8 bytes. */
  contents(): Uint8Array {
    this.align(8);
    return Uint8Array.from(this.bytes);
  }
}
