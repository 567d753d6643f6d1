// Just enough DER (ASN.1) reading to split concatenated certificates and to read the subject of a
// certificate signing request, which node:crypto cannot parse.
export interface Tlv {
  tag: number;
  start: number; // offset of the tag byte
  contentStart: number;
  end: number; // exclusive
}

export function readTlv(buf: Buffer, offset: number): Tlv {
  if (offset + 2 > buf.length) throw new Error("asn1: truncated");
  const tag = buf[offset];
  let len = buf[offset + 1];
  let pos = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || pos + n > buf.length) throw new Error("asn1: structure error");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + i];
    pos += n;
  }
  if (pos + len > buf.length) throw new Error("asn1: structure error: data truncated");
  return { tag, start: offset, contentStart: pos, end: pos + len };
}

export function children(buf: Buffer, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let pos = parent.contentStart; pos < parent.end; ) {
    const t = readTlv(buf, pos);
    out.push(t);
    pos = t.end;
  }
  return out;
}

/** Top-level DER SEQUENCEs laid end to end (a certificate chain in DER). */
export function splitSequences(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let pos = 0; pos < buf.length; ) {
    const t = readTlv(buf, pos);
    if (t.tag !== 0x30) throw new Error("x509: malformed certificate");
    out.push(buf.subarray(t.start, t.end));
    pos = t.end;
  }
  return out;
}

/** An OBJECT IDENTIFIER's content bytes as dotted text. */
export function oid(bytes: Buffer): string {
  const parts = [Math.floor(bytes[0] / 40), bytes[0] % 40];
  let v = 0;
  for (const b of bytes.subarray(1)) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join(".");
}

/** An X.501 Name as [oid, value] pairs in order. */
export function readName(buf: Buffer, name: Tlv): [string, string][] {
  const out: [string, string][] = [];
  for (const rdn of children(buf, name)) {
    for (const atv of children(buf, rdn)) {
      const [type, value] = children(buf, atv);
      const text = value.tag === 0x1e
        ? buf.subarray(value.contentStart, value.end).swap16().toString("utf16le")
        : buf.subarray(value.contentStart, value.end).toString("utf8");
      out.push([oid(buf.subarray(type.contentStart, type.end)), text]);
    }
  }
  return out;
}
