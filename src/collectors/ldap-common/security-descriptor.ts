// Self-relative SECURITY_DESCRIPTOR ([MS-DTYP] 2.4.6) as AD returns nTSecurityDescriptor:
// owner, group and the DACL with its ACEs. The SACL is skipped (not readable without
// SeSecurityPrivilege and irrelevant to who can reset passwords).
import { decodeGuidAt } from "./guid.ts";
import { decodeSidAt } from "./sid.ts";

export const ACE_TYPE = {
  ACCESS_ALLOWED: 0x00,
  ACCESS_DENIED: 0x01,
  SYSTEM_AUDIT: 0x02,
  ACCESS_ALLOWED_OBJECT: 0x05,
  ACCESS_DENIED_OBJECT: 0x06,
  SYSTEM_AUDIT_OBJECT: 0x07,
} as const;

export const ACE_FLAG = {
  OBJECT_INHERIT: 0x01,
  CONTAINER_INHERIT: 0x02,
  NO_PROPAGATE_INHERIT: 0x04,
  INHERIT_ONLY: 0x08,
  INHERITED: 0x10,
} as const;

export const SD_CONTROL = {
  DACL_PRESENT: 0x0004,
  DACL_PROTECTED: 0x1000,
  SELF_RELATIVE: 0x8000,
} as const;

const OBJECT_TYPE_PRESENT = 0x1;
const INHERITED_OBJECT_TYPE_PRESENT = 0x2;

export interface Ace {
  type: number;
  flags: number;
  mask: number;
  /** Object ACEs only: the property, property set, extended right or child class. */
  objectType?: string;
  /** Object ACEs only: the object class the ACE is inherited to. */
  inheritedObjectType?: string;
  sid: string;
}

export interface SecurityDescriptor {
  control: number;
  owner: string | null;
  group: string | null;
  /** null when the DACL is absent (everyone has full access). */
  dacl: Ace[] | null;
}

export function isAllowAce(ace: Ace): boolean {
  return ace.type === ACE_TYPE.ACCESS_ALLOWED || ace.type === ACE_TYPE.ACCESS_ALLOWED_OBJECT;
}

export function isDenyAce(ace: Ace): boolean {
  return ace.type === ACE_TYPE.ACCESS_DENIED || ace.type === ACE_TYPE.ACCESS_DENIED_OBJECT;
}

function isObjectAce(type: number): boolean {
  return type === ACE_TYPE.ACCESS_ALLOWED_OBJECT || type === ACE_TYPE.ACCESS_DENIED_OBJECT || type === ACE_TYPE.SYSTEM_AUDIT_OBJECT;
}

function parseAcl(bytes: Uint8Array, view: DataView, offset: number): Ace[] {
  if (offset + 8 > bytes.length) throw new RangeError("ACL header truncated");
  const aclSize = view.getUint16(offset + 2, true);
  const count = view.getUint16(offset + 4, true);
  if (offset + aclSize > bytes.length) throw new RangeError(`ACL size ${aclSize} runs past the descriptor`);
  const aces: Ace[] = [];
  let pos = offset + 8;
  for (let i = 0; i < count; i++) {
    if (pos + 4 > offset + aclSize) throw new RangeError(`ACE ${i} header truncated`);
    const type = bytes[pos];
    const flags = bytes[pos + 1];
    const size = view.getUint16(pos + 2, true);
    if (size < 8 || pos + size > offset + aclSize) throw new RangeError(`ACE ${i} size ${size} is invalid`);
    const end = pos + size;
    const body = bytes.subarray(0, end); // bounds every read below to this ACE
    const mask = view.getUint32(pos + 4, true);
    let p = pos + 8;
    let objectType: string | undefined;
    let inheritedObjectType: string | undefined;
    if (isObjectAce(type)) {
      if (p + 4 > end) throw new RangeError(`object ACE ${i} truncated`);
      const objectFlags = view.getUint32(p, true);
      p += 4;
      if (objectFlags & OBJECT_TYPE_PRESENT) {
        objectType = decodeGuidAt(body, p);
        p += 16;
      }
      if (objectFlags & INHERITED_OBJECT_TYPE_PRESENT) {
        inheritedObjectType = decodeGuidAt(body, p);
        p += 16;
      }
    }
    if (type <= ACE_TYPE.SYSTEM_AUDIT_OBJECT) {
      const { sid } = decodeSidAt(body, p);
      const ace: Ace = { type, flags, mask, sid };
      if (objectType) ace.objectType = objectType;
      if (inheritedObjectType) ace.inheritedObjectType = inheritedObjectType;
      aces.push(ace);
    }
    // Callback and other ACE types carry conditions we do not evaluate; they are skipped.
    pos = end;
  }
  return aces;
}

/** Parses a self-relative security descriptor; throws RangeError on malformed bytes. */
export function parseSecurityDescriptor(bytes: Uint8Array): SecurityDescriptor {
  if (bytes.length < 20) throw new RangeError(`security descriptor too short (${bytes.length} bytes)`);
  if (bytes[0] !== 1) throw new RangeError(`security descriptor revision ${bytes[0]} is not 1`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const control = view.getUint16(2, true);
  if (!(control & SD_CONTROL.SELF_RELATIVE)) throw new RangeError("security descriptor is not self-relative");
  const ownerOffset = view.getUint32(4, true);
  const groupOffset = view.getUint32(8, true);
  const daclOffset = view.getUint32(16, true);
  // Parse ACLs against a view rooted at the same buffer so offsets stay absolute.
  const rooted = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    control,
    owner: ownerOffset ? decodeSidAt(rooted, ownerOffset).sid : null,
    group: groupOffset ? decodeSidAt(rooted, groupOffset).sid : null,
    dacl: control & SD_CONTROL.DACL_PRESENT && daclOffset ? parseAcl(rooted, view, daclOffset) : null,
  };
}
