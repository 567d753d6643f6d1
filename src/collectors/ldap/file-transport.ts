// OpenLDAP over an `ldapsearch` export: the LDIF file transport with LDAP's query-log step.
//
// Producing the export: all user attributes plus the operational ones ppolicy keeps
// (pwdChangedTime, pwdReset, pwdAccountLockedTime, pwdPolicySubentry, entryUUID, ...):
//
//   ldapsearch -H ldaps://ldap.example -D 'cn=auditor,dc=example' -W -b 'dc=example' \
//     -E pr=1000/noprompt '*' '+' > ldap.ldif
//
// Without -L, the file ends with ldapsearch's `result:` line, the evidence that the search was
// not stopped early (docs/exports.md). Remove userPassword from the export or restrict it by ACL: credgov never needs it.
import { ldifFileTransport } from "../ldap-common/ldif-file-transport.ts";
import type { LdapTransport } from "../ldap-common/transport.ts";

export function ldapFileTransport(path: string, displayName: string, onEntry?: () => void): LdapTransport {
  return ldifFileTransport({ path, displayName, step: "ldap-ldif", onEntry });
}
