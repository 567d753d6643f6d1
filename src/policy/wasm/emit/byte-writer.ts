// A growable byte buffer with the WebAssembly binary encodings (LEB128 integers, names, sections).

export class ByteWriter {
  private buf = new Uint8Array(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  u8(b: number): void {
    this.reserve(1);
    this.buf[this.length++] = b;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  uleb(n: number): void {
    this.reserve(5);
    let v = n >>> 0;
    do {
      let byte = v & 0x7f;
      v >>>= 7;
      if (v !== 0) byte |= 0x80;
      this.buf[this.length++] = byte;
    } while (v !== 0);
  }

  sleb32(n: number): void {
    this.reserve(5);
    let v = n | 0;
    for (;;) {
      const byte = v & 0x7f;
      v >>= 7;
      if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
        this.buf[this.length++] = byte;
        return;
      }
      this.buf[this.length++] = byte | 0x80;
    }
  }

  sleb64(n: bigint): void {
    this.reserve(10);
    let v = BigInt.asIntN(64, n);
    for (;;) {
      const byte = Number(v & 0x7fn);
      v >>= 7n;
      if ((v === 0n && (byte & 0x40) === 0) || (v === -1n && (byte & 0x40) !== 0)) {
        this.buf[this.length++] = byte;
        return;
      }
      this.buf[this.length++] = byte | 0x80;
    }
  }

  name(s: string): void {
    const b = new TextEncoder().encode(s);
    this.uleb(b.length);
    this.bytes(b);
  }

  /** A section: id, byte size, contents. */
  section(id: number, contents: ByteWriter): void {
    this.u8(id);
    this.uleb(contents.length);
    this.bytes(contents.view());
  }

  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
