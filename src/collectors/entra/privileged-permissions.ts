// Role permissions Microsoft labels privileged, so that a custom role holding one makes its
// holders privileged, as the admin center labels such a role ("When you create a custom role,
// you can see which permissions are privileged and the custom role will be labeled as
// privileged": Privileged roles and permissions in Microsoft Entra ID). Graph v1.0 does not say
// which permissions are privileged: `isPrivileged` exists on role definitions and resource
// actions in the beta endpoint only, so the list is read from the built-in roles reference
// (the PRIVILEGED label of each action in the tables of Global Administrator, User
// Administrator, Authentication Administrator, Helpdesk Administrator and Application
// Administrator) and from the resource actions that page lists as privileged.

/** Resource action names, in lower case (Graph compares them without regard to case). */
export const privilegedPermissions: ReadonlySet<string> = new Set(
  [
    "microsoft.directory/applications/allProperties/allTasks",
    "microsoft.directory/applications/credentials/update",
    "microsoft.directory/applications.myOrganization/allProperties/update",
    "microsoft.directory/applications.myOrganization/credentials/update",
    "microsoft.directory/authorizationPolicy/allProperties/allTasks",
    "microsoft.directory/bitlockerKeys/key/read",
    "microsoft.directory/customAuthenticationExtensions/allProperties/allTasks",
    "microsoft.directory/deviceManagementPolicies/basic/update",
    "microsoft.directory/deviceRegistrationPolicy/basic/update",
    "microsoft.directory/devices/allProperties/allTasks",
    "microsoft.directory/domains/allProperties/allTasks",
    "microsoft.directory/groups/allProperties/allTasks",
    "microsoft.directory/hybridAuthenticationPolicy/allProperties/allTasks",
    "microsoft.directory/identityProtection/allProperties/allTasks",
    "microsoft.directory/oAuth2PermissionGrants/allProperties/allTasks",
    "microsoft.directory/policies/allProperties/allTasks",
    "microsoft.directory/resourceNamespaces/resourceActions/authenticationContext/update",
    "microsoft.directory/servicePrincipals/allProperties/allTasks",
    "microsoft.directory/servicePrincipals/credentials/update",
    "microsoft.directory/users/allProperties/allTasks",
    "microsoft.directory/users/authenticationMethods/basic/update",
    "microsoft.directory/users/authenticationMethods/create",
    "microsoft.directory/users/authenticationMethods/delete",
    "microsoft.directory/users/authenticationMethods/standard/read",
    "microsoft.directory/users/create",
    "microsoft.directory/users/delete",
    "microsoft.directory/users/disable",
    "microsoft.directory/users/enable",
    "microsoft.directory/users/invalidateAllRefreshTokens",
    "microsoft.directory/users/lifeCycleInfo/read",
    "microsoft.directory/users/password/update",
    "microsoft.directory/users/userPrincipalName/update",
  ].map((action) => action.toLowerCase()),
);

/**
 * The first permission of a role definition that Microsoft labels privileged, as the definition
 * writes it; undefined when it holds none. A permission under a condition counts too: the label
 * is the permission's, whoever it applies to.
 */
export function privilegedPermissionOf(permissions: readonly { allowedResourceActions?: readonly string[] | null }[]): string | undefined {
  for (const permission of permissions) {
    for (const action of permission.allowedResourceActions ?? []) if (privilegedPermissions.has(action.toLowerCase())) return action;
  }
  return undefined;
}
