// Which ACEs let a trustee reset a password: the User-Force-Change-Password extended right,
// AllExtendedRights (control access with no object type), GenericAll / full control, and
// WriteDACL / WriteOwner (which let the trustee grant itself the reset right).
import { ACE_FLAG, isAllowAce, isDenyAce, type Ace } from "./security-descriptor.ts";

export const ACCESS_MASK = {
  CONTROL_ACCESS: 0x100,
  WRITE_DAC: 0x40000,
  WRITE_OWNER: 0x80000,
  GENERIC_ALL: 0x10000000,
  /** All standard + DS-specific rights: what "Full Control" stores. */
  FULL_CONTROL: 0xf01ff,
} as const;

export const FORCE_CHANGE_PASSWORD_RIGHT = "00299570-246d-11d0-a768-00aa006e0529";

/** schemaIDGUIDs of the classes whose passwords are reset, used as InheritedObjectType. */
export const CLASS_GUID = {
  user: "bf967aba-0de6-11d0-a285-00aa003049e2",
  computer: "bf967a86-0de6-11d0-a285-00aa003049e2",
  inetOrgPerson: "4828cc14-1437-45bc-9b07-ad6f015e5f28",
  "msDS-GroupManagedServiceAccount": "7b8b558a-93a5-4af7-adca-c017e67f1057",
  "msDS-ManagedServiceAccount": "ce206244-5827-4a86-ba1c-1c0c386c1b64",
} as const;

export type ResetRight = "GenericAll" | "AllExtendedRights" | "User-Force-Change-Password" | "WriteDACL" | "WriteOwner";

export interface ResetGrant {
  sid: string;
  right: ResetRight;
  /** The ACE came from a parent (INHERITED_ACE), rather than being set on the object. */
  inherited: boolean;
}

/** Reset rights an ACE's mask and object type carry, regardless of allow/deny. */
export function resetRightsOfAce(ace: Ace): ResetRight[] {
  const rights: ResetRight[] = [];
  if (ace.objectType) {
    // An object type narrows the ACE to one property/right; only the force-change right matters.
    if (ace.mask & ACCESS_MASK.CONTROL_ACCESS && ace.objectType === FORCE_CHANGE_PASSWORD_RIGHT) {
      rights.push("User-Force-Change-Password");
    }
    return rights;
  }
  if (ace.mask & ACCESS_MASK.GENERIC_ALL || (ace.mask & ACCESS_MASK.FULL_CONTROL) === ACCESS_MASK.FULL_CONTROL) {
    rights.push("GenericAll");
    return rights; // full control subsumes the rest; one path per trustee is enough
  }
  if (ace.mask & ACCESS_MASK.CONTROL_ACCESS) rights.push("AllExtendedRights");
  if (ace.mask & ACCESS_MASK.WRITE_DAC) rights.push("WriteDACL");
  if (ace.mask & ACCESS_MASK.WRITE_OWNER) rights.push("WriteOwner");
  return rights;
}

/**
 * Walks ACEs in DACL order (the order Windows evaluates them): a deny for the same trustee
 * and right placed before an allow cancels it. Deny through group membership is not
 * expanded (documented limitation: the result can over-report, never under-report).
 */
function collect(aces: Iterable<Ace>, applies: (ace: Ace) => boolean): ResetGrant[] {
  const denied = new Set<string>();
  const grants: ResetGrant[] = [];
  for (const ace of aces) {
    if (!applies(ace)) continue;
    const rights = resetRightsOfAce(ace);
    if (isDenyAce(ace)) {
      for (const right of rights) {
        denied.add(`${ace.sid}|${right}`);
        // Denying the specific right also removes it from an all-extended-rights allow.
        if (right === "User-Force-Change-Password") denied.add(`${ace.sid}|AllExtendedRights`);
        if (right === "AllExtendedRights") denied.add(`${ace.sid}|User-Force-Change-Password`);
      }
      continue;
    }
    if (!isAllowAce(ace)) continue;
    for (const right of rights) {
      if (denied.has(`${ace.sid}|${right}`)) continue;
      grants.push({ sid: ace.sid, right, inherited: (ace.flags & ACE_FLAG.INHERITED) !== 0 });
    }
  }
  return grants;
}

/** Reset rights an object's own DACL grants on that object (explicit and inherited ACEs). */
export function resetGrantsOnObject(dacl: Iterable<Ace>): ResetGrant[] {
  return collect(dacl, (ace) => (ace.flags & ACE_FLAG.INHERIT_ONLY) === 0);
}

/**
 * Reset rights a container's DACL passes down to a descendant whose class GUIDs are
 * `targetClasses`; `directChild` says whether the descendant sits immediately below
 * (NO_PROPAGATE_INHERIT stops at children). `inherited` in the result means "the ACE on the
 * container was itself inherited", i.e. the container is not where it was set.
 */
export function inheritableResetGrants(dacl: Iterable<Ace>, targetClasses: readonly string[], directChild: boolean): ResetGrant[] {
  return collect(dacl, (ace) => {
    if ((ace.flags & ACE_FLAG.CONTAINER_INHERIT) === 0) return false;
    if (!directChild && ace.flags & ACE_FLAG.NO_PROPAGATE_INHERIT) return false;
    return ace.inheritedObjectType === undefined || targetClasses.includes(ace.inheritedObjectType);
  });
}
