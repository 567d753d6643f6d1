// Binary GUID as AD stores objectGUID and ACE object types: the first three fields are
// little-endian, the last eight bytes in order. Entra's onPremisesImmutableId is the base64 of
// these same 16 bytes, which is how the two directories are correlated.

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function hex(bytes: Uint8Array, from: number, to: number, reverse: boolean): string {
  let out = "";
  if (reverse) for (let i = to - 1; i >= from; i--) out += HEX[bytes[i]];
  else for (let i = from; i < to; i++) out += HEX[bytes[i]];
  return out;
}

export function decodeGuidAt(bytes: Uint8Array, offset: number): string {
  if (offset + 16 > bytes.length) throw new RangeError("GUID truncated");
  const b = bytes.subarray(offset, offset + 16);
  return `${hex(b, 0, 4, true)}-${hex(b, 4, 6, true)}-${hex(b, 6, 8, true)}-${hex(b, 8, 10, false)}-${hex(b, 10, 16, false)}`;
}

/** 16 bytes -> canonical lower-case `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`. */
export function decodeGuid(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`GUID must be 16 bytes, got ${bytes.length}`);
  return decodeGuidAt(bytes, 0);
}

/**
 * 16 bytes -> a key whose string order is the order of the stored bytes compared one by one
 * (memcmp), which is how AD ranks objects by objectGUID (PSO precedence ties, [MS-ADTS]
 * 3.1.1.4.5.36). The canonical strings sort differently: their first three fields are byte-swapped.
 */
export function guidByteOrderKey(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`GUID must be 16 bytes, got ${bytes.length}`);
  return hex(bytes, 0, 16, false);
}

/** 16 bytes -> base64 (the form of Entra onPremisesImmutableId / ms-DS-ConsistencyGuid). */
export function guidToBase64(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`GUID must be 16 bytes, got ${bytes.length}`);
  return Buffer.from(bytes).toString("base64");
}

/** Canonical string -> 16 bytes in AD byte order. */
export function encodeGuid(guid: string): Uint8Array {
  const m = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i.exec(guid);
  if (!m) throw new RangeError(`not a GUID: ${guid}`);
  const bytesOf = (h: string) => h.match(/../g)!.map((x) => parseInt(x, 16));
  return Uint8Array.from([
    ...bytesOf(m[1]).reverse(),
    ...bytesOf(m[2]).reverse(),
    ...bytesOf(m[3]).reverse(),
    ...bytesOf(m[4]),
    ...bytesOf(m[5]),
  ]);
}

/** base64 immutableId -> canonical GUID string. */
export function base64ToGuid(b64: string): string {
  return decodeGuid(Buffer.from(b64, "base64"));
}
