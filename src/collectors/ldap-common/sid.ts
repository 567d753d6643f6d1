// Binary SID ([MS-DTYP] 2.4.2.2): revision (1 byte), sub-authority count (1), 48-bit big-endian
// identifier authority (6), then count little-endian 32-bit sub-authorities.

/** Decodes a SID at `offset`; returns the S-1-... string and the byte length consumed. */
export function decodeSidAt(bytes: Uint8Array, offset: number): { sid: string; length: number } {
  if (offset + 8 > bytes.length) throw new RangeError("SID truncated (header)");
  const revision = bytes[offset];
  const count = bytes[offset + 1];
  if (revision !== 1) throw new RangeError(`SID revision ${revision} is not 1`);
  if (count > 15) throw new RangeError(`SID has ${count} sub-authorities (max 15)`);
  const length = 8 + 4 * count;
  if (offset + length > bytes.length) throw new RangeError("SID truncated (sub-authorities)");
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + bytes[offset + i];
  const view = new DataView(bytes.buffer, bytes.byteOffset + offset + 8, 4 * count);
  const parts = [`S-1-${authority}`];
  for (let i = 0; i < count; i++) parts.push(String(view.getUint32(4 * i, true)));
  return { sid: parts.join("-"), length };
}

export function decodeSid(bytes: Uint8Array): string {
  const { sid, length } = decodeSidAt(bytes, 0);
  if (length !== bytes.length) throw new RangeError(`SID has ${bytes.length - length} trailing bytes`);
  return sid;
}

/** S-1-... -> binary, for building exports and tests. */
export function encodeSid(sid: string): Uint8Array {
  const m = /^S-1-(\d+)((?:-\d+)*)$/.exec(sid);
  if (!m) throw new RangeError(`not a SID string: ${sid}`);
  const subs = m[2] ? m[2].slice(1).split("-").map(Number) : [];
  const out = new Uint8Array(8 + 4 * subs.length);
  out[0] = 1;
  out[1] = subs.length;
  let authority = Number(m[1]);
  for (let i = 7; i >= 2; i--) {
    out[i] = authority % 256;
    authority = Math.floor(authority / 256);
  }
  const view = new DataView(out.buffer);
  subs.forEach((sub, i) => view.setUint32(8 + 4 * i, sub, true));
  return out;
}

/** The relative id (last sub-authority) of a domain SID, or null for SIDs without one. */
export function sidRid(sid: string): number | null {
  const m = /^S-1-5-21-\d+-\d+-\d+-(\d+)$/.exec(sid);
  return m ? Number(m[1]) : null;
}
