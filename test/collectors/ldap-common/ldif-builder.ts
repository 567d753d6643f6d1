// Test helper: writes entries exactly as `ldapsearch -LLL` does (base64 for binary and
// non-printable/non-ASCII values, lines folded at 76 columns), and builds binary security
// descriptors, so synthetic fixtures exercise the same code paths as real exports.
import { encodeGuid } from "../../../src/collectors/ldap-common/guid.ts";
import { encodeSid } from "../../../src/collectors/ldap-common/sid.ts";

export type Value = string | Uint8Array;
export interface BuilderEntry {
  dn: string;
  [attribute: string]: Value | Value[];
}

/** RFC 2849 SAFE-STRING: printable ASCII not starting with space, colon or '<', not ending in space. */
function isSafe(value: string): boolean {
  if (value === "") return true;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code === 0 || code === 10 || code === 13 || code > 127) return false;
  }
  return !/^[ :<]/.test(value) && !value.endsWith(" ");
}

function fold(line: string, width = 76): string {
  if (line.length <= width) return line;
  const parts = [line.slice(0, width)];
  for (let i = width; i < line.length; i += width - 1) parts.push(" " + line.slice(i, i + width - 1));
  return parts.join("\n");
}

export function attributeLine(name: string, value: Value): string {
  if (typeof value === "string" && isSafe(value)) return fold(`${name}: ${value}`);
  const bytes = typeof value === "string" ? Buffer.from(value, "utf8") : Buffer.from(value);
  return fold(`${name}:: ${bytes.toString("base64")}`);
}

export function entryToLdif(entry: BuilderEntry): string {
  const lines = [attributeLine("dn", entry.dn)];
  for (const [name, raw] of Object.entries(entry)) {
    if (name === "dn") continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) lines.push(attributeLine(name, value));
  }
  return lines.join("\n") + "\n";
}

export function toLdif(entries: BuilderEntry[]): string {
  return entries.map(entryToLdif).join("\n") + "\n";
}

export interface AceSpec {
  type: "allow" | "deny";
  sid: string;
  mask: number;
  flags?: number;
  objectType?: string;
  inheritedObjectType?: string;
}

function aceBytes(ace: AceSpec): Buffer {
  const object = ace.objectType !== undefined || ace.inheritedObjectType !== undefined;
  const type = (ace.type === "allow" ? 0x00 : 0x01) + (object ? 0x05 : 0);
  const sid = Buffer.from(encodeSid(ace.sid));
  const parts: Buffer[] = [];
  const mask = Buffer.alloc(4);
  mask.writeUInt32LE(ace.mask >>> 0);
  parts.push(mask);
  if (object) {
    const objectFlags = Buffer.alloc(4);
    objectFlags.writeUInt32LE((ace.objectType ? 1 : 0) | (ace.inheritedObjectType ? 2 : 0));
    parts.push(objectFlags);
    if (ace.objectType) parts.push(Buffer.from(encodeGuid(ace.objectType)));
    if (ace.inheritedObjectType) parts.push(Buffer.from(encodeGuid(ace.inheritedObjectType)));
  }
  parts.push(sid);
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(4);
  header[0] = type;
  header[1] = ace.flags ?? 0;
  header.writeUInt16LE(4 + body.length, 2);
  return Buffer.concat([header, body]);
}

/** A self-relative SECURITY_DESCRIPTOR with owner, group and DACL (no SACL). */
export function buildSecurityDescriptor(spec: { owner: string; group: string; aces: AceSpec[]; protected?: boolean }): Uint8Array {
  const owner = Buffer.from(encodeSid(spec.owner));
  const group = Buffer.from(encodeSid(spec.group));
  const aces = spec.aces.map(aceBytes);
  const aclBody = Buffer.concat(aces);
  const aclHeader = Buffer.alloc(8);
  aclHeader[0] = 4; // ACL_REVISION_DS: object ACEs allowed
  aclHeader.writeUInt16LE(8 + aclBody.length, 2);
  aclHeader.writeUInt16LE(aces.length, 4);
  const header = Buffer.alloc(20);
  header[0] = 1;
  header.writeUInt16LE(0x8000 | 0x0004 | (spec.protected ? 0x1000 : 0), 2);
  header.writeUInt32LE(20, 4);
  header.writeUInt32LE(20 + owner.length, 8);
  header.writeUInt32LE(0, 12);
  header.writeUInt32LE(20 + owner.length + group.length, 16);
  return Buffer.concat([header, owner, group, aclHeader, aclBody]);
}
