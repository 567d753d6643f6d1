// Renders the legacy OpenLDAP directory (dc=legacy,dc=example) with the ppolicy overlay's
// attributes, as `ldapsearch -LLL '*' +` exports it: pwdPolicy entries, people with
// pwdPolicySubentry/pwdChangedTime/pwdReset, and service accounts with an owner.
import { LdifFileWriter } from "./ldif-writer.ts";
import type { Estate } from "./model.ts";
import { toGeneralizedTime } from "./windows-encoding.ts";


export async function writeLdap(estate: Estate, path: string): Promise<void> {
  const out = new LdifFileWriter(path);
  const L = estate.names.legacyDn;
  const policy = estate.settings.legacyPolicy;
  await out.entry(L, [["objectClass", ["top", "dcObject", "organization"]], ["dc", "legacy"], ["o", "Corp Example legacy directory"]]);
  for (const ou of ["people", "services", "policies"]) await out.entry(`ou=${ou},${L}`, [["objectClass", ["top", "organizationalUnit"]], ["ou", ou]]);
  await out.entry(`cn=default,ou=policies,${L}`, [
    ["objectClass", ["top", "device", "pwdPolicy"]],
    ["cn", "default"],
    ["pwdAttribute", "userPassword"],
    ["pwdMaxAge", policy.maxAgeDays * 86400],
    ["pwdMinLength", policy.minLength],
    ["pwdInHistory", policy.history],
    ["pwdMustChange", policy.mustChange ? "TRUE" : "FALSE"],
    ["pwdAllowUserChange", "TRUE"],
    ["pwdSafeModify", "FALSE"],
    ["pwdLockout", "TRUE"],
    ["pwdMaxFailure", 5],
  ]);
  await out.entry(`cn=strict,ou=policies,${L}`, [
    ["objectClass", ["top", "device", "pwdPolicy"]],
    ["cn", "strict"],
    ["pwdAttribute", "userPassword"],
    ["pwdMaxAge", 0],
    ["pwdMinLength", 15],
    ["pwdInHistory", 24],
    ["pwdMustChange", "FALSE"],
    ["pwdAllowUserChange", "TRUE"],
    ["pwdSafeModify", "TRUE"],
    ["pwdLockout", "TRUE"],
    ["pwdMaxFailure", 5],
  ]);
  const dnOf = (uid: string) => `uid=${uid},ou=people,${L}`;
  const ldapUids = new Set(estate.people.flatMap((p) => (p.ldap ? [p.ldap.uid] : [])));
  for (const p of estate.people) {
    if (!p.ldap) continue;
    await out.entry(dnOf(p.ldap.uid), [
      ["objectClass", ["top", "person", "organizationalPerson", "inetOrgPerson"]],
      ["uid", p.ldap.uid],
      ["cn", `${p.given} ${p.surname}`],
      ["sn", p.surname],
      ["givenName", p.given],
      ["mail", p.mail],
      ["manager", p.managerSam && ldapUids.has(p.managerSam) ? dnOf(p.managerSam) : undefined],
      ["pwdPolicySubentry", p.ldap.policy === "strict" ? `cn=strict,ou=policies,${L}` : undefined],
      ["pwdChangedTime", toGeneralizedTime(p.ldap.pwdChanged)],
      ["pwdReset", p.ldap.pwdReset ? "TRUE" : undefined],
      ["pwdAccountLockedTime", p.ldap.locked ? toGeneralizedTime(estate.now) : undefined],
      ["createTimestamp", toGeneralizedTime(p.created)],
    ]);
  }
  for (const s of estate.legacyServices) {
    await out.entry(`uid=${s.uid},ou=services,${L}`, [
      ["objectClass", ["top", "account", "simpleSecurityObject"]],
      ["uid", s.uid],
      ["description", "application bind account"],
      ["owner", s.ownerSam ? dnOf(s.ownerSam) : undefined],
      ["pwdChangedTime", toGeneralizedTime(s.pwdChanged)],
      ["createTimestamp", toGeneralizedTime(new Date(s.pwdChanged.getTime() - 86_400_000))],
    ]);
  }
  await out.close();
}
