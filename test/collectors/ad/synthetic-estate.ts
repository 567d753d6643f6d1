// Test helper: a small AD estate written in ldapsearch -LLL form, covering what the real Samba
// sample cannot (OU-only ACLs, deny ACEs, no-propagate inheritance, PSOs through nested groups,
// gMSA, both LAPS flavours, deleted owners).
import { isoToFiletime } from "../../../src/collectors/ldap-common/filetime.ts";
import { encodeGuid } from "../../../src/collectors/ldap-common/guid.ts";
import { daysToAdDuration } from "../../../src/collectors/ldap-common/ad-duration.ts";
import { encodeSid } from "../../../src/collectors/ldap-common/sid.ts";
import { ACE_FLAG } from "../../../src/collectors/ldap-common/security-descriptor.ts";
import { buildSecurityDescriptor, toLdif, type BuilderEntry } from "../ldap-common/ldif-builder.ts";

export const D = "S-1-5-21-1-2-3";
export const BASE = "DC=corp,DC=example";
const FORCE = "00299570-246d-11d0-a768-00aa006e0529";
const USER = "bf967aba-0de6-11d0-a285-00aa003049e2";
const COMPUTER = "bf967a86-0de6-11d0-a285-00aa003049e2";
export const SID = { helpdesk: `${D}-1200`, desktop: `${D}-1201`, tier2: `${D}-1202`, u1: `${D}-1300`, ea: `${D}-519`, da: `${D}-512` };

export function guidFor(n: number): string {
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`;
}
export function ids(rid: number): Record<string, Uint8Array> {
  return { objectGUID: encodeGuid(guidFor(rid)), objectSid: encodeSid(`${D}-${rid}`) };
}
const ft = (iso: string) => isoToFiletime(iso).toString();
/** An enabled user entry of the synthetic domain (its objectGUID and objectSid from `rid`). */
export const user = (dn: string, sam: string, rid: number, extra: Record<string, BuilderEntry[string]> = {}): BuilderEntry => ({
  dn,
  objectClass: ["top", "person", "organizationalPerson", "user"],
  sAMAccountName: sam,
  ...ids(rid),
  userAccountControl: "512",
  pwdLastSet: ft("2024-01-10T00:00:00Z"),
  whenCreated: "20230101120000.0Z",
  primaryGroupID: "513",
  ...extra,
});
/** The synthetic domain's root entry (domainDNS), with its password policy attributes in `extra`. */
export const domainEntry = (extra: Record<string, BuilderEntry[string]> = {}): BuilderEntry => ({
  dn: BASE,
  objectClass: ["top", "domain", "domainDNS"],
  ...ids(0),
  objectSid: encodeSid(D),
  ...extra,
});
/** A group of the synthetic domain: a global security group unless `extra` sets groupType. */
export const group = (dn: string, sam: string, rid: number, extra: Record<string, BuilderEntry[string]> = {}): BuilderEntry => ({
  dn,
  objectClass: ["top", "group"],
  sAMAccountName: sam,
  groupType: "-2147483646",
  ...ids(rid),
  ...extra,
});

export function syntheticEstate(): string {
  const entries: BuilderEntry[] = [
    domainEntry({
      minPwdLength: "12",
      pwdHistoryLength: "24",
      maxPwdAge: daysToAdDuration(90).toString(),
      minPwdAge: daysToAdDuration(1).toString(),
      lockoutThreshold: "5",
      lockoutDuration: "-18000000000",
      pwdProperties: "17",
      "msDS-Behavior-Version": "7",
      nTSecurityDescriptor: buildSecurityDescriptor({
        owner: SID.da,
        group: SID.da,
        aces: [{ type: "allow", sid: SID.ea, mask: 0x000f01ff, flags: ACE_FLAG.CONTAINER_INHERIT }],
      }),
    }),
    {
      dn: `OU=Staff,${BASE}`,
      objectClass: ["top", "organizationalUnit"],
      nTSecurityDescriptor: buildSecurityDescriptor({
        owner: SID.da,
        group: SID.da,
        aces: [
          { type: "allow", sid: SID.helpdesk, mask: 0x100, flags: ACE_FLAG.CONTAINER_INHERIT, objectType: FORCE, inheritedObjectType: USER },
          { type: "allow", sid: SID.desktop, mask: 0x10000000, flags: ACE_FLAG.CONTAINER_INHERIT, inheritedObjectType: COMPUTER },
          { type: "allow", sid: SID.tier2, mask: 0x40000, flags: ACE_FLAG.CONTAINER_INHERIT | ACE_FLAG.NO_PROPAGATE_INHERIT },
          { type: "allow", sid: SID.ea, mask: 0x000f01ff, flags: ACE_FLAG.CONTAINER_INHERIT | ACE_FLAG.INHERITED },
          // Read access only: never a reset path.
          { type: "allow", sid: "S-1-5-11", mask: 0x10 | 0x4 | 0x20000, flags: ACE_FLAG.CONTAINER_INHERIT },
        ],
      }),
    },
    { dn: `OU=Sub,OU=Staff,${BASE}`, objectClass: ["top", "organizationalUnit"] },
    { dn: `OU=Service Accounts,${BASE}`, objectClass: ["top", "organizationalUnit"] },
    group(`CN=Domain Users,CN=Users,${BASE}`, "Domain Users", 513),
    group(`CN=Domain Admins,CN=Users,${BASE}`, "Domain Admins", 512, { member: `CN=Nested,CN=Users,${BASE}` }),
    group(`CN=Enterprise Admins,CN=Users,${BASE}`, "Enterprise Admins", 519),
    group(`CN=Nested,CN=Users,${BASE}`, "Nested", 1100, { memberOf: `CN=Domain Admins,CN=Users,${BASE}` }),
    group(`CN=Helpdesk,CN=Users,${BASE}`, "Helpdesk", 1200),
    group(`CN=Desktop,CN=Users,${BASE}`, "Desktop", 1201),
    group(`CN=GG,CN=Users,${BASE}`, "GG", 1203, { memberOf: `CN=GG2,CN=Users,${BASE}` }),
    group(`CN=GG2,CN=Users,${BASE}`, "GG2", 1204),
    user(`CN=u1,OU=Staff,${BASE}`, "u1", 1300, { memberOf: `CN=GG,CN=Users,${BASE}`, manager: `CN=u3,OU=Sub,OU=Staff,${BASE}`, displayName: "Ünal One" }),
    user(`CN=u2,OU=Staff,${BASE}`, "u2", 1301, {
      memberOf: `CN=GG,CN=Users,${BASE}`,
      managedBy: `CN=ghost,OU=Staff,${BASE}`,
      nTSecurityDescriptor: buildSecurityDescriptor({
        owner: SID.da,
        group: SID.da,
        aces: [
          { type: "deny", sid: SID.helpdesk, mask: 0x100, objectType: FORCE },
          { type: "allow", sid: SID.u1, mask: 0x10000000 },
          { type: "allow", sid: SID.helpdesk, mask: 0x100, flags: ACE_FLAG.INHERITED, objectType: FORCE, inheritedObjectType: USER },
          { type: "allow", sid: SID.ea, mask: 0x000f01ff, flags: ACE_FLAG.INHERITED },
          { type: "allow", sid: "S-1-5-18", mask: 0x000f01ff },
          { type: "allow", sid: SID.desktop, mask: 0x10000000, flags: ACE_FLAG.INHERITED | ACE_FLAG.INHERIT_ONLY | ACE_FLAG.CONTAINER_INHERIT, inheritedObjectType: COMPUTER },
        ],
      }),
    }),
    user(`CN=u3,OU=Sub,OU=Staff,${BASE}`, "u3", 1302, { memberOf: `CN=Nested,CN=Users,${BASE}`, manager: `CN=x,DC=other,DC=example` }),
    user(`CN=admin1,OU=Staff,${BASE}`, "admin1", 1303, { adminCount: "1" }),
    user(`CN=carol,OU=Sub,OU=Staff,${BASE}`, "carol", 1304, { pwdLastSet: "0", userAccountControl: "514" }),
    user(`CN=svc-sql,OU=Staff,${BASE}`, "sqlengine", 1305, { servicePrincipalName: ["MSSQLSvc/sql01.corp.example:1433", "MSSQLSvc/sql01.corp.example"], userAccountControl: String(0x200 | 0x10000), manager: `CN=carol,OU=Sub,OU=Staff,${BASE}` }),
    user(`CN=batch,OU=Service Accounts,${BASE}`, "batch", 1306, { userAccountControl: String(0x200 | 0x20 | 0x400000) }),
    user(`CN=svc_web,CN=Users,${BASE}`, "svc_web", 1307, { "msDS-User-Account-Control-Computed": "16" }),
    user(`CN=krbtgt,CN=Users,${BASE}`, "krbtgt", 502, { pwdLastSet: ft("2019-03-01T08:00:00Z"), userAccountControl: "514", adminCount: "1" }),
    {
      dn: `CN=gmsa1,CN=Managed Service Accounts,${BASE}`,
      objectClass: ["top", "person", "organizationalPerson", "user", "computer", "msDS-GroupManagedServiceAccount"],
      sAMAccountName: "gmsa1$",
      ...ids(1400),
      userAccountControl: "4096",
      pwdLastSet: ft("2024-03-01T00:00:00Z"),
      "msDS-ManagedPasswordInterval": "30",
    },
    {
      dn: `CN=PC1,OU=Staff,${BASE}`,
      objectClass: ["top", "person", "organizationalPerson", "user", "computer"],
      sAMAccountName: "PC1$",
      ...ids(1500),
      userAccountControl: "4096",
      pwdLastSet: ft("2024-03-01T00:00:00Z"),
      "ms-Mcs-AdmPwdExpirationTime": ft("2024-04-01T00:00:00Z"),
      managedBy: `CN=Desktop,CN=Users,${BASE}`,
    },
    {
      dn: `CN=PC2,OU=Staff,${BASE}`,
      objectClass: ["top", "person", "organizationalPerson", "user", "computer"],
      sAMAccountName: "PC2$",
      ...ids(1501),
      userAccountControl: "4096",
      "msLAPS-PasswordExpirationTime": ft("2024-05-01T00:00:00Z"),
    },
    {
      dn: `CN=PC3,OU=Staff,${BASE}`,
      objectClass: ["top", "person", "organizationalPerson", "user", "computer"],
      sAMAccountName: "PC3$",
      ...ids(1502),
      userAccountControl: "4096",
    },
    {
      dn: `CN=PSO-A,CN=Password Settings Container,CN=System,${BASE}`,
      objectClass: ["top", "msDS-PasswordSettings"],
      cn: "PSO-A",
      "msDS-PasswordSettingsPrecedence": "20",
      "msDS-MinimumPasswordLength": "14",
      "msDS-MaximumPasswordAge": daysToAdDuration(60).toString(),
      "msDS-PasswordComplexityEnabled": "TRUE",
      "msDS-PasswordReversibleEncryptionEnabled": "FALSE",
      "msDS-PSOAppliesTo": `CN=GG,CN=Users,${BASE}`,
    },
    {
      dn: `CN=PSO-B,CN=Password Settings Container,CN=System,${BASE}`,
      objectClass: ["top", "msDS-PasswordSettings"],
      cn: "PSO-B",
      "msDS-PasswordSettingsPrecedence": "10",
      "msDS-MinimumPasswordLength": "16",
      "msDS-MaximumPasswordAge": "-9223372036854775808",
      "msDS-PasswordReversibleEncryptionEnabled": "TRUE",
      "msDS-PSOAppliesTo": `CN=GG2,CN=Users,${BASE}`,
    },
    {
      dn: `CN=PSO-C,CN=Password Settings Container,CN=System,${BASE}`,
      objectClass: ["top", "msDS-PasswordSettings"],
      cn: "PSO-C",
      "msDS-PasswordSettingsPrecedence": "50",
      "msDS-MinimumPasswordLength": "8",
      "msDS-PSOAppliesTo": `CN=u2,OU=Staff,${BASE}`,
    },
  ];
  return `# synthetic estate\n\n${toLdif(entries)}`;
}
