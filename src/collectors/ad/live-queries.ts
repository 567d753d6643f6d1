// The exact LDAP searches the live AD transport issues, in the order it issues them. An LDIF
// export made with `ldapsearch -LLL -E pr=500/noprompt -E '!1.2.840.113556.1.4.801=::MAMCAQU='`
// and these same bases, filters and attributes holds the same entries, in the same order, so
// the shared normalizer gives the same snapshot from either (see test/live/ad-dump.ts).
import type { LdapSearch } from "../ldap-common/ldap-connection.ts";

/** Attributes the live transport probes the schema for before asking for them. */
export const LAPS_ATTRIBUTES = [
  "ms-Mcs-AdmPwdExpirationTime", // legacy Microsoft LAPS
  "msLAPS-PasswordExpirationTime", // Windows LAPS
] as const;

/** Well-known privileged groups, by SID (domain-relative RIDs get the domain SID prefixed). */
export const PRIVILEGED_GROUP_SIDS = {
  builtin: ["S-1-5-32-544", "S-1-5-32-548", "S-1-5-32-549", "S-1-5-32-550", "S-1-5-32-551"],
  // Domain Admins, Cert Publishers is not privileged; Schema Admins, Enterprise Admins,
  // Group Policy Creator Owners, Key Admins, Enterprise Key Admins.
  domainRids: [512, 518, 519, 520, 526, 527],
} as const;

const DOMAIN_ATTRIBUTES = [
  "objectClass", "objectGUID", "objectSid", "name", "whenCreated",
  "minPwdLength", "pwdHistoryLength", "maxPwdAge", "minPwdAge", "pwdProperties",
  "lockoutThreshold", "lockoutDuration", "lockOutObservationWindow", "msDS-Behavior-Version",
  "nTSecurityDescriptor",
];

const PSO_ATTRIBUTES = [
  "objectClass", "objectGUID", "cn", "msDS-PasswordSettingsPrecedence",
  "msDS-MinimumPasswordLength", "msDS-PasswordHistoryLength", "msDS-MaximumPasswordAge",
  "msDS-MinimumPasswordAge", "msDS-LockoutThreshold", "msDS-LockoutDuration",
  "msDS-LockoutObservationWindow", "msDS-PasswordComplexityEnabled",
  "msDS-PasswordReversibleEncryptionEnabled", "msDS-PSOAppliesTo",
];

const CONTAINER_ATTRIBUTES = ["objectClass", "objectGUID", "name", "managedBy", "nTSecurityDescriptor"];

// msDS-PSOApplied (the back link of a PSO's msDS-PSOAppliesTo) names the PSOs linked to a
// group or user even to a bind account that may read neither the PSOs nor msDS-ResultantPSO:
// without it such a read takes the domain policy for accounts a PSO governs.
const GROUP_ATTRIBUTES = [
  "objectClass", "objectGUID", "objectSid", "cn", "sAMAccountName", "groupType",
  "member", "memberOf", "adminCount", "managedBy", "whenCreated", "msDS-PSOApplied",
];

const ACCOUNT_ATTRIBUTES = [
  "objectClass", "objectGUID", "objectSid", "sAMAccountName", "userPrincipalName", "displayName",
  "givenName", "sn", "mail", "description", "dNSHostName", "userAccountControl", "pwdLastSet",
  "lastLogonTimestamp", "accountExpires", "whenCreated", "adminCount", "managedBy", "manager",
  "servicePrincipalName", "memberOf", "primaryGroupID", "msDS-ResultantPSO", "msDS-PSOApplied",
  "msDS-SupportedEncryptionTypes", "msDS-ManagedPasswordInterval", "nTSecurityDescriptor",
];

/** Probes run first; their results shape the searches but are not directory facts themselves. */
export function schemaProbe(schemaNamingContext: string): LdapSearch {
  return {
    step: "schema",
    base: schemaNamingContext,
    scope: "one",
    filter: `(|${LAPS_ATTRIBUTES.map((a) => `(lDAPDisplayName=${a})`).join("")})`,
    attributes: ["lDAPDisplayName"],
  };
}

export const ROOT_DSE_PROBE: LdapSearch = {
  step: "rootDSE",
  base: "",
  scope: "base",
  filter: "(objectClass=*)",
  attributes: ["defaultNamingContext", "schemaNamingContext", "namingContexts"],
  paged: false,
};

/**
 * The searches whose entries make up the AD part of the snapshot. `lapsAttributes` are the
 * LAPS expiry attributes the schema actually has (asking for unknown ones is harmless on AD but
 * would make the recorded query claim a fact the directory cannot hold).
 */
export function adEntrySearches(baseDN: string, lapsAttributes: readonly string[]): LdapSearch[] {
  return [
    { step: "domain", base: baseDN, scope: "base", filter: "(objectClass=*)", attributes: DOMAIN_ATTRIBUTES, securityDescriptor: true, paged: false },
    { step: "passwordSettings", base: baseDN, scope: "sub", filter: "(objectClass=msDS-PasswordSettings)", attributes: PSO_ATTRIBUTES },
    {
      step: "containers",
      base: baseDN,
      scope: "sub",
      // OUs plus the default containers new accounts land in: their ACEs are inherited by users too.
      filter: "(|(objectClass=organizationalUnit)(&(objectClass=container)(|(cn=Users)(cn=Computers)(cn=Managed Service Accounts))))",
      attributes: CONTAINER_ATTRIBUTES,
      securityDescriptor: true,
    },
    { step: "groups", base: baseDN, scope: "sub", filter: "(objectClass=group)", attributes: GROUP_ATTRIBUTES },
    {
      step: "accounts",
      base: baseDN,
      scope: "sub",
      // users, computers, gMSAs and sMSAs (all derive from the user class), krbtgt included.
      filter: "(objectClass=user)",
      attributes: [...ACCOUNT_ATTRIBUTES, ...lapsAttributes],
      securityDescriptor: true,
    },
  ];
}

/**
 * The entries under the Password Settings Container, by name only: a bind account that may list
 * the container but not read the PSOs in it sees them here and not in the passwordSettings
 * search (whose filter needs objectClass, which it may not read).
 */
export function psoContainerListing(baseDN: string): LdapSearch {
  return { step: "passwordSettings", base: `CN=Password Settings Container,CN=System,${baseDN}`, scope: "one", filter: "(objectClass=*)", attributes: ["1.1"] };
}

/** The privileged groups themselves, found by SID so renamed groups are still found. */
export function privilegedGroupSearch(baseDN: string, domainSid: string): LdapSearch {
  const sids = [...PRIVILEGED_GROUP_SIDS.builtin, ...PRIVILEGED_GROUP_SIDS.domainRids.map((rid) => `${domainSid}-${rid}`)];
  return {
    step: "privilegedGroups",
    base: baseDN,
    scope: "sub",
    filter: `(&(objectClass=group)(|${sids.map((s) => `(objectSid=${s})`).join("")}))`,
    attributes: ["objectSid"],
  };
}

/** Every account transitively inside one privileged group (LDAP_MATCHING_RULE_IN_CHAIN). */
export function transitiveMembersSearch(baseDN: string, groupDN: string): LdapSearch {
  return {
    step: "privilegedMembers",
    base: baseDN,
    scope: "sub",
    filter: `(&(objectClass=user)(memberOf:1.2.840.113556.1.4.1941:=${escapeFilterValue(groupDN)}))`,
    attributes: ["1.1"],
  };
}

/**
 * Trustees named in ACEs that are not accounts or groups collected above (foreign security
 * principals, ...), looked up by SID in batches so a filter stays a sane size. Their entries
 * follow the others in the stream; a dump reproduces them with the same searches.
 */
export function trusteeSearches(baseDN: string, sids: readonly string[], batch = 100): LdapSearch[] {
  const searches: LdapSearch[] = [];
  for (let i = 0; i < sids.length; i += batch) {
    searches.push({
      step: "trustees",
      base: baseDN,
      scope: "sub",
      filter: `(|${sids.slice(i, i + batch).map((s) => `(objectSid=${s})`).join("")})`,
      attributes: ["objectClass", "objectGUID", "objectSid", "sAMAccountName", "name"],
    });
  }
  return searches;
}

/** RFC 4515 escaping for a value inside a filter. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\0]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
