// Renders the estate's Entra ID tenant as Microsoft Graph v1.0 response bodies, one file per
// documented call (see docs/exports.md): collections as arrays of pages with @odata.nextLink.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeJson, writePages } from "./json-pages-writer.ts";
import type { Estate, Person, Names } from "./model.ts";
import { encodeGuid } from "./windows-encoding.ts";

const GRAPH = "https://graph.microsoft.com/v1.0";
const PAGE = 999;

/** Built-in directory role template ids (Microsoft Entra built-in roles reference). */
export const ROLE_TEMPLATES: Record<string, string> = {
  "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
  "Privileged Authentication Administrator": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
  "Authentication Administrator": "c4e39bd9-1100-46d3-8c65-fb160da0071f",
  "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
  "Helpdesk Administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  "Password Administrator": "966707d0-3269-4727-9be2-8c3a10f19b9d",
};

const pageBody = (context: string, next: string) => (values: unknown[], index: number, isLast: boolean) => ({
  "@odata.context": `${GRAPH}/$metadata#${context}`,
  value: values,
  ...(isLast ? {} : { "@odata.nextLink": `${GRAPH}/${next}&$skiptoken=page${index + 1}` }),
});

function graphUser(p: Person, DOMAIN: Names["domain"]) {
  const e = p.entra!;
  return {
    id: e.objectId,
    displayName: `${p.given} ${p.surname}${p.sam.startsWith("adm-") ? " (admin)" : ""}`,
    givenName: p.given,
    surname: p.surname,
    userPrincipalName: p.upn,
    mail: p.mail,
    accountEnabled: e.enabled,
    userType: "Member",
    createdDateTime: p.created.toISOString().replace(/\.\d+Z$/, "Z"),
    lastPasswordChangeDateTime: e.lastPasswordChange.toISOString().replace(/\.\d+Z$/, "Z"),
    passwordPolicies: e.neverExpires ? "DisablePasswordExpiration" : "None",
    passwordProfile: { forceChangePasswordNextSignIn: e.forceChange, forceChangePasswordNextSignInWithMfa: false, password: null },
    onPremisesSyncEnabled: e.synced ? true : null,
    onPremisesImmutableId: e.synced ? Buffer.from(encodeGuid(p.guid)).toString("base64") : null,
    onPremisesSamAccountName: e.synced ? p.sam : null,
    onPremisesSecurityIdentifier: e.synced ? `${DOMAIN.sid}-${p.rid}` : null,
    onPremisesDomainName: e.synced ? DOMAIN.dns : null,
  };
}

export async function writeEntra(estate: Estate, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const TENANT = estate.names.tenant;
  const members = estate.people.filter((p) => p.entra);
  const select = "id,displayName,givenName,surname,userPrincipalName,mail,accountEnabled,userType,createdDateTime,lastPasswordChangeDateTime,passwordPolicies,passwordProfile,onPremisesSyncEnabled,onPremisesImmutableId,onPremisesSamAccountName,onPremisesSecurityIdentifier,onPremisesDomainName";
  await writePages(join(dir, "users.json"), (function* () { for (const p of members) yield graphUser(p, estate.names.domain); })(), PAGE, pageBody(`users(${select})`, `users?$select=${select}&$top=${PAGE}`));

  await writeJson(join(dir, "domains.json"), {
    "@odata.context": `${GRAPH}/$metadata#domains`,
    value: [
      { id: TENANT.domain, authenticationType: "Managed", isDefault: true, isInitial: false, isVerified: true, isRoot: true, passwordValidityPeriodInDays: 2147483647, passwordNotificationWindowInDays: 14, supportedServices: ["Email", "OfficeCommunicationsOnlineEdition"] },
      ...(TENANT.federatedDomain ? [{ id: TENANT.federatedDomain, authenticationType: "Federated", isDefault: false, isInitial: false, isVerified: true, isRoot: false, passwordValidityPeriodInDays: 2147483647, passwordNotificationWindowInDays: 14, supportedServices: ["Email"] }] : []),
      { id: TENANT.initialDomain, authenticationType: "Managed", isDefault: false, isInitial: true, isVerified: true, isRoot: true, passwordValidityPeriodInDays: 90, passwordNotificationWindowInDays: 14, supportedServices: ["Email"] },
    ],
  });

  await writeJson(join(dir, "authorizationPolicy.json"), {
    "@odata.context": `${GRAPH}/$metadata#policies/authorizationPolicy/$entity`,
    id: "authorizationPolicy",
    displayName: "Authorization Policy",
    description: "Used to manage authorization related settings across the company.",
    allowInvitesFrom: "everyone",
    allowedToSignUpEmailBasedSubscriptions: true,
    allowedToUseSSPR: estate.settings.ssprForAdmins,
    allowEmailVerifiedUsersToJoinOrganization: false,
    blockMsolPowerShell: false,
    defaultUserRolePermissions: { allowedToCreateApps: false, allowedToCreateSecurityGroups: false, allowedToReadOtherUsers: true, permissionGrantPoliciesAssigned: [] },
  });

  await writeJson(join(dir, "authenticationMethodsPolicy.json"), {
    "@odata.context": `${GRAPH}/$metadata#authenticationMethodsPolicy`,
    id: "authenticationMethodsPolicy",
    displayName: "Authentication Methods Policy",
    policyVersion: "1.5",
    registrationEnforcement: { authenticationMethodsRegistrationCampaign: { snoozeDurationInDays: 1, state: "default", excludeTargets: [], includeTargets: [{ id: "all_users", targetType: "group", targetedAuthenticationMethod: "microsoftAuthenticator" }] } },
    authenticationMethodConfigurations: [
      { "@odata.type": "#microsoft.graph.microsoftAuthenticatorAuthenticationMethodConfiguration", id: "MicrosoftAuthenticator", state: "enabled" },
      { "@odata.type": "#microsoft.graph.smsAuthenticationMethodConfiguration", id: "Sms", state: "enabled" },
      { "@odata.type": "#microsoft.graph.emailAuthenticationMethodConfiguration", id: "Email", state: "enabled" },
      { "@odata.type": "#microsoft.graph.fido2AuthenticationMethodConfiguration", id: "Fido2", state: "disabled" },
    ],
  });

  // Off, as Microsoft ships it: no pass can be used to sign in, so it adds no reset path.
  await writeJson(join(dir, "temporaryAccessPass.json"), {
    "@odata.context": `${GRAPH}/$metadata#authenticationMethodConfigurations/$entity`,
    "@odata.type": "#microsoft.graph.temporaryAccessPassAuthenticationMethodConfiguration",
    id: "TemporaryAccessPass",
    state: "disabled",
    defaultLifetimeInMinutes: 60,
    defaultLength: 8,
    minimumLifetimeInMinutes: 60,
    maximumLifetimeInMinutes: 480,
    isUsableOnce: false,
    includeTargets: [{ targetType: "group", id: "all_users", isRegistrationRequired: false }],
    excludeTargets: [],
  });

  const isAdmin = (p: Person) => (p.entra?.roles.length ?? 0) > 0;
  await writePages(
    join(dir, "userRegistrationDetails.json"),
    (function* () {
      for (const p of members)
        yield {
          id: p.entra!.objectId,
          userPrincipalName: p.upn,
          userDisplayName: `${p.given} ${p.surname}`,
          userType: "member",
          isAdmin: isAdmin(p),
          isSsprRegistered: p.entra!.ssprRegistered,
          // SSPR is enabled for all users in this tenant; admins follow the separate admin policy.
          isSsprEnabled: isAdmin(p) ? estate.settings.ssprForAdmins : true,
          isSsprCapable: p.entra!.ssprRegistered && (isAdmin(p) ? estate.settings.ssprForAdmins : true),
          isMfaRegistered: p.entra!.ssprRegistered,
          isMfaCapable: p.entra!.ssprRegistered,
          isPasswordlessCapable: false,
          isSystemPreferredAuthenticationMethodEnabled: true,
          methodsRegistered: p.entra!.ssprRegistered ? ["microsoftAuthenticatorPush", "mobilePhone"] : [],
          defaultMfaMethod: p.entra!.ssprRegistered ? "microsoftAuthenticatorPush" : "none",
          lastUpdatedDateTime: estate.now.toISOString().replace(/\.\d+Z$/, "Z"),
        };
    })(),
    PAGE,
    pageBody("reports/authenticationMethods/userRegistrationDetails", `reports/authenticationMethods/userRegistrationDetails?$top=${PAGE}`),
  );

  await writeJson(join(dir, "onPremisesSynchronization.json"), {
    "@odata.context": `${GRAPH}/$metadata#directory/onPremisesSynchronization`,
    value: [
      {
        id: TENANT.id,
        configuration: { synchronizationInterval: "PT30M", customerRequestedSynchronizationInterval: null, accidentalDeletionPrevention: { synchronizationPreventionType: "enabledForCount", alertThreshold: 500 } },
        features: {
          passwordSyncEnabled: estate.settings.passwordHashSync,
          passwordWritebackEnabled: estate.settings.passwordWriteback,
          cloudPasswordPolicyForPasswordSyncedUsersEnabled: estate.settings.cloudPasswordPolicyForSyncedUsers,
          userWritebackEnabled: false,
          groupWriteBackEnabled: false,
          deviceWritebackEnabled: false,
          directoryExtensionsEnabled: false,
          softMatchOnUpnEnabled: true,
          blockSoftMatchEnabled: false,
          blockCloudObjectTakeoverThroughHardMatchEnabled: true,
          synchronizeUpnForManagedUsersEnabled: true,
        },
      },
    ],
  });

  const byUpn = new Map(estate.people.map((p) => [p.upn.toLowerCase(), p]));
  const owner = (upn: string) => {
    const p = byUpn.get(upn.toLowerCase());
    // A deleted owner is simply absent from Graph's owners collection.
    return p?.entra ? [{ "@odata.type": "#microsoft.graph.user", id: p.entra.objectId, displayName: `${p.given} ${p.surname}`, userPrincipalName: p.upn, accountEnabled: p.entra.enabled }] : [];
  };
  const iso = (d: Date) => d.toISOString().replace(/\.\d+Z$/, "Z");
  const credentials = (app: Estate["apps"][number]) => ({
    passwordCredentials: app.credentials.filter((c) => c.kind === "secret").map((c) => ({ customKeyIdentifier: null, displayName: c.displayName, endDateTime: iso(c.end), hint: "Xy7", keyId: c.keyId, secretText: null, startDateTime: iso(c.start) })),
    keyCredentials: app.credentials.filter((c) => c.kind === "certificate").map((c) => ({ customKeyIdentifier: "A1B2C3D4E5F60718293A4B5C6D7E8F9011223344", displayName: `CN=${c.displayName}`, endDateTime: iso(c.end), key: null, keyId: c.keyId, startDateTime: iso(c.start), type: "AsymmetricX509Cert", usage: "Verify" })),
  });
  await writePages(
    join(dir, "applications.json"),
    (function* () {
      for (const app of estate.apps)
        yield { id: app.objectId, appId: app.appId, displayName: app.displayName, createdDateTime: iso(app.created), signInAudience: "AzureADMyOrg", ...credentials(app), owners: app.owners.flatMap(owner) };
    })(),
    PAGE,
    pageBody("applications(id,appId,displayName,createdDateTime,passwordCredentials,keyCredentials,owners())", `applications?$select=id,appId,displayName,createdDateTime,passwordCredentials,keyCredentials&$expand=owners&$top=${PAGE}`),
  );
  await writePages(
    join(dir, "servicePrincipals.json"),
    (function* () {
      for (const app of estate.apps)
        yield { id: app.spObjectId, appId: app.appId, displayName: app.displayName, servicePrincipalType: "Application", accountEnabled: true, appOwnerOrganizationId: TENANT.id, passwordCredentials: [], keyCredentials: [], owners: app.owners.flatMap(owner) };
    })(),
    PAGE,
    pageBody("servicePrincipals(id,appId,displayName,servicePrincipalType,accountEnabled,passwordCredentials,keyCredentials,owners())", `servicePrincipals?$select=id,appId,displayName,servicePrincipalType,accountEnabled,passwordCredentials,keyCredentials&$expand=owners&$top=${PAGE}`),
  );

  const assignments = members.flatMap((p) =>
    p.entra!.roles.map((role) => ({
      id: `${ROLE_TEMPLATES[role]}-${p.entra!.objectId}`.slice(0, 48),
      principalId: p.entra!.objectId,
      roleDefinitionId: ROLE_TEMPLATES[role],
      directoryScopeId: "/",
      principal: { "@odata.type": "#microsoft.graph.user", id: p.entra!.objectId, displayName: `${p.given} ${p.surname}`, userPrincipalName: p.upn, accountEnabled: p.entra!.enabled },
      roleDefinition: { id: ROLE_TEMPLATES[role], displayName: role, templateId: ROLE_TEMPLATES[role], isBuiltIn: true, isEnabled: true },
    })),
  );
  await writeJson(join(dir, "roleAssignments.json"), { "@odata.context": `${GRAPH}/$metadata#roleManagement/directory/roleAssignments(principal(),roleDefinition())`, value: assignments });
}
