// The shape of each Microsoft Graph v1.0 item credgov reads (graph-types.ts, as JSON Schema):
// required ids and the type of every field the normalizer touches. Other properties are allowed
// (Graph adds @odata annotations and fields credgov does not $select).
import { itemShape, nullableBoolean, nullableDateTime, nullableString, requiredString } from "../item-shape.ts";
import { isoDurationPattern } from "./iso-duration.ts";
import type {
  GraphApplication,
  GraphAuthenticationMethodsPolicy,
  GraphAuthorizationPolicy,
  GraphDirectoryObject,
  GraphDomain,
  GraphOnPremisesSynchronization,
  GraphRoleAssignment,
  GraphServicePrincipal,
  GraphTemporaryAccessPassConfiguration,
  GraphUser,
  GraphUserRegistrationDetails,
} from "./graph-types.ts";

const object = (properties: Record<string, object>, required: string[] = []) => ({ type: "object", properties, required });
const nullableObject = (properties: Record<string, object>) => ({ type: ["object", "null"], properties });

const directoryObject = object(
  { "@odata.type": { type: "string" }, id: requiredString, displayName: nullableString, userPrincipalName: nullableString, accountEnabled: nullableBoolean },
  ["id"],
);

const nullableDuration = { type: ["string", "null"], allOf: [{ pattern: isoDurationPattern, "x-error": "is not an ISO 8601 duration in days, hours, minutes and seconds (PT30M, P1DT2H)" }] };

const passwordCredential = { keyId: nullableString, customKeyIdentifier: nullableString, displayName: nullableString, startDateTime: nullableDateTime, endDateTime: nullableDateTime };

const workload = {
  id: requiredString,
  appId: nullableString,
  displayName: nullableString,
  createdDateTime: nullableDateTime,
  passwordCredentials: { type: ["array", "null"], items: object(passwordCredential) },
  keyCredentials: { type: ["array", "null"], items: object({ ...passwordCredential, type: nullableString, usage: nullableString }) },
  owners: { type: ["array", "null"], items: directoryObject },
};

export const graphUserShape = itemShape<GraphUser>(
  object(
    {
      id: requiredString,
      displayName: nullableString,
      userPrincipalName: nullableString,
      mail: nullableString,
      accountEnabled: nullableBoolean,
      userType: nullableString,
      createdDateTime: nullableDateTime,
      lastPasswordChangeDateTime: nullableDateTime,
      passwordPolicies: nullableString,
      passwordProfile: nullableObject({ forceChangePasswordNextSignIn: nullableBoolean, forceChangePasswordNextSignInWithMfa: nullableBoolean }),
      onPremisesSyncEnabled: nullableBoolean,
      onPremisesImmutableId: nullableString,
      onPremisesSamAccountName: nullableString,
      onPremisesSecurityIdentifier: nullableString,
      signInActivity: nullableObject({ lastSignInDateTime: nullableDateTime, lastNonInteractiveSignInDateTime: nullableDateTime }),
    },
    ["id"],
  ),
);

export const graphDomainShape = itemShape<GraphDomain>(
  object(
    { id: requiredString, authenticationType: nullableString, isDefault: nullableBoolean, isVerified: nullableBoolean, passwordValidityPeriodInDays: { type: ["integer", "null"], minimum: 0 } },
    ["id"],
  ),
);

export const graphRegistrationDetailsShape = itemShape<GraphUserRegistrationDetails>(
  object(
    { id: requiredString, userType: nullableString, isAdmin: nullableBoolean, isSsprEnabled: nullableBoolean, isSsprRegistered: nullableBoolean, isSsprCapable: nullableBoolean },
    ["id"],
  ),
);

export const graphRoleAssignmentShape = itemShape<GraphRoleAssignment>(
  object(
    {
      id: requiredString,
      principalId: nullableString,
      roleDefinitionId: nullableString,
      directoryScopeId: nullableString,
      principal: { ...directoryObject, type: ["object", "null"] },
      roleDefinition: nullableObject({
        id: { type: "string" },
        displayName: nullableString,
        templateId: nullableString,
        isBuiltIn: nullableBoolean,
        rolePermissions: { type: ["array", "null"], items: object({ allowedResourceActions: { type: ["array", "null"], items: { type: "string" } }, condition: nullableString }) },
      }),
    },
    ["id"],
  ),
);

export const graphApplicationShape = itemShape<GraphApplication>(object(workload, ["id"]));

export const graphServicePrincipalShape = itemShape<GraphServicePrincipal>(
  object({ ...workload, accountEnabled: nullableBoolean, servicePrincipalType: nullableString, appOwnerOrganizationId: nullableString }, ["id"]),
);

export const graphAuthorizationPolicyShape = itemShape<GraphAuthorizationPolicy>(object({ allowedToUseSSPR: nullableBoolean }));

export const graphAuthenticationMethodsPolicyShape = itemShape<GraphAuthenticationMethodsPolicy>(
  object({ authenticationMethodConfigurations: { type: ["array", "null"], items: object({ id: { type: "string" }, state: nullableString }) } }),
);

/**
 * A method's target: the all_users pseudo-group, or a user's or group's object id. The id goes
 * into a Graph request path and an export file name, so nothing else is taken for one.
 */
const targetId = {
  type: "string",
  allOf: [{ pattern: "^(all_users|[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})$", "x-error": "is neither all_users nor an object id (a GUID)" }],
};
const methodTargets = { type: ["array", "null"], items: object({ id: targetId, targetType: nullableString }, ["id"]) };
const nullableInteger = { type: ["integer", "null"] };

export const graphTemporaryAccessPassShape = itemShape<GraphTemporaryAccessPassConfiguration>(
  object({
    id: { type: "string" },
    state: nullableString,
    isUsableOnce: nullableBoolean,
    defaultLifetimeInMinutes: nullableInteger,
    minimumLifetimeInMinutes: nullableInteger,
    maximumLifetimeInMinutes: nullableInteger,
    includeTargets: methodTargets,
    excludeTargets: methodTargets,
  }),
);

/** A member of a group's transitiveMembers ($select=id): a user, group, device or other directory object. */
export const graphDirectoryObjectShape = itemShape<GraphDirectoryObject>(directoryObject);

export const graphOnPremisesSynchronizationShape = itemShape<GraphOnPremisesSynchronization>(
  object({
    configuration: nullableObject({ synchronizationInterval: nullableDuration, customerRequestedSynchronizationInterval: nullableDuration }),
    features: nullableObject({
      passwordSyncEnabled: nullableBoolean,
      passwordWritebackEnabled: nullableBoolean,
      cloudPasswordPolicyForPasswordSyncedUsersEnabled: nullableBoolean,
      userForcePasswordChangeOnLogonEnabled: nullableBoolean,
    }),
  }),
);
