// Binary encodings of Windows security structures, as AD stores them: SIDs, GUIDs,
// FILETIMEs, negative 100 ns durations and self-relative security descriptors (MS-DTYP).
// The generator needs them to write realistic exports; credgov's decoders read them back.

export function encodeSid(sid: string): Uint8Array {
  const parts = sid.split("-");
  if (parts[0] !== "S") throw new Error(`not a SID: ${sid}`);
  const revision = Number(parts[1]);
  const authority = BigInt(parts[2]);
  const subs = parts.slice(3).map((s) => Number(s));
  const out = new Uint8Array(8 + 4 * subs.length);
  const view = new DataView(out.buffer);
  out[0] = revision;
  out[1] = subs.length;
  for (let i = 0; i < 6; i++) out[2 + i] = Number((authority >> BigInt(8 * (5 - i))) & 0xffn);
  subs.forEach((s, i) => view.setUint32(8 + 4 * i, s >>> 0, true));
  return out;
}

/** GUID string to the mixed-endian byte layout AD uses for objectGUID. */
export function encodeGuid(guid: string): Uint8Array {
  const hex = guid.replace(/-/g, "");
  const b = Buffer.from(hex, "hex");
  return new Uint8Array([b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], ...b.subarray(8)]);
}

export function guidFromBytes(bytes: Uint8Array): string {
  const b = bytes;
  const hex = (xs: number[]) => xs.map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex([b[3], b[2], b[1], b[0]])}-${hex([b[5], b[4]])}-${hex([b[7], b[6]])}-${hex([b[8], b[9]])}-${hex([...b.subarray(10, 16)])}`;
}

const EPOCH_DIFF_MS = 11644473600000n;
/** Date to FILETIME (100 ns intervals since 1601-01-01 UTC), as a decimal string. */
export function toFiletime(date: Date): string {
  return ((BigInt(date.getTime()) + EPOCH_DIFF_MS) * 10000n).toString();
}

/** Days to AD's negative 100 ns interval (maxPwdAge and friends); 0 days = never. */
export function toAdDuration(days: number): string {
  if (days === 0) return "-9223372036854775808";
  return (-BigInt(Math.round(days * 86400)) * 10000000n).toString();
}

export function toGeneralizedTime(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}.0Z`;
}

export interface Ace {
  type: "allow" | "allow-object" | "deny";
  mask: number;
  sid: string;
  /** ACE flags: 0x02 CONTAINER_INHERIT, 0x08 INHERIT_ONLY, 0x10 INHERITED. */
  flags?: number;
  objectType?: string;
  inheritedObjectType?: string;
}

function encodeAce(ace: Ace): Uint8Array {
  const sid = encodeSid(ace.sid);
  const isObject = ace.type === "allow-object";
  const guids = isObject ? [ace.objectType, ace.inheritedObjectType] : [];
  const size = 8 + (isObject ? 4 + guids.filter(Boolean).length * 16 : 0) + sid.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out[0] = ace.type === "allow" ? 0x00 : ace.type === "deny" ? 0x01 : 0x05;
  out[1] = ace.flags ?? 0;
  view.setUint16(2, size, true);
  view.setUint32(4, ace.mask >>> 0, true);
  let at = 8;
  if (isObject) {
    const present = (ace.objectType ? 1 : 0) | (ace.inheritedObjectType ? 2 : 0);
    view.setUint32(at, present, true);
    at += 4;
    for (const g of guids) {
      if (!g) continue;
      out.set(encodeGuid(g), at);
      at += 16;
    }
  }
  out.set(sid, at);
  return out;
}

/** Self-relative security descriptor with owner, group and a DACL. */
export function encodeSecurityDescriptor(owner: string, group: string, aces: Ace[]): Uint8Array {
  const ownerSid = encodeSid(owner);
  const groupSid = encodeSid(group);
  const aceBytes = aces.map(encodeAce);
  const aclSize = 8 + aceBytes.reduce((n, a) => n + a.length, 0);
  const total = 20 + ownerSid.length + groupSid.length + aclSize;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out[0] = 1; // revision
  view.setUint16(2, 0x8000 | 0x0400 | 0x0004, true); // SELF_RELATIVE | DACL_AUTO_INHERITED | DACL_PRESENT
  const ownerAt = 20;
  const groupAt = ownerAt + ownerSid.length;
  const daclAt = groupAt + groupSid.length;
  view.setUint32(4, ownerAt, true);
  view.setUint32(8, groupAt, true);
  view.setUint32(12, 0, true);
  view.setUint32(16, daclAt, true);
  out.set(ownerSid, ownerAt);
  out.set(groupSid, groupAt);
  out[daclAt] = 4; // ACL_REVISION_DS (object ACEs)
  view.setUint16(daclAt + 2, aclSize, true);
  view.setUint16(daclAt + 4, aces.length, true);
  let at = daclAt + 8;
  for (const a of aceBytes) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

export const RIGHTS = {
  controlAccess: 0x100,
  genericAll: 0x10000000,
  fullControl: 0xf01ff,
  writeDacl: 0x40000,
  writeOwner: 0x80000,
  readProperty: 0x10,
  genericRead: 0x20094,
} as const;

export const GUIDS = {
  userForceChangePassword: "00299570-246d-11d0-a768-00aa006e0529",
  userClass: "bf967aba-0de6-11d0-a285-00aa003049e2",
} as const;
