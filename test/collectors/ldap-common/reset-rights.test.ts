import { describe, expect, it } from "vitest";
import { CLASS_GUID, FORCE_CHANGE_PASSWORD_RIGHT, inheritableResetGrants, resetGrantsOnObject, resetRightsOfAce } from "../../../src/collectors/ldap-common/reset-rights.ts";
import { ACE_FLAG, type Ace } from "../../../src/collectors/ldap-common/security-descriptor.ts";

const allow = (sid: string, mask: number, extra: Partial<Ace> = {}): Ace => ({ type: extra.objectType || extra.inheritedObjectType ? 5 : 0, flags: 0, mask, sid, ...extra });
const deny = (sid: string, mask: number, extra: Partial<Ace> = {}): Ace => ({ ...allow(sid, mask, extra), type: extra.objectType || extra.inheritedObjectType ? 6 : 1 });
const CHANGE_PASSWORD = "ab721a53-1e2f-11d0-9819-00aa0040529b"; // user may change own password: not a reset

describe("reset rights of an ACE", () => {
  it("maps masks and object types to rights", () => {
    expect(resetRightsOfAce(allow("S", 0x10000000))).toEqual(["GenericAll"]);
    expect(resetRightsOfAce(allow("S", 0xf01ff))).toEqual(["GenericAll"]);
    expect(resetRightsOfAce(allow("S", 0x100))).toEqual(["AllExtendedRights"]);
    expect(resetRightsOfAce(allow("S", 0x40000 | 0x80000 | 0x10))).toEqual(["WriteDACL", "WriteOwner"]);
    expect(resetRightsOfAce(allow("S", 0x100, { objectType: FORCE_CHANGE_PASSWORD_RIGHT }))).toEqual(["User-Force-Change-Password"]);
    expect(resetRightsOfAce(allow("S", 0x100, { objectType: CHANGE_PASSWORD }))).toEqual([]);
    expect(resetRightsOfAce(allow("S", 0x20 | 0x10 | 0x4))).toEqual([]); // read/write property, list
    // An InheritedObjectType alone does not narrow the rights on objects of that class.
    expect(resetRightsOfAce(allow("S", 0x100, { inheritedObjectType: CLASS_GUID.user }))).toEqual(["AllExtendedRights"]);
  });
});

describe("reset grants on an object", () => {
  it("applies deny ACEs only to allows that follow them, per trustee and right", () => {
    const grants = resetGrantsOnObject([
      deny("A", 0x100, { objectType: FORCE_CHANGE_PASSWORD_RIGHT }),
      allow("A", 0x100), // all extended rights include the denied force-change right
      allow("A", 0x40000),
      allow("B", 0x100, { objectType: FORCE_CHANGE_PASSWORD_RIGHT, flags: ACE_FLAG.INHERITED }),
      deny("B", 0x100, { objectType: FORCE_CHANGE_PASSWORD_RIGHT }), // after the allow: too late
      allow("C", 0x10000000, { flags: ACE_FLAG.INHERIT_ONLY | ACE_FLAG.CONTAINER_INHERIT }), // not for the object itself
    ]);
    expect(grants).toEqual([
      { sid: "A", right: "WriteDACL", inherited: false },
      { sid: "B", right: "User-Force-Change-Password", inherited: true },
    ]);
  });
});

describe("reset grants passed down by a container", () => {
  const aces: Ace[] = [
    allow("U", 0x100, { flags: ACE_FLAG.CONTAINER_INHERIT, objectType: FORCE_CHANGE_PASSWORD_RIGHT, inheritedObjectType: CLASS_GUID.user }),
    allow("K", 0x10000000, { flags: ACE_FLAG.CONTAINER_INHERIT, inheritedObjectType: CLASS_GUID.computer }),
    allow("N", 0x40000, { flags: ACE_FLAG.CONTAINER_INHERIT | ACE_FLAG.NO_PROPAGATE_INHERIT }),
    allow("X", 0x10000000), // not inheritable: applies to the container only
    allow("I", 0xf01ff, { flags: ACE_FLAG.CONTAINER_INHERIT | ACE_FLAG.INHERITED }),
  ];
  it("honours InheritedObjectType, NO_PROPAGATE_INHERIT and non-inheritable ACEs", () => {
    const sids = (classes: readonly string[], direct: boolean) => inheritableResetGrants(aces, classes, direct).map((g) => `${g.sid}:${g.right}:${g.inherited}`);
    expect(sids([CLASS_GUID.user], true)).toEqual(["U:User-Force-Change-Password:false", "N:WriteDACL:false", "I:GenericAll:true"]);
    expect(sids([CLASS_GUID.user], false)).toEqual(["U:User-Force-Change-Password:false", "I:GenericAll:true"]);
    expect(sids([CLASS_GUID.computer], false)).toEqual(["K:GenericAll:false", "I:GenericAll:true"]);
  });
});
