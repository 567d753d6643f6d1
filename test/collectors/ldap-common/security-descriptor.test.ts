import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readLdifFile, type LdifEntry } from "../../../src/collectors/ldap-common/ldif-reader.ts";
import { ACE_FLAG, parseSecurityDescriptor, SD_CONTROL, type Ace } from "../../../src/collectors/ldap-common/security-descriptor.ts";
import { buildSecurityDescriptor } from "./ldif-builder.ts";

const FIXTURES = resolve(import.meta.dirname, "../../fixtures/ldif");
const DOMAIN = "S-1-5-21-3435912748-1817764177-2126073969";

// SDDL aliases Samba uses in the oracle file ([MS-DTYP] 2.4.2.4).
const SID_ALIASES: Record<string, string> = {
  AO: "S-1-5-32-548", AU: "S-1-5-11", BA: "S-1-5-32-544", PO: "S-1-5-32-550", PS: "S-1-5-10", RU: "S-1-5-32-554",
  SY: "S-1-5-18", WD: "S-1-1-0", ED: "S-1-5-9", CO: "S-1-3-0",
  DA: `${DOMAIN}-512`, DU: `${DOMAIN}-513`, DD: `${DOMAIN}-516`, CA: `${DOMAIN}-517`, EA: `${DOMAIN}-519`, RS: `${DOMAIN}-553`, RO: `${DOMAIN}-498`,
};
const RIGHTS: Record<string, number> = {
  GA: 0x10000000, GR: 0x80000000, GW: 0x40000000, GX: 0x20000000, RC: 0x20000, SD: 0x10000, WD: 0x40000, WO: 0x80000,
  RP: 0x10, WP: 0x20, CC: 0x1, DC: 0x2, LC: 0x4, SW: 0x8, LO: 0x80, DT: 0x40, CR: 0x100,
};
const FLAGS: Record<string, number> = { OI: 0x1, CI: 0x2, NP: 0x4, IO: 0x8, ID: 0x10 };
const TYPES: Record<string, number> = { A: 0, D: 1, OA: 5, OD: 6 };

function pairs(text: string): string[] {
  return text.match(/../g) ?? [];
}

/** Minimal SDDL reader for the oracle: owner, group and DACL ACEs. */
function fromSddl(sddl: string): { owner: string; group: string; dacl: Ace[] } {
  const sid = (s: string) => SID_ALIASES[s] ?? s;
  const owner = /O:([A-Z]{2}|S-[\d-]+)/.exec(sddl)![1];
  const group = /G:([A-Z]{2}|S-[\d-]+)/.exec(sddl)![1];
  const daclPart = /D:[A-Z]*((?:\([^)]*\))*)/.exec(sddl)![1];
  const dacl = [...daclPart.matchAll(/\(([^)]*)\)/g)].map(([, ace]) => {
    const [type, flags, rights, objectType, inheritedObjectType, trustee] = ace.split(";");
    const mask = rights.startsWith("0x") ? Number(rights) : pairs(rights).reduce((m, r) => (m | RIGHTS[r]) >>> 0, 0);
    const out: Ace = { type: TYPES[type], flags: pairs(flags).reduce((f, x) => f | FLAGS[x], 0), mask, sid: sid(trustee) };
    if (objectType) out.objectType = objectType;
    if (inheritedObjectType) out.inheritedObjectType = inheritedObjectType;
    return out;
  });
  return { owner: sid(owner), group: sid(group), dacl };
}

async function sambaEntries(): Promise<Map<string, LdifEntry>> {
  const map = new Map<string, LdifEntry>();
  for await (const e of readLdifFile(join(FIXTURES, "samba-delegation.ldif"))) map.set(e.dn, e);
  return map;
}

describe("security descriptor parser", () => {
  it("decodes real Samba descriptors exactly as Samba renders them in SDDL", async () => {
    const entries = await sambaEntries();
    const oracle = readFileSync(join(FIXTURES, "samba-delegation.sddl"), "utf8").split("\n").filter((l) => l && !l.startsWith("#"));
    expect(oracle).toHaveLength(4);
    for (const line of oracle) {
      const [dn, sddl] = line.split("\t");
      const bytes = entries.get(dn)!.attributes.ntsecuritydescriptor[0];
      const sd = parseSecurityDescriptor(bytes);
      const expected = fromSddl(sddl);
      expect(sd.owner, dn).toBe(expected.owner);
      expect(sd.group, dn).toBe(expected.group);
      expect(sd.dacl, dn).toEqual(expected.dacl);
      expect(sd.dacl!.length, dn).toBeGreaterThan(10);
    }
  });

  it("finds the inheritable delegated reset ACE on the OU and its inherited copy on the user", async () => {
    const entries = await sambaEntries();
    const helpdesk = `${DOMAIN}-1106`;
    const ou = parseSecurityDescriptor(entries.get("OU=Staff,DC=corp,DC=example")!.attributes.ntsecuritydescriptor[0]);
    const onOu = ou.dacl!.filter((a) => a.sid === helpdesk);
    expect(onOu).toEqual([
      { type: 5, flags: ACE_FLAG.CONTAINER_INHERIT, mask: 0x100, objectType: "00299570-246d-11d0-a768-00aa006e0529", inheritedObjectType: "bf967aba-0de6-11d0-a285-00aa003049e2", sid: helpdesk },
    ]);
    const bob = parseSecurityDescriptor(entries.get("CN=bob,OU=Staff,DC=corp,DC=example")!.attributes.ntsecuritydescriptor[0]);
    const onBob = bob.dacl!.filter((a) => a.sid === helpdesk);
    expect(onBob).toHaveLength(1);
    expect(onBob[0].flags & ACE_FLAG.INHERITED).toBe(ACE_FLAG.INHERITED);
    expect(onBob[0].objectType).toBe("00299570-246d-11d0-a768-00aa006e0529");
  });

  it("round-trips a built descriptor with object, inherited and deny ACEs", () => {
    const bytes = buildSecurityDescriptor({
      owner: "S-1-5-32-544",
      group: `${DOMAIN}-513`,
      protected: true,
      aces: [
        { type: "deny", sid: "S-1-1-0", mask: 0x100, objectType: "ab721a53-1e2f-11d0-9819-00aa0040529b" },
        { type: "allow", sid: `${DOMAIN}-1200`, mask: 0x100, flags: ACE_FLAG.CONTAINER_INHERIT | ACE_FLAG.INHERIT_ONLY, objectType: "00299570-246d-11d0-a768-00aa006e0529", inheritedObjectType: "bf967aba-0de6-11d0-a285-00aa003049e2" },
        { type: "allow", sid: `${DOMAIN}-512`, mask: 0x000f01ff, flags: ACE_FLAG.INHERITED },
      ],
    });
    const sd = parseSecurityDescriptor(bytes);
    expect(sd.control & SD_CONTROL.DACL_PROTECTED).toBeTruthy();
    expect(sd.owner).toBe("S-1-5-32-544");
    expect(sd.dacl).toEqual([
      { type: 6, flags: 0, mask: 0x100, objectType: "ab721a53-1e2f-11d0-9819-00aa0040529b", sid: "S-1-1-0" },
      { type: 5, flags: 0x0a, mask: 0x100, objectType: "00299570-246d-11d0-a768-00aa006e0529", inheritedObjectType: "bf967aba-0de6-11d0-a285-00aa003049e2", sid: `${DOMAIN}-1200` },
      { type: 0, flags: 0x10, mask: 0xf01ff, sid: `${DOMAIN}-512` },
    ]);
  });

  it("rejects truncated and malformed descriptors with RangeError", () => {
    const bytes = buildSecurityDescriptor({ owner: "S-1-5-32-544", group: "S-1-5-32-544", aces: [{ type: "allow", sid: "S-1-1-0", mask: 0x10 }] });
    expect(() => parseSecurityDescriptor(bytes.subarray(0, bytes.length - 3))).toThrow(RangeError);
    expect(() => parseSecurityDescriptor(bytes.subarray(0, 12))).toThrow(RangeError);
    const notSelfRelative = Uint8Array.from(bytes);
    notSelfRelative[3] = 0;
    expect(() => parseSecurityDescriptor(notSelfRelative)).toThrow(/self-relative/);
  });
});
