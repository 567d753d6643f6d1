// Entra ID normalizer: parsed Microsoft Graph v1.0 responses (from export files or a live
// transport) -> accounts, credentials, reset paths, password policies and settings.
import type { Account, Credential, Owner, PasswordPolicy, ResetPath, SourceSettings } from "../../snapshot/types.ts";
import { isoTimestamp } from "../timestamp.ts";
import type {
  EntraGraphData,
  GraphApplication,
  GraphDirectoryObject,
  GraphKeyCredential,
  GraphPasswordCredential,
  GraphServicePrincipal,
  GraphUser,
} from "./graph-types.ts";
import { canResetPassword, privilegedRoleIds, resetterRoleIds, roleIds, roleNames } from "./roles.ts";

export interface EntraNormalized {
  settings: SourceSettings;
  passwordPolicies: PasswordPolicy[];
  accounts: Account[];
  credentials: Credential[];
  resetPaths: ResetPath[];
  counts: Record<string, number>;
  /** Facts worth a verbose log line (never secrets). */
  notes: string[];
}

/** Tenants whose service principals are Microsoft first-party apps present in every tenant. */
const microsoftTenants = new Set(["f8cdef31-a31e-4b4a-93e4-5f571e91255a", "72f988bf-86f1-41af-91ab-2d7cd011db47"]);

/** Graph's passwordValidityPeriodInDays value for "passwords never expire". */
const neverExpiresDays = 2147483647;

interface RoleHolding {
  templateId: string;
  name: string;
  scope: string;
}

/** The tenant-wide facts every user, app and service principal is normalized against. */
export type EntraContext = Omit<EntraGraphData, "users" | "applications" | "servicePrincipals">;

/**
 * Normalizes one tenant incrementally: the tenant-wide context first, then users, applications
 * and service principals one at a time, so a file transport can stream 300k users through it
 * without holding the raw Graph objects.
 */
export interface EntraNormalizer {
  addUser(user: GraphUser): void;
  addApplication(app: GraphApplication): void;
  addServicePrincipal(sp: GraphServicePrincipal): void;
  /** `usersRead`: whether the users call succeeded (else user-derived settings are unknown). */
  finish(usersRead: boolean): EntraNormalized;
}

/** All at once, for callers that hold every response (tests, a live transport). */
export function normalizeEntra(sourceId: string, data: EntraGraphData): EntraNormalized {
  const normalizer = createEntraNormalizer(sourceId, data);
  for (const user of data.users ?? []) normalizer.addUser(user);
  for (const app of data.applications ?? []) normalizer.addApplication(app);
  for (const sp of data.servicePrincipals ?? []) normalizer.addServicePrincipal(sp);
  return normalizer.finish(data.users !== undefined);
}

export function createEntraNormalizer(sourceId: string, data: EntraContext): EntraNormalizer {
  const accountId = (objectId: string) => `${sourceId}:${objectId}`;
  const notes: string[] = [];
  // What owner references need to know about users seen so far.
  const userFacts = new Map<string, { enabled: boolean | null | undefined; upn: string | null | undefined }>();
  let userCount = 0;
  let syncedUsers = 0;

  // Role assignments per principal (users, groups, service principals).
  const rolesByPrincipal = new Map<string, RoleHolding[]>();
  const holdersByRole = new Map<string, number>();
  let scopedAssignments = 0;
  let groupAssignments = 0;
  for (const assignment of data.roleAssignments ?? []) {
    const principalId = assignment.principalId ?? assignment.principal?.id;
    const templateId = assignment.roleDefinition?.templateId ?? assignment.roleDefinitionId;
    if (!principalId || !templateId) continue;
    if (assignment.principal?.["@odata.type"] === "#microsoft.graph.group") groupAssignments++;
    const name = assignment.roleDefinition?.displayName ?? roleNames[templateId] ?? templateId;
    const scope = assignment.directoryScopeId ?? "/";
    const list = rolesByPrincipal.get(principalId);
    const holding = { templateId, name, scope };
    if (list) list.push(holding);
    else rolesByPrincipal.set(principalId, [holding]);
    if (scope === "/") holdersByRole.set(templateId, (holdersByRole.get(templateId) ?? 0) + 1);
    else scopedAssignments++;
  }
  if (scopedAssignments > 0) {
    notes.push(`${scopedAssignments} role assignment(s) scoped to administrative units: their reset paths need unit membership, which the exports do not hold; not modelled`);
  }
  if (groupAssignments > 0) {
    notes.push(`${groupAssignments} role assignment(s) to role-assignable groups: their members hold the role, but the exports do not list group members`);
  }
  // Reset-capable roles somebody actually holds tenant-wide: only those are paths. One actor
  // object per role, shared by all its paths (a large tenant has hundreds of thousands).
  const activeResetters = resetterRoleIds
    .filter((id) => (holdersByRole.get(id) ?? 0) > 0)
    .map((roleId) => {
      const global = roleId === roleIds.globalAdministrator;
      const actor: ResetPath["actor"] = { kind: "role", id: roleId, name: roleNames[roleId], admin: global || roleId === roleIds.privilegedAuthenticationAdministrator };
      return { roleId, name: roleNames[roleId], mechanism: global ? ("admin-role" as const) : ("helpdesk" as const), actor };
    });

  const registration = data.userRegistrationDetails ? new Map(data.userRegistrationDetails.map((d) => [d.id, d])) : undefined;
  const ssprForAdmins = data.authorizationPolicy ? (data.authorizationPolicy.allowedToUseSSPR ?? null) : null;

  const domainPolicies = new Map<string, PasswordPolicy>();
  const passwordPolicies: PasswordPolicy[] = [];
  for (const domain of data.domains ?? []) {
    const federated = domain.authenticationType?.toLowerCase() === "federated";
    const validity = domain.passwordValidityPeriodInDays;
    const policy: PasswordPolicy = {
      id: `${sourceId}:policy:domain:${domain.id.toLowerCase()}`,
      source: sourceId,
      scope: "entra-domain",
      name: domain.id,
      appliesTo: ["*"],
      // Entra's cloud password rules are fixed (8-256 characters, 3 of 4 character classes);
      // a federated domain's passwords are checked by its identity provider instead.
      minLength: federated ? null : 8,
      complexity: federated ? null : true,
      maxAgeDays: federated || validity === undefined || validity === null ? null : validity >= neverExpiresDays ? 0 : validity,
      federated,
    };
    domainPolicies.set(domain.id.toLowerCase(), policy);
    passwordPolicies.push(policy);
  }

  const accounts: Account[] = [];
  const credentials: Credential[] = [];
  const resetPaths: ResetPath[] = [];

  const addUser = (user: GraphUser) => {
    userCount++;
    if (user.onPremisesSyncEnabled === true) syncedUsers++;
    userFacts.set(user.id, { enabled: user.accountEnabled, upn: user.userPrincipalName });
    const id = accountId(user.id);
    const holdings = rolesByPrincipal.get(user.id) ?? [];
    const roleTemplates = holdings.map((h) => h.templateId);
    const privilegedRoles = holdings.filter((h) => privilegedRoleIds.has(h.templateId));
    const isAdmin = holdings.length > 0;
    const details = registration?.get(user.id);
    const policyList = (user.passwordPolicies ?? "").split(/[\s,]+/);
    const upn = user.userPrincipalName ?? undefined;
    const domain = upn?.split("@")[1]?.toLowerCase();
    const mustChange = user.passwordProfile?.forceChangePasswordNextSignIn === true || user.passwordProfile?.forceChangePasswordNextSignInWithMfa === true;
    const account: Account = {
      id,
      source: sourceId,
      nativeIds: compact({
        objectId: user.id,
        userPrincipalName: upn,
        mail: user.mail ?? undefined,
        onPremisesImmutableId: user.onPremisesImmutableId ?? undefined,
        onPremisesSamAccountName: user.onPremisesSamAccountName ?? undefined,
        onPremisesSecurityIdentifier: user.onPremisesSecurityIdentifier ?? undefined,
      }),
      name: upn ?? user.id,
      displayName: user.displayName ?? null,
      // The Entra Connect sync account is a workload, recognisable by its role.
      kind: roleTemplates.includes(roleIds.directorySynchronizationAccounts) ? "service" : "human",
      enabled: user.accountEnabled !== false,
      privileged: privilegedRoles.length > 0,
      privilegedReasons: privilegedRoles.map((h) => (h.scope === "/" ? h.name : `${h.name} (${h.scope})`)),
      owners: [],
      groups: [],
      created: isoTimestamp(user.createdDateTime),
      lastLogon: isoTimestamp(user.signInActivity?.lastSignInDateTime),
      passwordLastSet: isoTimestamp(user.lastPasswordChangeDateTime),
      passwordPolicy: (domain && domainPolicies.get(domain)?.id) ?? null,
      flags: {
        passwordNeverExpires: policyList.includes("DisablePasswordExpiration"),
        mustChangeAtNextLogon: mustChange,
      },
      syncedFromOnPrem: user.onPremisesSyncEnabled === true,
      ssprRegistered: details ? (details.isSsprRegistered ?? null) : null,
      ssprCapable: details ? (details.isSsprCapable ?? null) : null,
    };
    accounts.push(account);

    // The cloud password, unless the user's domain is federated (its IdP holds the password).
    const domainPolicy = domain ? domainPolicies.get(domain) : undefined;
    if (!domainPolicy?.federated) {
      const lastRotated = account.passwordLastSet ?? null;
      const maxAge = domainPolicy?.maxAgeDays;
      const neverExpires = account.flags.passwordNeverExpires === true || maxAge === 0;
      credentials.push({
        id: `${id}:password`,
        account: id,
        source: sourceId,
        type: "password",
        name: "password",
        created: lastRotated,
        lastRotated,
        expires: neverExpires || maxAge === undefined || maxAge === null || lastRotated === null ? null : addDays(lastRotated, maxAge),
        neverExpires: maxAge === undefined || maxAge === null ? (account.flags.passwordNeverExpires ? true : null) : neverExpires,
        managedBy: account.kind === "human" ? "user" : "unknown",
        owners: [],
        // A synchronised user's cloud password follows the on-premises one (hash sync).
        rotation: account.syncedFromOnPrem ? "sync" : "none",
        deliveryChannel: null,
      });
    }

    if (mustChange) {
      // Someone set a password the user must replace at sign-in: until then, it is known to them.
      resetPaths.push({
        id: `${id}:reset:force-change-at-logon`,
        source: sourceId,
        target: id,
        mechanism: "force-change-at-logon",
        actor: { kind: "self", id, name: account.name },
        right: "passwordProfile.forceChangePasswordNextSignIn",
        via: null,
        requiresUserCompletion: true,
      });
    }
    // Admin resets in Entra hand out a temporary password the user must change at next sign-in.
    for (const resetter of activeResetters) {
      if (!canResetPassword(resetter.roleId, roleTemplates)) continue;
      resetPaths.push({
        id: `${id}:reset:role:${resetter.roleId}`,
        source: sourceId,
        target: id,
        mechanism: resetter.mechanism,
        actor: resetter.actor,
        right: resetter.name,
        via: resetter.name,
        requiresUserCompletion: true,
      });
    }
    // Self-service reset: administrators follow the tenant's admin SSPR policy
    // (authorizationPolicy.allowedToUseSSPR); everyone else the SSPR scope, reported per user.
    const adminForSspr = isAdmin || details?.isAdmin === true;
    const ssprOn = adminForSspr ? ssprForAdmins === true : details?.isSsprEnabled === true;
    if (ssprOn && account.enabled) {
      resetPaths.push({
        id: `${id}:reset:sspr`,
        source: sourceId,
        target: id,
        mechanism: "sspr",
        actor: { kind: "self", id, name: account.name },
        right: adminForSspr ? "authorizationPolicy.allowedToUseSSPR" : "SSPR scope",
        via: null,
        requiresUserCompletion: true,
      });
    }
  };

  const ownerOf = (o: GraphDirectoryObject): Owner => {
    const user = userFacts.get(o.id);
    const enabled = o.accountEnabled ?? user?.enabled;
    return {
      // An account id only when that account is in the snapshot; else the raw objectId.
      ref: user ? accountId(o.id) : o.id,
      name: o.userPrincipalName ?? o.displayName ?? user?.upn ?? null,
      source: sourceId,
      relation: "owner",
      status: enabled === true ? "enabled" : enabled === false ? "disabled" : "unknown",
    };
  };

  const addWorkload = (object: GraphApplication | GraphServicePrincipal, kind: "application" | "servicePrincipal") => {
    const id = accountId(object.id);
    const owners = (object.owners ?? []).map(ownerOf);
    const sp = kind === "servicePrincipal" ? (object as GraphServicePrincipal) : undefined;
    const holdings = rolesByPrincipal.get(object.id) ?? [];
    const privilegedRoles = holdings.filter((h) => privilegedRoleIds.has(h.templateId));
    accounts.push({
      id,
      source: sourceId,
      nativeIds: compact({ objectId: object.id, appId: object.appId ?? undefined }),
      name: object.displayName ?? object.appId ?? object.id,
      displayName: object.displayName ?? null,
      kind,
      enabled: sp ? sp.accountEnabled !== false : true,
      privileged: privilegedRoles.length > 0,
      privilegedReasons: privilegedRoles.map((h) => h.name),
      owners,
      created: isoTimestamp(object.createdDateTime),
      flags: {},
    });
    // Managed identities: Azure issues and rotates their certificates; nobody handles a secret.
    const platformManaged = sp?.servicePrincipalType === "ManagedIdentity";
    const credential = (c: GraphPasswordCredential | GraphKeyCredential, type: "clientSecret" | "certificate", index: number): Credential => {
      const expires = isoTimestamp(c.endDateTime);
      return {
        id: `${id}:${type}:${c.keyId ?? index}`,
        account: id,
        source: sourceId,
        type,
        // Never the secret, nor Graph's `hint` (its first characters).
        name: c.displayName ?? c.keyId ?? null,
        created: isoTimestamp(c.startDateTime),
        lastRotated: isoTimestamp(c.startDateTime),
        expires,
        neverExpires: expires === null ? null : new Date(expires).getUTCFullYear() >= 9999,
        managedBy: platformManaged ? "enterprise" : owners.length > 0 ? "user" : "unknown",
        owners,
        rotation: "unknown",
        deliveryChannel: null,
      };
    };
    (object.passwordCredentials ?? []).forEach((c, i) => credentials.push(credential(c, "clientSecret", i)));
    (object.keyCredentials ?? []).forEach((c, i) => credentials.push(credential(c, "certificate", i)));
  };

  let applications = 0;
  let servicePrincipals = 0;
  let firstParty = 0;
  const addApplication = (app: GraphApplication) => {
    applications++;
    addWorkload(app, "application");
  };
  const addServicePrincipal = (sp: GraphServicePrincipal) => {
    // Microsoft's own apps exist in every tenant without owners or tenant-held secrets;
    // listing them would report thousands of "ownerless" workloads nobody can act on.
    if (sp.appOwnerOrganizationId && microsoftTenants.has(sp.appOwnerOrganizationId)) {
      firstParty++;
      return;
    }
    servicePrincipals++;
    addWorkload(sp, "servicePrincipal");
  };

  const finish = (usersRead: boolean): EntraNormalized => {
    const sync = data.onPremisesSynchronization?.[0];
    const features = sync?.features ?? undefined;
    const interval = sync?.configuration?.customerRequestedSynchronizationInterval ?? sync?.configuration?.synchronizationInterval;
    const defaultDomain = (data.domains ?? []).find((d) => d.isDefault);
    const settings: SourceSettings = {
      kind: "entra",
      domainName: defaultDomain?.id ?? null,
      ssprEnabled: ssprScope(data),
      ssprForAdmins,
      passwordWritebackEnabled: sync ? (features?.passwordWritebackEnabled ?? null) : null,
      passwordHashSyncEnabled: sync ? (features?.passwordSyncEnabled ?? null) : null,
      cloudPasswordPolicyForSyncedUsers: sync ? (features?.cloudPasswordPolicyForPasswordSyncedUsersEnabled ?? null) : null,
      userForcePasswordChangeOnLogonSynced: sync ? (features?.userForcePasswordChangeOnLogonEnabled ?? null) : null,
      onPremisesSyncEnabled: usersRead ? syncedUsers > 0 : null,
      syncIntervalMinutes: interval ? isoDurationMinutes(interval) : null,
      federatedDomains: data.domains ? data.domains.filter((d) => d.authenticationType?.toLowerCase() === "federated").map((d) => d.id) : null,
    };

    const counts: Record<string, number> = {
      users: userCount,
      applications,
      servicePrincipals,
      firstPartyServicePrincipalsSkipped: firstParty,
      roleAssignments: data.roleAssignments?.length ?? 0,
      domains: data.domains?.length ?? 0,
      accounts: accounts.length,
      credentials: credentials.length,
      resetPaths: resetPaths.length,
      passwordPolicies: passwordPolicies.length,
    };
    return { settings, passwordPolicies, accounts, credentials, resetPaths, counts, notes };
  };

  return { addUser, addApplication, addServicePrincipal, finish };
}

/**
 * Graph v1.0 has no property for the SSPR scope (None / Selected / All). userRegistrationDetails
 * reports it per user (isSsprEnabled), so the scope is read back from the non-admin members:
 * all in scope -> "all", none -> "none", some -> "selected".
 */
function ssprScope(data: EntraContext): SourceSettings["ssprEnabled"] {
  if (!data.userRegistrationDetails) return null;
  const members = data.userRegistrationDetails.filter((d) => d.isAdmin !== true && (d.userType ?? "member").toLowerCase() === "member");
  if (members.length === 0) return null;
  const enabled = members.filter((d) => d.isSsprEnabled === true).length;
  return enabled === 0 ? "none" : enabled === members.length ? "all" : "selected";
}

/** ISO 8601 duration (`PT30M`, `P1DT2H`) -> minutes; null when not a duration. */
export function isoDurationMinutes(value: string): number | null {
  const m = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(value);
  if (!m || value === "P" || value.endsWith("T")) return null;
  const [, d, h, min, s] = m.map((x) => (x === undefined ? 0 : Number(x)));
  return d * 1440 + h * 60 + min + s / 60;
}

function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

function compact<T extends Record<string, unknown>>(ids: T): T {
  for (const key of Object.keys(ids)) if (ids[key] === undefined || ids[key] === "") delete ids[key];
  return ids;
}
