// The Microsoft Graph v1.0 resource fields credgov reads, as Graph returns them. Both the file
// transport and a live Graph transport hand these parsed objects to the normalizer.
// Every field is optional: $select may omit it and the normalizer treats absence as unknown.

export interface GraphUser {
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  mail?: string | null;
  accountEnabled?: boolean | null;
  userType?: string | null;
  createdDateTime?: string | null;
  lastPasswordChangeDateTime?: string | null;
  /** Space/comma separated: DisablePasswordExpiration, DisableStrongPassword. */
  passwordPolicies?: string | null;
  passwordProfile?: { forceChangePasswordNextSignIn?: boolean | null; forceChangePasswordNextSignInWithMfa?: boolean | null } | null;
  onPremisesSyncEnabled?: boolean | null;
  onPremisesImmutableId?: string | null;
  onPremisesSamAccountName?: string | null;
  onPremisesSecurityIdentifier?: string | null;
  signInActivity?: { lastSignInDateTime?: string | null; lastNonInteractiveSignInDateTime?: string | null } | null;
}

export interface GraphDomain {
  id: string;
  authenticationType?: string | null;
  isDefault?: boolean | null;
  isVerified?: boolean | null;
  passwordValidityPeriodInDays?: number | null;
}

export interface GraphAuthorizationPolicy {
  allowedToUseSSPR?: boolean | null;
}

export interface GraphAuthenticationMethodsPolicy {
  authenticationMethodConfigurations?: { id?: string; state?: string | null }[] | null;
}

/** An include or exclude target of an authentication method configuration: a group id, or all_users. */
export interface GraphAuthenticationMethodTarget {
  id: string;
  targetType?: string | null;
}

/** The Temporary Access Pass method configuration of the authentication methods policy. */
export interface GraphTemporaryAccessPassConfiguration {
  id?: string;
  state?: string | null;
  isUsableOnce?: boolean | null;
  defaultLifetimeInMinutes?: number | null;
  minimumLifetimeInMinutes?: number | null;
  maximumLifetimeInMinutes?: number | null;
  includeTargets?: GraphAuthenticationMethodTarget[] | null;
  excludeTargets?: GraphAuthenticationMethodTarget[] | null;
}

export interface GraphUserRegistrationDetails {
  id: string;
  userType?: string | null;
  isAdmin?: boolean | null;
  isSsprEnabled?: boolean | null;
  isSsprRegistered?: boolean | null;
  isSsprCapable?: boolean | null;
}

export interface GraphOnPremisesSynchronization {
  configuration?: { synchronizationInterval?: string | null; customerRequestedSynchronizationInterval?: string | null } | null;
  features?: {
    passwordSyncEnabled?: boolean | null;
    passwordWritebackEnabled?: boolean | null;
    cloudPasswordPolicyForPasswordSyncedUsersEnabled?: boolean | null;
    userForcePasswordChangeOnLogonEnabled?: boolean | null;
  } | null;
}

export interface GraphPasswordCredential {
  keyId?: string | null;
  /** Base64; the parts of one certificate (see certificateParts in normalize.ts) share it. */
  customKeyIdentifier?: string | null;
  displayName?: string | null;
  startDateTime?: string | null;
  endDateTime?: string | null;
}

export interface GraphKeyCredential extends GraphPasswordCredential {
  type?: string | null;
  usage?: string | null;
}

export interface GraphDirectoryObject {
  "@odata.type"?: string;
  id: string;
  displayName?: string | null;
  userPrincipalName?: string | null;
  accountEnabled?: boolean | null;
}

export interface GraphApplication {
  id: string;
  appId?: string | null;
  displayName?: string | null;
  createdDateTime?: string | null;
  passwordCredentials?: GraphPasswordCredential[] | null;
  keyCredentials?: GraphKeyCredential[] | null;
  owners?: GraphDirectoryObject[] | null;
}

export interface GraphServicePrincipal extends GraphApplication {
  accountEnabled?: boolean | null;
  servicePrincipalType?: string | null;
  appOwnerOrganizationId?: string | null;
}

/** A directory role definition, as `$expand=roleDefinition` gives it (every property). */
export interface GraphRoleDefinition {
  id?: string;
  displayName?: string | null;
  templateId?: string | null;
  /** False for a custom role, made in the tenant; its permissions are what it grants. */
  isBuiltIn?: boolean | null;
  rolePermissions?: { allowedResourceActions?: string[] | null; condition?: string | null }[] | null;
}

export interface GraphRoleAssignment {
  id: string;
  principalId?: string | null;
  roleDefinitionId?: string | null;
  directoryScopeId?: string | null;
  principal?: GraphDirectoryObject | null;
  roleDefinition?: GraphRoleDefinition | null;
}

/** Everything one Entra collection read; undefined means the call failed or its export is missing. */
export interface EntraGraphData {
  users?: GraphUser[];
  domains?: GraphDomain[];
  authorizationPolicy?: GraphAuthorizationPolicy;
  authenticationMethodsPolicy?: GraphAuthenticationMethodsPolicy;
  temporaryAccessPass?: GraphTemporaryAccessPassConfiguration;
  /**
   * Transitive member ids of each group the Temporary Access Pass configuration targets, for
   * the groups whose members were read in full (temporary-access-pass.ts).
   */
  temporaryAccessPassGroupMembers?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Member ids of each group that holds a directory role (role-assignable groups), for the
   * groups whose members were read in full (role-assignment-groups.ts).
   */
  roleAssignmentGroupMembers?: ReadonlyMap<string, ReadonlySet<string>>;
  /**
   * Member ids of each administrative unit a reset-capable role is scoped to, for the units
   * whose members were read in full (administrative-unit-scopes.ts).
   */
  administrativeUnitMembers?: ReadonlyMap<string, ReadonlySet<string>>;
  userRegistrationDetails?: GraphUserRegistrationDetails[];
  onPremisesSynchronization?: GraphOnPremisesSynchronization[];
  applications?: GraphApplication[];
  servicePrincipals?: GraphServicePrincipal[];
  roleAssignments?: GraphRoleAssignment[];
}
