// The Entra export folder: one file per Microsoft Graph v1.0 call (docs/exports.md says how to
// produce each). `call` is recorded in the snapshot's queries as the request the file stands for;
// `affects` names what a missing file leaves unknown in the area vocabulary (src/snapshot/areas.ts).
import type { ExportFile } from "../export-reader.ts";

const owner = "owners($select=id,displayName,userPrincipalName,accountEnabled)";

export const entraExports = {
  users: {
    path: "users.json",
    step: "users",
    call:
      "GET /v1.0/users?$select=id,displayName,userPrincipalName,mail,accountEnabled,userType,createdDateTime,lastPasswordChangeDateTime," +
      "passwordPolicies,passwordProfile,onPremisesSyncEnabled,onPremisesImmutableId,onPremisesSamAccountName,onPremisesSecurityIdentifier&$top=999",
    affects: ["accounts", "credentials", "resetPaths", "identities", "settings.onPremisesSyncEnabled"],
  },
  domains: {
    path: "domains.json",
    step: "domains",
    call: "GET /v1.0/domains",
    affects: ["passwordPolicies", "accounts.passwordPolicy", "credentials.expires", "settings.federatedDomains", "settings.domainName"],
  },
  authorizationPolicy: {
    path: "authorizationPolicy.json",
    step: "authorizationPolicy",
    call: "GET /v1.0/policies/authorizationPolicy",
    affects: ["settings.ssprForAdmins", "resetPaths"],
  },
  authenticationMethodsPolicy: {
    path: "authenticationMethodsPolicy.json",
    step: "authenticationMethodsPolicy",
    call: "GET /v1.0/policies/authenticationMethodsPolicy",
    affects: ["settings.authenticationMethods"],
  },
  temporaryAccessPass: {
    path: "temporaryAccessPass.json",
    step: "temporaryAccessPass",
    call: "GET /v1.0/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/TemporaryAccessPass",
    // Without it, whom an administrator can issue a pass to is unknown: the reset paths are short.
    affects: ["resetPaths", "settings.temporaryAccessPass"],
  },
  userRegistrationDetails: {
    path: "userRegistrationDetails.json",
    step: "userRegistrationDetails",
    call: "GET /v1.0/reports/authenticationMethods/userRegistrationDetails?$top=999",
    affects: ["settings.ssprEnabled", "accounts.ssprRegistered", "accounts.ssprCapable", "resetPaths"],
  },
  onPremisesSynchronization: {
    path: "onPremisesSynchronization.json",
    step: "onPremisesSynchronization",
    call: "GET /v1.0/directory/onPremisesSynchronization",
    affects: [
      "settings.passwordWritebackEnabled",
      "settings.passwordHashSyncEnabled",
      "settings.cloudPasswordPolicyForSyncedUsers",
      "settings.userForcePasswordChangeOnLogonSynced",
      "settings.syncIntervalMinutes",
    ],
  },
  applications: {
    path: "applications.json",
    step: "applications",
    call: `GET /v1.0/applications?$select=id,appId,displayName,createdDateTime,passwordCredentials,keyCredentials&$expand=${owner}&$top=999`,
    affects: ["accounts", "credentials"],
  },
  servicePrincipals: {
    path: "servicePrincipals.json",
    step: "servicePrincipals",
    call:
      "GET /v1.0/servicePrincipals?$select=id,appId,displayName,servicePrincipalType,accountEnabled,appOwnerOrganizationId,passwordCredentials,keyCredentials" +
      `&$expand=${owner}&$top=999`,
    affects: ["accounts", "credentials"],
  },
  roleAssignments: {
    path: "roleAssignments.json",
    step: "roleAssignments",
    call: "GET /v1.0/roleManagement/directory/roleAssignments?$expand=principal,roleDefinition",
    affects: ["accounts.privileged", "accounts.kind", "resetPaths"],
  },
} satisfies Record<string, ExportFile>;

/** The step every targeted group's members call shares. */
export const temporaryAccessPassGroupsStep = "temporaryAccessPassGroups";

/**
 * The transitive members of one group the Temporary Access Pass configuration targets (include
 * or exclude): one file per group, read only while the method is enabled and names groups. Only
 * the ids are needed: they are matched against the users read.
 */
export function temporaryAccessPassGroupExport(groupId: string): ExportFile {
  return {
    path: `temporaryAccessPassGroups/${groupId}.json`,
    step: temporaryAccessPassGroupsStep,
    call: `GET /v1.0/groups/${groupId}/transitiveMembers?$select=id&$top=999`,
    // Without it, who can sign in with a pass is unknown: no pass path is modelled.
    affects: ["resetPaths"],
  };
}

/** The step every role-holding group's members call shares. */
export const roleAssignmentGroupsStep = "roleAssignmentGroups";

/**
 * The members of one group that holds a directory role (a role-assignable group, named as a
 * principal in roleAssignments.json): one file per group. Its members hold the group's roles.
 * Role-assignable groups cannot nest groups, so transitive members are the direct ones; the
 * transitive call is the one the Temporary Access Pass groups use, and only the ids are needed.
 */
export function roleAssignmentGroupExport(groupId: string): ExportFile {
  return {
    path: `roleAssignmentGroups/${groupId}.json`,
    step: roleAssignmentGroupsStep,
    call: `GET /v1.0/groups/${groupId}/transitiveMembers?$select=id&$top=999`,
    // Without it, who holds the group's roles is unknown: their privilege and reset rights too.
    affects: ["accounts.privileged", "resetPaths"],
  };
}

/** The step every administrative unit's members call shares. */
export const administrativeUnitMembersStep = "administrativeUnitMembers";

/**
 * The members of one administrative unit a reset-capable role is assigned at the scope of
 * (administrative-unit-scopes.ts): one file per unit. Only the ids are needed: the users among
 * them are those the role reaches.
 */
export function administrativeUnitMembersExport(unitId: string): ExportFile {
  return {
    path: `administrativeUnitMembers/${unitId}.json`,
    step: administrativeUnitMembersStep,
    call: `GET /v1.0/directory/administrativeUnits/${unitId}/members?$select=id&$top=999`,
    // Without it, whom the unit's administrators may reset is unknown.
    affects: ["resetPaths"],
  };
}
