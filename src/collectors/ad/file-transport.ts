// AD over an `ldapsearch -LLL` export: the LDIF file transport with AD's query-log step.
import { ldifFileTransport } from "../ldap-common/ldif-file-transport.ts";
import type { LdapTransport } from "../ldap-common/transport.ts";

export function adFileTransport(path: string, displayName: string, onEntry?: () => void): LdapTransport {
  return ldifFileTransport({ path, displayName, step: "ad-ldif", onEntry });
}
