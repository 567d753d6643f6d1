// The exact searches the live OpenLDAP transport issues, in order. The ppolicy state of an
// account lives in operational attributes, which a server returns only when asked by name.
import type { LdapSearch } from "../ldap-common/ldap-connection.ts";

/** Owner attributes read when the config names none (ownerAttributes). */
export const DEFAULT_OWNER_ATTRIBUTES = ["manager", "owner"];

const POLICY_ATTRIBUTES = [
  "objectClass", "cn", "pwdAttribute", "pwdMaxAge", "pwdMinAge", "pwdMinLength", "pwdInHistory",
  "pwdMustChange", "pwdAllowUserChange", "pwdSafeModify", "pwdLockout", "pwdMaxFailure",
  "pwdLockoutDuration", "pwdGraceAuthNLimit", "pwdExpireWarning", "pwdCheckQuality",
];

const ACCOUNT_ATTRIBUTES = [
  "objectClass", "uid", "cn", "sn", "givenName", "displayName", "mail", "description", "employeeType",
  "uidNumber", "memberOf",
  // operational (RFC draft-behera-ldap-password-policy + RFC 4512): only returned when named
  "pwdPolicySubentry", "pwdReset", "pwdChangedTime", "pwdAccountLockedTime", "pwdFailureTime",
  "pwdGraceUseTime", "pwdStartTime", "pwdEndTime", "entryUUID", "createTimestamp", "modifyTimestamp", "creatorsName",
];

const GROUP_ATTRIBUTES = ["objectClass", "cn", "member", "uniqueMember", "memberUid", "owner", "entryUUID"];

export function ldapEntrySearches(baseDN: string, ownerAttributes: readonly string[] = DEFAULT_OWNER_ATTRIBUTES): LdapSearch[] {
  const owners = ownerAttributes.filter((a) => !ACCOUNT_ATTRIBUTES.some((b) => b.toLowerCase() === a.toLowerCase()));
  return [
    { step: "passwordPolicies", base: baseDN, scope: "sub", filter: "(objectClass=pwdPolicy)", attributes: POLICY_ATTRIBUTES },
    {
      step: "accounts",
      base: baseDN,
      scope: "sub",
      filter: "(|(objectClass=person)(objectClass=posixAccount)(objectClass=simpleSecurityObject))",
      attributes: [...ACCOUNT_ATTRIBUTES, ...owners],
    },
    {
      step: "groups",
      base: baseDN,
      scope: "sub",
      filter: "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))",
      attributes: GROUP_ATTRIBUTES,
    },
  ];
}
