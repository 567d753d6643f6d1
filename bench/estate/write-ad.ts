// Renders the estate's Active Directory as an `ldapsearch -LLL` export of corp.example:
// domain head (policy), OUs with security descriptors (delegated reset rights), groups,
// users, service accounts, gMSAs, computers with LAPS, PSOs and krbtgt.
import { LdifFileWriter, type LdifAttributes } from "./ldif-writer.ts";
import { UAC, type Estate, type Person } from "./model.ts";
import { GUIDS, RIGHTS, encodeGuid, encodeSecurityDescriptor, encodeSid, toAdDuration, toFiletime, toGeneralizedTime, type Ace } from "./windows-encoding.ts";


interface GroupDef {
  cn: string;
  dn: string;
  sid: string;
  sam: string;
  members: string[];
  adminCount?: boolean;
}

function personDn(p: Person, domainDn: string): string {
  return `CN=${p.given} ${p.surname}${p.sam.startsWith("adm-") ? " (admin)" : ""} ${p.sam},OU=${p.ou},${domainDn}`;
}

export async function writeAd(estate: Estate, path: string): Promise<void> {
  const out = new LdifFileWriter(path);
  const DOMAIN = estate.names.domain;
  const D = DOMAIN.dn;
  const sid = (rid: number) => `${DOMAIN.sid}-${rid}`;
  const psoContainer = `CN=Password Settings Container,CN=System,${D}`;
  const { domainPolicy } = estate.settings;
  const dnBySam = new Map<string, string>();
  for (const p of estate.people) dnBySam.set(p.sam, personDn(p, D));
  for (const s of estate.services) dnBySam.set(s.sam, s.gmsa ? `CN=${s.sam.replace(/\$$/, "")},CN=Managed Service Accounts,${D}` : `CN=${s.sam},OU=Service Accounts,${D}`);

  const groups = new Map<string, GroupDef>();
  const addGroup = (cn: string, dn: string, groupSid: string, adminCount = false) =>
    groups.set(cn, { cn, dn, sid: groupSid, sam: cn, members: [], adminCount });
  addGroup("Administrators", `CN=Administrators,CN=Builtin,${D}`, "S-1-5-32-544", true);
  addGroup("Account Operators", `CN=Account Operators,CN=Builtin,${D}`, "S-1-5-32-548", true);
  addGroup("Server Operators", `CN=Server Operators,CN=Builtin,${D}`, "S-1-5-32-549", true);
  addGroup("Domain Admins", `CN=Domain Admins,CN=Users,${D}`, sid(512), true);
  addGroup("Enterprise Admins", `CN=Enterprise Admins,CN=Users,${D}`, sid(519), true);
  addGroup("Domain Users", `CN=Domain Users,CN=Users,${D}`, sid(513));
  addGroup("Tier0 Operators", `CN=Tier0 Operators,OU=Groups,${D}`, sid(1101));
  addGroup("Help Desk", `CN=Help Desk,OU=Groups,${D}`, sid(1102));
  addGroup("Service Account Policy", `CN=Service Account Policy,OU=Groups,${D}`, sid(1103));
  // Nested chain: Tier0 Operators ⊂ Domain Admins ⊂ Administrators (privilege is transitive).
  groups.get("Administrators")!.members.push(groups.get("Domain Admins")!.dn);
  groups.get("Domain Admins")!.members.push(groups.get("Tier0 Operators")!.dn);
  for (const p of estate.people) for (const g of p.groups) groups.get(g)?.members.push(personDn(p, D));
  for (const s of estate.services) {
    if (!s.gmsa) groups.get("Service Account Policy")!.members.push(dnBySam.get(s.sam)!);
    if (s.privileged) groups.get("Domain Admins")!.members.push(dnBySam.get(s.sam)!);
  }

  const memberOf = new Map<string, string[]>();
  for (const g of groups.values()) for (const m of g.members) memberOf.set(m, [...(memberOf.get(m) ?? []), g.dn]);

  const domainAdmins = groups.get("Domain Admins")!.sid;
  const helpDesk = groups.get("Help Desk")!.sid;
  const baseAces: Ace[] = [
    { type: "allow", mask: RIGHTS.fullControl, sid: domainAdmins, flags: 0x02 },
    { type: "allow", mask: RIGHTS.fullControl, sid: "S-1-5-18", flags: 0x02 },
    { type: "allow", mask: RIGHTS.genericRead, sid: "S-1-5-11", flags: 0x02 },
  ];
  const sd = (aces: Ace[]) => encodeSecurityDescriptor(domainAdmins, domainAdmins, [...baseAces, ...aces]);
  const resetRight = (trustee: string): Ace => ({ type: "allow-object", mask: RIGHTS.controlAccess, sid: trustee, flags: 0x0a, objectType: GUIDS.userForceChangePassword, inheritedObjectType: GUIDS.userClass });

  // Domain head carries the default domain password policy.
  await out.entry(D, [
    ["objectClass", ["top", "domain", "domainDNS"]],
    ["dc", DOMAIN.dns.split(".")[0]],
    ["distinguishedName", D],
    ["objectGUID", encodeGuid("9f1c2b3a-4d5e-4f60-8a7b-1c2d3e4f5a6b")],
    ["objectSid", encodeSid(DOMAIN.sid)],
    ["minPwdLength", domainPolicy.minLength],
    ["pwdHistoryLength", domainPolicy.history],
    ["maxPwdAge", toAdDuration(domainPolicy.maxAgeDays)],
    ["minPwdAge", toAdDuration(domainPolicy.minAgeDays) === "-9223372036854775808" ? "0" : toAdDuration(domainPolicy.minAgeDays)],
    ["lockoutThreshold", domainPolicy.lockout],
    ["lockoutDuration", toAdDuration(30 / 1440)],
    ["pwdProperties", (domainPolicy.complexity ? 1 : 0) | (domainPolicy.reversible ? 16 : 0)],
    ["msDS-Behavior-Version", 7],
    ["nTSecurityDescriptor", sd([])],
  ]);
  const ous: Array<[string, Ace[]]> = [
    ["Staff", [resetRight(helpDesk)]],
    ["Contractors", [resetRight(helpDesk)]],
    ["Admins", []],
    ["Service Accounts", [{ type: "allow", mask: RIGHTS.genericAll, sid: helpDesk, flags: 0x02 }]],
    ["Groups", []],
    ["Workstations", []],
  ];
  for (const [name, aces] of ous) {
    await out.entry(`OU=${name},${D}`, [
      ["objectClass", ["top", "organizationalUnit"]],
      ["ou", name],
      ["objectGUID", encodeGuid(`0000${String(name.length).padStart(4, "0")}-0000-4000-8000-${Buffer.from(name).toString("hex").slice(0, 12).padEnd(12, "0")}`)],
      ["nTSecurityDescriptor", sd(aces)],
    ]);
  }
  for (const g of groups.values()) {
    await out.entry(g.dn, [
      ["objectClass", ["top", "group"]],
      ["cn", g.cn],
      ["sAMAccountName", g.sam],
      ["objectSid", encodeSid(g.sid)],
      ["groupType", g.sid.startsWith("S-1-5-32") ? -2147483643 : -2147483646],
      ["member", g.members],
      ["memberOf", memberOf.get(g.dn)],
      ["adminCount", g.adminCount ? 1 : undefined],
    ]);
  }
  // PSOs: strict policy for tier-0 admins, long-lived policy for service accounts.
  await out.entry(`CN=Tier0 Admins,${psoContainer}`, psoAttributes(10, 15, 24, 0, groups.get("Domain Admins")!.dn));
  await out.entry(`CN=Service Accounts,${psoContainer}`, psoAttributes(20, 20, 12, 0, groups.get("Service Account Policy")!.dn));

  await out.entry(`CN=krbtgt,CN=Users,${D}`, [
    ["objectClass", ["top", "person", "organizationalPerson", "user"]],
    ["cn", "krbtgt"],
    ["sAMAccountName", "krbtgt"],
    ["objectGUID", encodeGuid("5b0e9c1d-2a3b-4c4d-8e5f-6a7b8c9d0e1f")],
    ["objectSid", encodeSid(sid(502))],
    ["userAccountControl", UAC.normal | UAC.disabled],
    ["pwdLastSet", toFiletime(estate.krbtgtPwdLastSet)],
    ["whenCreated", toGeneralizedTime(new Date("2016-03-01T09:00:00Z"))],
    ["servicePrincipalName", `kadmin/changepw`],
    ["adminCount", 1],
  ]);

  for (const p of estate.people) {
    const dn = personDn(p, D);
    const uac = UAC.normal | (p.enabled ? 0 : UAC.disabled) | p.ad.uacFlags;
    const privileged = p.groups.some((g) => groups.get(g)?.adminCount) || p.groups.includes("Tier0 Operators");
    const attrs: LdifAttributes = [
      ["objectClass", ["top", "person", "organizationalPerson", "user"]],
      ["cn", dn.slice(3, dn.indexOf(",OU="))],
      ["givenName", p.given],
      ["sn", p.surname],
      ["displayName", `${p.given} ${p.surname}`],
      ["sAMAccountName", p.sam],
      ["userPrincipalName", p.upn],
      ["mail", p.mail],
      ["department", p.department],
      ["objectGUID", encodeGuid(p.guid)],
      ["objectSid", encodeSid(sid(p.rid))],
      ["userAccountControl", uac],
      ["pwdLastSet", p.ad.pwdLastSet === "must-change" ? "0" : toFiletime(p.ad.pwdLastSet)],
      ["lastLogonTimestamp", p.ad.lastLogon ? toFiletime(p.ad.lastLogon) : undefined],
      ["whenCreated", toGeneralizedTime(p.created)],
      ["manager", p.managerSam ? dnBySam.get(p.managerSam) : undefined],
      ["memberOf", memberOf.get(dn)],
      ["adminCount", privileged ? 1 : undefined],
    ];
    if (p.groups.includes("Domain Admins") || p.groups.includes("Tier0 Operators")) attrs.push(["msDS-ResultantPSO", `CN=Tier0 Admins,${psoContainer}`]);
    await out.entry(dn, attrs);
  }
  for (const s of estate.services) {
    const dn = dnBySam.get(s.sam)!;
    await out.entry(dn, [
      ["objectClass", s.gmsa ? ["top", "person", "organizationalPerson", "user", "computer", "msDS-GroupManagedServiceAccount"] : ["top", "person", "organizationalPerson", "user"]],
      ["cn", dn.slice(3, dn.indexOf(","))],
      ["sAMAccountName", s.sam],
      ["objectGUID", encodeGuid(s.guid)],
      ["objectSid", encodeSid(sid(s.rid))],
      ["userAccountControl", s.uacFlags | (s.enabled ? 0 : UAC.disabled)],
      ["pwdLastSet", toFiletime(s.pwdLastSet)],
      ["whenCreated", toGeneralizedTime(s.created)],
      ["servicePrincipalName", s.spns],
      ["managedBy", s.managedBy ? (dnBySam.get(s.managedBy) ?? `CN=${s.managedBy},OU=Staff,${D}`) : undefined],
      ["msDS-ManagedPasswordInterval", s.gmsa ? 30 : undefined],
      ["adminCount", s.privileged ? 1 : undefined],
      ["memberOf", memberOf.get(dn)],
    ]);
  }
  for (const c of estate.computers) {
    const attrs: LdifAttributes = [
      ["objectClass", ["top", "person", "organizationalPerson", "user", "computer"]],
      ["cn", c.name],
      ["sAMAccountName", `${c.name}$`],
      ["dNSHostName", `${c.name.toLowerCase()}.${DOMAIN.dns}`],
      ["objectGUID", encodeGuid(c.guid)],
      ["objectSid", encodeSid(sid(c.rid))],
      ["userAccountControl", UAC.workstation],
      ["pwdLastSet", toFiletime(c.pwdLastSet)],
      ["whenCreated", toGeneralizedTime(c.created)],
    ];
    if (c.laps === "legacy" && c.lapsExpires) attrs.push(["ms-Mcs-AdmPwdExpirationTime", toFiletime(c.lapsExpires)]);
    if (c.laps === "windows" && c.lapsExpires) attrs.push(["msLAPS-PasswordExpirationTime", toFiletime(c.lapsExpires)]);
    await out.entry(`CN=${c.name},OU=Workstations,${D}`, attrs);
  }
  await out.close();
}

function psoAttributes(precedence: number, minLength: number, history: number, maxAgeDays: number, appliesTo: string): LdifAttributes {
  return [
    ["objectClass", ["top", "msDS-PasswordSettings"]],
    ["msDS-PasswordSettingsPrecedence", precedence],
    ["msDS-MinimumPasswordLength", minLength],
    ["msDS-PasswordHistoryLength", history],
    ["msDS-MaximumPasswordAge", toAdDuration(maxAgeDays)],
    ["msDS-MinimumPasswordAge", "0"],
    ["msDS-LockoutThreshold", 5],
    ["msDS-LockoutDuration", toAdDuration(30 / 1440)],
    ["msDS-LockoutObservationWindow", toAdDuration(30 / 1440)],
    ["msDS-PasswordComplexityEnabled", "TRUE"],
    ["msDS-PasswordReversibleEncryptionEnabled", "FALSE"],
    ["msDS-PSOAppliesTo", appliesTo],
  ];
}
