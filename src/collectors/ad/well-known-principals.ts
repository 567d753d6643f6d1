// Built-in AD principals that matter for privilege and reset-path decisions, by SID (and by
// name as a fallback for exports without objectSid). Domain-relative groups are matched by RID
// under any domain SID, so a child domain's Enterprise Admins (root domain SID) also match.
import { sidRid } from "../ldap-common/sid.ts";

/** Domain-relative RIDs of privileged groups ([MS-ADTS] 6.1.1.6, "Protected accounts and groups"). */
const PRIVILEGED_RIDS = new Map<number, string>([
  [512, "Domain Admins"],
  [516, "Domain Controllers"],
  [518, "Schema Admins"],
  [519, "Enterprise Admins"],
  [520, "Group Policy Creator Owners"],
  [521, "Read-only Domain Controllers"],
  [526, "Key Admins"],
  [527, "Enterprise Key Admins"],
]);

/** BUILTIN groups that are privileged. */
const PRIVILEGED_BUILTIN = new Map<string, string>([
  ["S-1-5-32-544", "Administrators"],
  ["S-1-5-32-548", "Account Operators"],
  ["S-1-5-32-549", "Server Operators"],
  ["S-1-5-32-550", "Print Operators"],
  ["S-1-5-32-551", "Backup Operators"],
  ["S-1-5-32-552", "Replicator"],
]);

const PRIVILEGED_NAMES = new Set([...PRIVILEGED_RIDS.values(), ...PRIVILEGED_BUILTIN.values()].map((n) => n.toLowerCase()));

/** Trustees whose reset rights are administrative by design: mechanism `admin-role`. */
const ADMIN_RIDS = new Set([512, 519]);
const ADMIN_BUILTIN = new Set(["S-1-5-32-544", "S-1-5-32-548"]);

/**
 * Trustees never reported as reset actors: the OS itself (SYSTEM) and CREATOR OWNER, a
 * placeholder replaced by the creator's SID when an ACE is inherited.
 */
export const IGNORED_TRUSTEES = new Set(["S-1-5-18", "S-1-3-0"]);

const WELL_KNOWN_NAMES = new Map<string, string>([
  ["S-1-1-0", "Everyone"],
  ["S-1-3-0", "CREATOR OWNER"],
  ["S-1-5-7", "ANONYMOUS LOGON"],
  ["S-1-5-9", "ENTERPRISE DOMAIN CONTROLLERS"],
  ["S-1-5-10", "SELF"],
  ["S-1-5-11", "Authenticated Users"],
  ["S-1-5-18", "SYSTEM"],
  ["S-1-5-32-554", "Pre-Windows 2000 Compatible Access"],
  ["S-1-5-32-560", "Windows Authorization Access Group"],
  ["S-1-5-32-561", "Terminal Server License Servers"],
  ...PRIVILEGED_BUILTIN,
]);

/** The privileged-group name for a group, or null when it is not a built-in privileged group. */
export function privilegedGroupName(sid: string | undefined, name: string): string | null {
  if (sid) {
    const builtin = PRIVILEGED_BUILTIN.get(sid);
    if (builtin) return builtin;
    const rid = sidRid(sid);
    return rid !== null ? (PRIVILEGED_RIDS.get(rid) ?? null) : null;
  }
  return PRIVILEGED_NAMES.has(name.toLowerCase()) ? name : null;
}

export function isAdminTrustee(sid: string): boolean {
  if (ADMIN_BUILTIN.has(sid)) return true;
  const rid = sidRid(sid);
  return rid !== null && ADMIN_RIDS.has(rid);
}

export function wellKnownSidName(sid: string): string | null {
  const name = WELL_KNOWN_NAMES.get(sid);
  if (name) return name;
  const rid = sidRid(sid);
  return rid !== null ? (PRIVILEGED_RIDS.get(rid) ?? null) : null;
}
