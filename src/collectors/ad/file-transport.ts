// AD over an `ldapsearch` export: the LDIF file transport with AD's query-log step.
//
// Producing the export (one search over the domain partition; paged; with the SD flags control
// asking for owner, group and DACL so non-admin readers still get nTSecurityDescriptor):
//
//   ldapsearch -H ldaps://dc01.corp.example -D 'auditor@corp.example' -W \
//     -b 'DC=corp,DC=example' -E pr=1000/noprompt -E '!1.2.840.113556.1.4.801=::MAMCAQc=' \
//     '(|(objectClass=domainDNS)(objectClass=user)(objectClass=group)(objectClass=organizationalUnit)(objectClass=container)(objectClass=msDS-PasswordSettings))' \
//     '*' nTSecurityDescriptor msDS-ResultantPSO msDS-User-Account-Control-Computed > ad.ldif
//
// Without -L the file ends with ldapsearch's `result:` line, the evidence that the search was not
// stopped early (docs/exports.md). Reading PSOs (CN=Password Settings Container) and the LAPS
// expiry attributes needs the corresponding read rights. PSOs that accounts' msDS-ResultantPSO
// names and the export lacks make those accounts' policy unknown and the source partial.
import { ldifFileTransport } from "../ldap-common/ldif-file-transport.ts";
import type { LdapTransport } from "../ldap-common/transport.ts";

export function adFileTransport(path: string, displayName: string, onEntry?: () => void): LdapTransport {
  return ldifFileTransport({ path, displayName, step: "ad-ldif", onEntry });
}
