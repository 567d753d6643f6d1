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
  GraphUserRegistrationDetails,
} from "./graph-types.ts";
import {
  authenticationMethodCreateAction,
  canResetPassword,
  canResetRoleGroupMember,
  customRoleReaches,
  customRoleRights,
  isKnownBuiltInRole,
  passwordResetAction,
  privilegedRoleIds,
  resetterRoleIds,
  roleIds,
  roleNames,
  temporaryAccessPassIssuerRoleIds,
  type CustomRoleRights,
} from "./roles.ts";
import { temporaryAccessPassScope } from "./temporary-access-pass.ts";
import { privilegedPermissionOf } from "./privileged-permissions.ts";
import { administrativeUnitOf, assignmentResets } from "./administrative-unit-scopes.ts";
import { firstNames } from "../first-names.ts";
import type { NormalizedFacts, SourceGap } from "../normalized-facts.ts";
import { entraItemCompleteness } from "./required-properties.ts";
import { usersExportGap } from "./users-coverage.ts";
import { isoDurationMinutes } from "./iso-duration.ts";
import { UnlistedDomains } from "./unlisted-domains.ts";

export interface EntraNormalized extends NormalizedFacts {
  /** Facts worth a verbose log line (never secrets). */
  notes: string[];
  /** Properties the items lacked (the source is partial): see required-properties.ts. */
  gaps: SourceGap[];
  /** Why the users read look short (users-coverage.ts); each transport reports it as its call's gap. */
  usersGap?: string;
}

/** Tenants whose service principals are Microsoft first-party apps present in every tenant. */
const microsoftTenants = new Set(["f8cdef31-a31e-4b4a-93e4-5f571e91255a", "72f988bf-86f1-41af-91ab-2d7cd011db47"]);

/** Graph's passwordValidityPeriodInDays value for "passwords never expire". */
const neverExpiresDays = 2147483647;

interface RoleHolding {
  templateId: string;
  name: string;
  scope: string;
  /** Why the role makes its holder privileged (the reason, less the scope); undefined when it does not. */
  privileged: string | undefined;
}

/**
 * The tenant-wide facts every user, app and service principal is normalized against. Users
 * need domains, role assignments and the authorization policy when they are added;
 * onPremisesSynchronization is read only by finish(), so it may arrive later.
 */
export type EntraContext = Omit<EntraGraphData, "users" | "applications" | "servicePrincipals" | "userRegistrationDetails">;

/** Which of the calls that grow with the tenant were read in full. */
export interface EntraReadComplete {
  users: boolean;
  userRegistrationDetails: boolean;
}

/**
 * Normalizes one tenant incrementally: the tenant-wide context first, then users, applications
 * and service principals one at a time, so a transport can stream 300k users through it
 * without holding the raw Graph objects. Registration details (one per user, from another
 * call) join their user whichever comes first, and applications and service principals may
 * come while users still do (their owners are matched to users in finish()), so a live
 * transport needs not hold one call back until another is done. The part's order is the file
 * transport's whatever the arrival order: users, then applications, then service principals.
 */
export interface EntraNormalizer {
  addUser(user: GraphUser): void;
  /** Whether a user with this id was added already (a users export that lists one twice). */
  hasUser(id: string): boolean;
  addRegistrationDetails(details: GraphUserRegistrationDetails): void;
  addApplication(app: GraphApplication): void;
  addServicePrincipal(sp: GraphServicePrincipal): void;
  /** A call not read in full leaves what it feeds unknown (a partial list is not the tenant's). */
  finish(complete: EntraReadComplete): EntraNormalized;
}

/** All at once, for callers that hold every response (tests). */
export function normalizeEntra(sourceId: string, data: EntraGraphData): EntraNormalized {
  const normalizer = createEntraNormalizer(sourceId, data);
  for (const details of data.userRegistrationDetails ?? []) normalizer.addRegistrationDetails(details);
  for (const user of data.users ?? []) normalizer.addUser(user);
  for (const app of data.applications ?? []) normalizer.addApplication(app);
  for (const sp of data.servicePrincipals ?? []) normalizer.addServicePrincipal(sp);
  return normalizer.finish({ users: data.users !== undefined, userRegistrationDetails: data.userRegistrationDetails !== undefined });
}

/**
 * One record per user: what owner references need to know (Graph's own accountEnabled and
 * userPrincipalName), and the SSPR facts that wait for registration details (or for finish).
 */
interface UserRecord {
  enabled: boolean | null | undefined;
  upn: string | null | undefined;
  account: Account;
  /** Holds a directory role (which puts the user under the admin SSPR policy). */
  roleAdmin: boolean;
  /** An invited external user: no password in this tenant. */
  external: boolean;
  /** Where the user's SSPR path goes among the other reset paths (see sspr below). */
  position: number;
  order: number;
  /** Still waiting for its registration details. */
  awaiting: boolean;
}

/** What a role's reset paths share: one object per role and mechanism, made once per tenant. */
interface RolePath {
  roleId: string;
  /** A custom role: it reaches the users customRoleReaches says, not those of Microsoft's table. */
  custom: boolean;
  mechanism: ResetPath["mechanism"];
  actor: ResetPath["actor"];
  right: string;
  via: string | null;
  idSuffix: string;
}

/** Users without directory roles (nearly all) share these instead of new empty arrays. */
const noHoldings: readonly RoleHolding[] = [];
const noTemplates: readonly string[] = [];
/**
 * The empty lists of a user (no privileged roles, owners or groups) and of its password: one
 * shared, frozen array each instead of four new ones per user (a 100k-user tenant kept 400k
 * empty arrays, copied by every scavenge they survived). Frozen, so code that tried to add to
 * one would fail loudly instead of changing every account; nothing does: the snapshot is
 * written as JSON, where a shared empty array reads the same.
 */
const none = Object.freeze([]) as unknown as never[];

export function createEntraNormalizer(sourceId: string, data: EntraContext): EntraNormalizer {
  // Ids are built from constant parts made once: `prefix + objectId` is one string pair, where
  // `${sourceId}:${objectId}` made a new "source:" string per call and a pair on top of it.
  const idPrefix = `${sourceId}:`;
  const accountId = (objectId: string) => idPrefix + objectId;
  const notes: string[] = [];
  const completeness = entraItemCompleteness();
  // Users seen so far, by object id (owner references, and the registration-details join).
  const users = new Map<string, UserRecord>();
  let userCount = 0;
  let syncedUsers = 0;

  // Role assignments per principal (users, groups, service principals).
  const rolesByPrincipal = new Map<string, RoleHolding[]>();
  const holdersByRole = new Map<string, number>();
  // Custom roles held tenant-wide, by id, with what their permissions allow (roles.ts).
  const customRoles = new Map<string, { name: string; rights: CustomRoleRights }>();
  // Roles whose definition did not come with their assignments, by id; assignments without their principal.
  const unreadDefinitions = new Set<string>();
  const unreadPrincipals: string[] = [];
  // Groups holding roles (role-assignable groups), by id, with their names.
  const holdingGroups = new Map<string, string>();
  for (const assignment of data.roleAssignments ?? []) {
    const principalId = assignment.principalId ?? assignment.principal?.id;
    const templateId = assignment.roleDefinition?.templateId ?? assignment.roleDefinitionId;
    if (!principalId || !templateId) continue;
    // Without the principal, a group (whose members hold the role) reads as an unknown object.
    if (assignment.principal == null) unreadPrincipals.push(assignment.id);
    if (assignment.principal?.["@odata.type"] === "#microsoft.graph.group") holdingGroups.set(principalId, assignment.principal.displayName ?? principalId);
    const name = assignment.roleDefinition?.displayName ?? roleNames[templateId] ?? templateId;
    const scope = assignment.directoryScopeId ?? "/";
    const definition = assignment.roleDefinition;
    // A custom role is privileged when Microsoft labels one of its permissions privileged.
    const permissions = definition?.isBuiltIn === false ? definition.rolePermissions : undefined;
    const privilegedAction = permissions ? privilegedPermissionOf(permissions) : undefined;
    const privileged = privilegedRoleIds.has(templateId) ? name : privilegedAction !== undefined ? `${name} (custom role: ${privilegedAction})` : undefined;
    // Without the definition (not expanded, or a custom role's without its permissions), an
    // unknown role may be privileged or reset passwords: its holders' privilege is unknown.
    if (definition?.isBuiltIn === false ? !permissions : definition?.isBuiltIn !== true && !isKnownBuiltInRole(templateId)) unreadDefinitions.add(templateId);
    const list = rolesByPrincipal.get(principalId);
    const holding = { templateId, name, scope, privileged };
    if (list) list.push(holding);
    else rolesByPrincipal.set(principalId, [holding]);
    if (scope === "/") holdersByRole.set(templateId, (holdersByRole.get(templateId) ?? 0) + 1);
    if (scope === "/" && permissions && !customRoles.has(templateId)) customRoles.set(templateId, { name, rights: customRoleRights(permissions) });
  }
  // A group's roles are held by its members, each named with the group in the reasons. The
  // members are protected as role-assignable groups' members are (roleGroupMembers).
  const roleGroupMembers = new Set<string>();
  const unreadGroups: string[] = [];
  for (const [groupId, groupName] of holdingGroups) {
    const members = data.roleAssignmentGroupMembers?.get(groupId);
    if (members === undefined) {
      unreadGroups.push(groupId);
      continue;
    }
    const held = rolesByPrincipal.get(groupId)!.map((h) => ({ ...h, privileged: h.privileged === undefined ? undefined : `${h.privileged} (group ${groupName})` }));
    for (const member of members) {
      roleGroupMembers.add(member);
      const list = rolesByPrincipal.get(member);
      if (list) list.push(...held);
      else rolesByPrincipal.set(member, [...held]);
    }
  }
  const definitionsGap: SourceGap | undefined =
    unreadDefinitions.size === 0
      ? undefined
      : {
          step: "roleAssignments",
          message:
            `${unreadDefinitions.size} role(s) held in the role assignments come without their definition (${firstNames(unreadDefinitions)}): whether they are ` +
            "custom roles with privileged or password reset permissions is unknown; export GET /v1.0/roleManagement/directory/roleAssignments with $expand=principal,roleDefinition",
          affects: ["accounts.privileged", "resetPaths"],
        };
  const principalsGap: SourceGap | undefined =
    unreadPrincipals.length === 0
      ? undefined
      : {
          step: "roleAssignments",
          message:
            `${unreadPrincipals.length} role assignment(s) come without their principal (${firstNames(unreadPrincipals)}): whether it is a group, whose members hold the role, ` +
            "is unknown; export GET /v1.0/roleManagement/directory/roleAssignments with $expand=principal,roleDefinition",
          affects: ["accounts.privileged", "resetPaths"],
        };
  if (unreadGroups.length > 0) {
    notes.push(`roles are assigned to groups whose members were not read (${unreadGroups.join(", ")}): who holds those roles is unknown`);
  }
  // Reset-capable roles somebody actually holds tenant-wide: only those are paths. One actor
  // object per role, shared by all its paths (a large tenant has hundreds of thousands).
  const activeResetters = resetterRoleIds
    .filter((id) => (holdersByRole.get(id) ?? 0) > 0)
    .map((roleId) => {
      const global = roleId === roleIds.globalAdministrator;
      const actor: ResetPath["actor"] = { kind: "role", id: roleId, name: roleNames[roleId], admin: global || roleId === roleIds.privilegedAuthenticationAdministrator };
      const name = roleNames[roleId];
      const path: RolePath = { roleId, custom: false, mechanism: global ? "admin-role" : "helpdesk", actor, right: name, via: name, idSuffix: `:reset:role:${roleId}` };
      return path;
    });
  // Custom roles whose permissions reset passwords: help desk paths of their own (not admins).
  const customActor = (roleId: string, name: string): ResetPath["actor"] => ({ kind: "role", id: roleId, name, admin: false });
  const customResetters: RolePath[] = [...customRoles]
    .filter(([, role]) => role.rights.resetsPasswords)
    .map(([roleId, role]) => ({ roleId, custom: true, mechanism: "helpdesk", actor: customActor(roleId, role.name), right: `${role.name} (custom role: ${passwordResetAction})`, via: role.name, idSuffix: `:reset:role:${roleId}` }));
  const passwordPaths = activeResetters.concat(customResetters);
  // Temporary Access Pass issuers, when the tenant's policy lets users sign in with a pass: each
  // issuing role somebody holds, with the actor its password paths share.
  const tap = temporaryAccessPassScope(data.temporaryAccessPass, data.temporaryAccessPassGroupMembers);
  const tapVia = tap.via;
  const tapReaches = tap.reaches;
  const activeTapIssuers: RolePath[] =
    tapVia === undefined
      ? []
      : activeResetters
          .filter((resetter) => (temporaryAccessPassIssuerRoleIds as readonly string[]).includes(resetter.roleId))
          .map((resetter) => ({ ...resetter, mechanism: "temporary-access-pass" as const, right: `${resetter.right}: Temporary Access Pass`, via: tapVia, idSuffix: `:reset:temporary-access-pass:role:${resetter.roleId}` }));
  // Custom roles that may add a user's authentication methods issue passes too.
  const customTapIssuers: RolePath[] =
    tapVia === undefined
      ? []
      : [...customRoles]
          .filter(([, role]) => role.rights.issuesTemporaryAccessPass)
          .map(([roleId, role]) => ({ roleId, custom: true, mechanism: "temporary-access-pass", actor: customActor(roleId, role.name), right: `${role.name} (custom role: ${authenticationMethodCreateAction}): Temporary Access Pass`, via: tapVia, idSuffix: `:reset:temporary-access-pass:role:${roleId}` }));
  // Every role path a user may get, password resets first: one list, built once.
  const rolePaths = passwordPaths.concat(activeTapIssuers, customTapIssuers);
  const noRolePaths: RolePath[] = [];
  // Reset-capable roles assigned at the scope of an administrative unit: paths of their own to
  // the unit's users (administrative-unit-scopes.ts), each role once per unit and mechanism.
  const unitPaths = new Map<string, RolePath[]>();
  const unreadUnits = new Set<string>();
  for (const assignment of data.roleAssignments ?? []) {
    const unit = administrativeUnitOf(assignment.directoryScopeId);
    const roleId = assignment.roleDefinition?.templateId ?? assignment.roleDefinitionId;
    if (unit === undefined || !roleId || !assignmentResets(assignment)) continue;
    if (!data.administrativeUnitMembers?.has(unit)) {
      unreadUnits.add(unit);
      continue;
    }
    const paths = unitPaths.get(unit) ?? [];
    unitPaths.set(unit, paths);
    const definition = assignment.roleDefinition;
    const custom = !(resetterRoleIds as readonly string[]).includes(roleId);
    const name = definition?.displayName ?? roleNames[roleId] ?? roleId;
    const rights = custom ? customRoleRights(definition!.rolePermissions!) : { resetsPasswords: true, issuesTemporaryAccessPass: (temporaryAccessPassIssuerRoleIds as readonly string[]).includes(roleId) };
    const actor: ResetPath["actor"] = custom ? customActor(roleId, name) : { kind: "role", id: roleId, name, admin: roleId === roleIds.privilegedAuthenticationAdministrator };
    const right = `${name}${custom ? ` (custom role: ${passwordResetAction})` : ""} (/administrativeUnits/${unit})`;
    const add = (path: RolePath) => paths.some((p) => p.idSuffix === path.idSuffix) || paths.push(path);
    if (rights.resetsPasswords) add({ roleId, custom, mechanism: "helpdesk", actor, right, via: `administrative unit ${unit}`, idSuffix: `:reset:role:${roleId}:administrativeUnit:${unit}` });
    if (rights.issuesTemporaryAccessPass && tapVia !== undefined) {
      const passRight = `${name}${custom ? ` (custom role: ${authenticationMethodCreateAction})` : ""} (/administrativeUnits/${unit}): Temporary Access Pass`;
      add({ roleId, custom, mechanism: "temporary-access-pass", actor, right: passRight, via: tapVia, idSuffix: `:reset:temporary-access-pass:role:${roleId}:administrativeUnit:${unit}` });
    }
  }
  // The units each user is a direct member of (a group in a unit does not bring its members).
  const unitsOfMember = new Map<string, string[]>();
  for (const unit of unitPaths.keys()) {
    for (const member of data.administrativeUnitMembers!.get(unit)!) {
      const units = unitsOfMember.get(member);
      if (units) units.push(unit);
      else unitsOfMember.set(member, [unit]);
    }
  }
  if (unreadUnits.size > 0) {
    notes.push(`reset-capable roles are scoped to administrative units whose members were not read (${[...unreadUnits].join(", ")}): whom they reach is unknown`);
  }
  if (tap.unreadGroups !== undefined) {
    notes.push(`the Temporary Access Pass policy targets groups whose members were not read (${tap.unreadGroups.join(", ")}): who may sign in with a pass is unknown, no pass path is modelled`);
  }

  // Registration details not yet matched by a user (users not yet matched are `awaiting`).
  const unmatchedDetails = new Map<string, GraphUserRegistrationDetails>();
  const matched: Account[] = [];
  const roleAdmins: UserRecord[] = [];
  // The SSPR scope (ssprScope below) counted as details arrive: non-admin members, and those in scope.
  let scopeMembers = 0;
  let scopeEnabled = 0;
  const ssprForAdmins = data.authorizationPolicy ? (data.authorizationPolicy.allowedToUseSSPR ?? null) : null;

  const domainPolicies = new Map<string, PasswordPolicy>();
  const passwordPolicies: PasswordPolicy[] = [];
  /**
   * Per domain, the policy of its users whose passwordPolicies hold DisableStrongPassword: the
   * tenant's strong-password rule does not apply to them. Microsoft documents only that the flag
   * "allows weaker passwords than the default policy": complexity is off, and whether the
   * 8-character minimum still holds is not said, so it is unknown (null). Made on first use.
   */
  const weakPolicies = new Map<string, PasswordPolicy>();
  const weakPolicyOf = (domainPolicy: PasswordPolicy): PasswordPolicy => {
    let policy = weakPolicies.get(domainPolicy.id);
    if (policy === undefined) {
      policy = { ...domainPolicy, id: `${domainPolicy.id}:disable-strong-password`, name: `${domainPolicy.name} (DisableStrongPassword)`, appliesTo: [], minLength: null, complexity: false };
      weakPolicies.set(domainPolicy.id, policy);
      passwordPolicies.push(policy);
    }
    return policy;
  };
  for (const domain of data.domains ?? []) {
    completeness.domains.see(domain, () => domain.id);
    const federated = domain.authenticationType?.toLowerCase() === "federated";
    // Without authenticationType (a filtered export, a gap of its own) the rules are unknown too.
    const rulesUnknown = federated || domain.authenticationType === undefined;
    const validity = domain.passwordValidityPeriodInDays;
    const policy: PasswordPolicy = {
      id: `${sourceId}:policy:domain:${domain.id.toLowerCase()}`,
      source: sourceId,
      scope: "entra-domain",
      name: domain.id,
      appliesTo: ["*"],
      // Entra's cloud password rules are fixed (8-256 characters, 3 of 4 character classes);
      // a federated domain's passwords are checked by its identity provider instead.
      minLength: rulesUnknown ? null : 8,
      complexity: rulesUnknown ? null : true,
      maxAgeDays: federated || validity === undefined || validity === null ? null : validity >= neverExpiresDays ? 0 : validity,
      federated,
    };
    domainPolicies.set(domain.id.toLowerCase(), policy);
    passwordPolicies.push(policy);
  }

  const unlistedDomains = new UnlistedDomains();

  // Kept apart by kind and joined in finish(): users, applications and service principals may
  // arrive interleaved (live calls page side by side).
  const accounts: Account[] = [];
  const credentials: Credential[] = [];
  const appAccounts: Account[] = [];
  const appCredentials: Credential[] = [];
  const spAccounts: Account[] = [];
  const spCredentials: Credential[] = [];
  const resetPaths: ResetPath[] = [];

  /**
   * The paths of the roles scoped to the units a user is a member of. A scoped role reaches only
   * users holding no directory role, but for the Privileged Authentication Administrator, which
   * reaches any (administrative-unit-scopes.ts); a role-assignable group's member only by it. A
   * path the same role already has tenant-wide is not repeated.
   */
  const scopedPaths = (id: string, units: readonly string[], roleTemplates: readonly string[], roleGroupMember: boolean, passReaches: boolean, firstRolePath: number) => {
    for (const unit of units) {
      for (const role of unitPaths.get(unit)!) {
        if (role.mechanism === "temporary-access-pass" && !passReaches) continue;
        const reaches = role.roleId === roleIds.privilegedAuthenticationAdministrator || roleTemplates.length === 0;
        if (!reaches || (roleGroupMember && (role.custom || !canResetRoleGroupMember(role.roleId)))) continue;
        let tenantWide = false;
        for (let i = firstRolePath; i < resetPaths.length && !tenantWide; i++) tenantWide = resetPaths[i].actor.id === role.roleId && resetPaths[i].mechanism === role.mechanism;
        if (tenantWide) continue;
        resetPaths.push({ id: id + role.idSuffix, source: sourceId, target: id, mechanism: role.mechanism, actor: role.actor, right: role.right, via: role.via, requiresUserCompletion: true });
      }
    }
  };

  const addUser = (user: GraphUser) => {
    userCount++;
    completeness.users.see(user, () => user.userPrincipalName ?? user.id);
    if (user.onPremisesSyncEnabled === true) syncedUsers++;
    const id = accountId(user.id);
    const holdings = rolesByPrincipal.get(user.id) ?? noHoldings;
    const isAdmin = holdings.length > 0;
    const roleTemplates = isAdmin ? holdings.map((h) => h.templateId) : noTemplates;
    const privilegedRoles = isAdmin ? holdings.filter((h) => h.privileged !== undefined) : noHoldings;
    // Split only when the flag can be there: most users carry no passwordPolicies at all.
    const policies = user.passwordPolicies ?? "";
    const neverExpiresFlag = policies.includes("DisablePasswordExpiration") && policies.split(/[\s,]+/).includes("DisablePasswordExpiration");
    const weakPasswordFlag = policies.includes("DisableStrongPassword") && policies.split(/[\s,]+/).includes("DisableStrongPassword");
    const upn = user.userPrincipalName ?? undefined;
    // An invited external user (B2B collaboration: `#EXT#` in the UPN) signs in with the password
    // of its home directory or identity provider. This tenant holds none, applies no password
    // policy to it, and no role here can reset one.
    const external = upn !== undefined && upn.includes("#EXT#");
    const domain = upn === undefined || external ? undefined : domainOf(upn);
    const domainPolicy = domain ? domainPolicies.get(domain) : undefined;
    if (domain !== undefined && domainPolicy === undefined && data.domains !== undefined) unlistedDomains.see(domain, upn ?? user.id);
    // A federated domain's passwords are checked by its identity provider, flag or not.
    const passwordPolicy = weakPasswordFlag && domainPolicy && !domainPolicy.federated ? weakPolicyOf(domainPolicy) : domainPolicy;
    const mustChange = user.passwordProfile?.forceChangePasswordNextSignIn === true || user.passwordProfile?.forceChangePasswordNextSignInWithMfa === true;
    const account: Account = {
      id,
      source: sourceId,
      nativeIds: userNativeIds(user),
      name: upn ?? user.id,
      displayName: user.displayName ?? null,
      // The Entra Connect sync account is a workload, recognisable by its role.
      kind: roleTemplates.includes(roleIds.directorySynchronizationAccounts) ? "service" : "human",
      enabled: user.accountEnabled !== false,
      privileged: privilegedRoles.length > 0,
      privilegedReasons: privilegedRoles.length === 0 ? none : privilegedRoles.map((h) => (h.scope === "/" ? h.privileged! : `${h.privileged!} (${h.scope})`)),
      owners: none,
      groups: none,
      created: isoTimestamp(user.createdDateTime),
      lastLogon: isoTimestamp(user.signInActivity?.lastSignInDateTime),
      passwordLastSet: isoTimestamp(user.lastPasswordChangeDateTime),
      passwordPolicy: (domain && passwordPolicy?.id) ?? null,
      flags: {
        passwordNeverExpires: neverExpiresFlag,
        mustChangeAtNextLogon: mustChange,
      },
      syncedFromOnPrem: user.onPremisesSyncEnabled === true,
      ssprRegistered: null,
      ssprCapable: null,
    };
    accounts.push(account);
    if (passwordPolicy !== domainPolicy) passwordPolicy!.appliesTo.push(id);

    // The cloud password, unless the user's domain is federated (its IdP holds the password) or
    // the user is external.
    if (!domainPolicy?.federated && !external) {
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
        owners: none,
        // A synchronised user's cloud password follows the on-premises one (hash sync).
        rotation: account.syncedFromOnPrem ? "sync" : "none",
        deliveryChannel: null,
      });
    }

    if (mustChange && !external) {
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
    // Admin resets in Entra hand out a temporary password the user must change at next sign-in;
    // a Temporary Access Pass, a passcode to sign in with: both wait for the user.
    // Pass paths only for the users the policy lets sign in with one.
    const roleGroupMember = roleGroupMembers.has(user.id);
    const firstRolePath = resetPaths.length;
    for (const role of external ? noRolePaths : tapReaches === undefined || tapReaches(user.id) ? rolePaths : passwordPaths) {
      if (role.custom ? !customRoleReaches(roleTemplates) : !canResetPassword(role.roleId, roleTemplates)) continue;
      if (roleGroupMember && (role.custom || !canResetRoleGroupMember(role.roleId))) continue;
      resetPaths.push({
        id: id + role.idSuffix,
        source: sourceId,
        target: id,
        mechanism: role.mechanism,
        actor: role.actor,
        right: role.right,
        via: role.via,
        requiresUserCompletion: true,
      });
    }
    const units = external || unitsOfMember.size === 0 ? undefined : unitsOfMember.get(user.id);
    if (units !== undefined) scopedPaths(id, units, roleTemplates, roleGroupMember, tapReaches === undefined || tapReaches(user.id), firstRolePath);
    const record: UserRecord = { enabled: user.accountEnabled, upn: user.userPrincipalName, account, roleAdmin: isAdmin, external, position: resetPaths.length, order: userCount, awaiting: false };
    // A repeated id: the later user replaces the earlier one here, so only it joins its details.
    users.set(user.id, record);
    if (isAdmin) roleAdmins.push(record);
    const details = unmatchedDetails.get(user.id);
    if (details) {
      unmatchedDetails.delete(user.id);
      sspr(record, details);
    } else record.awaiting = true;
  };

  // SSPR paths are kept apart with the position their user's paths ended at, and merged in at
  // finish(): the order is the same whether details came before or after their user.
  const ssprPaths: { position: number; order: number; path: ResetPath }[] = [];
  const sspr = (user: UserRecord, details: GraphUserRegistrationDetails | undefined) => {
    const { account } = user;
    if (details) matched.push(account);
    account.ssprRegistered = details ? (details.isSsprRegistered ?? null) : null;
    account.ssprCapable = details ? (details.isSsprCapable ?? null) : null;
    // Self-service reset: administrators follow the tenant's admin SSPR policy
    // (authorizationPolicy.allowedToUseSSPR); everyone else the SSPR scope, reported per user.
    const adminForSspr = user.roleAdmin || details?.isAdmin === true;
    const ssprOn = adminForSspr ? ssprForAdmins === true : details?.isSsprEnabled === true;
    if (!ssprOn || !account.enabled || user.external) return;
    ssprPaths.push({
      position: user.position,
      order: user.order,
      path: {
        id: `${account.id}:reset:sspr`,
        source: sourceId,
        target: account.id,
        mechanism: "sspr",
        actor: { kind: "self", id: account.id, name: account.name },
        right: adminForSspr ? "authorizationPolicy.allowedToUseSSPR" : "SSPR scope",
        via: null,
        requiresUserCompletion: true,
      },
    });
  };
  const addRegistrationDetails = (details: GraphUserRegistrationDetails) => {
    completeness.registrationDetails.see(details, () => details.id);
    if (details.isAdmin !== true && (details.userType ?? "member").toLowerCase() === "member") {
      scopeMembers++;
      if (details.isSsprEnabled === true) scopeEnabled++;
    }
    const user = users.get(details.id);
    if (user?.awaiting) {
      user.awaiting = false;
      sspr(user, details);
    } else {
      // Only the fields read here are kept until the user arrives.
      unmatchedDetails.set(details.id, { id: details.id, isAdmin: details.isAdmin, isSsprEnabled: details.isSsprEnabled, isSsprRegistered: details.isSsprRegistered, isSsprCapable: details.isSsprCapable });
    }
  };

  // Owners as Graph names them, completed from the users read in finish(): an application may
  // arrive before the owner's user does.
  const ownersToMatch: { owner: Owner; named: GraphDirectoryObject }[] = [];
  const ownerOf = (o: GraphDirectoryObject): Owner => {
    const owner: Owner = { ref: o.id, name: o.userPrincipalName ?? o.displayName ?? null, source: sourceId, relation: "owner", status: ownerStatus(o.accountEnabled) };
    ownersToMatch.push({ owner, named: o });
    return owner;
  };
  // Users other calls name (role holders, owners): the users export must hold them all.
  const namedUsers: GraphDirectoryObject[] = [];
  for (const assignment of data.roleAssignments ?? []) if (assignment.principal) namedUsers.push(assignment.principal);
  const matchOwners = () => {
    for (const { named } of ownersToMatch) namedUsers.push(named);
    for (const { owner, named } of ownersToMatch) {
      const user = users.get(named.id);
      if (!user) continue;
      // An account id only when that account is in the snapshot; else the raw objectId.
      owner.ref = accountId(named.id);
      owner.name ??= user.upn ?? null;
      owner.status = ownerStatus(named.accountEnabled ?? user.enabled);
    }
    ownersToMatch.length = 0;
  };

  const addWorkload = (object: GraphApplication | GraphServicePrincipal, kind: "application" | "servicePrincipal") => {
    const id = accountId(object.id);
    const [accounts, credentials] = kind === "application" ? [appAccounts, appCredentials] : [spAccounts, spCredentials];
    const owners = object.owners?.length ? object.owners.map(ownerOf) : none;
    const sp = kind === "servicePrincipal" ? (object as GraphServicePrincipal) : undefined;
    const holdings = rolesByPrincipal.get(object.id) ?? noHoldings;
    const privilegedRoles = holdings.length === 0 ? noHoldings : holdings.filter((h) => h.privileged !== undefined);
    accounts.push({
      id,
      source: sourceId,
      nativeIds: compact({ objectId: object.id, appId: object.appId ?? undefined }),
      name: object.displayName ?? object.appId ?? object.id,
      displayName: object.displayName ?? null,
      kind,
      enabled: sp ? sp.accountEnabled !== false : true,
      privileged: privilegedRoles.length > 0,
      privilegedReasons: privilegedRoles.length === 0 ? none : privilegedRoles.map((h) => h.privileged!),
      owners,
      created: isoTimestamp(object.createdDateTime),
      flags: {},
    });
    // Managed identities: Azure issues and rotates their certificates; nobody handles a secret.
    const platformManaged = sp?.servicePrincipalType === "ManagedIdentity";
    const credential = (c: GraphPasswordCredential | GraphKeyCredential, type: "clientSecret" | "certificate", index: number): Credential => {
      const expires = isoTimestamp(c.endDateTime);
      const started = isoTimestamp(c.startDateTime);
      return {
        id: `${id}:${type}:${c.keyId ?? index}`,
        account: id,
        source: sourceId,
        type,
        // Never the secret, nor Graph's `hint` (its first characters).
        name: c.displayName ?? c.keyId ?? null,
        created: started,
        lastRotated: started,
        expires,
        neverExpires: expires === null ? null : new Date(expires).getUTCFullYear() >= 9999,
        managedBy: platformManaged ? "enterprise" : owners.length > 0 ? "user" : "unknown",
        owners,
        rotation: "unknown",
        deliveryChannel: null,
      };
    };
    const { secrets, certificates } = certificateParts(object.passwordCredentials ?? [], object.keyCredentials ?? []);
    for (const [c, i] of secrets) credentials.push(credential(c, "clientSecret", i));
    for (const [c, i] of certificates) credentials.push(credential(c, "certificate", i));
  };

  let applications = 0;
  let servicePrincipals = 0;
  let firstParty = 0;
  const addApplication = (app: GraphApplication) => {
    applications++;
    completeness.applications.see(app, () => app.displayName ?? app.id);
    addWorkload(app, "application");
  };
  const addServicePrincipal = (sp: GraphServicePrincipal) => {
    completeness.servicePrincipals.see(sp, () => sp.displayName ?? sp.id);
    // Microsoft's own apps exist in every tenant without owners or tenant-held secrets;
    // listing them would report thousands of "ownerless" workloads nobody can act on.
    if (sp.appOwnerOrganizationId && microsoftTenants.has(sp.appOwnerOrganizationId)) {
      firstParty++;
      return;
    }
    servicePrincipals++;
    addWorkload(sp, "servicePrincipal");
  };

  const finish = (complete: EntraReadComplete): EntraNormalized => {
    const usersRead = complete.users;
    matchOwners();
    inheritApplicationOwners(appAccounts, spAccounts, spCredentials);
    const allAccounts = accounts.concat(appAccounts, spAccounts);
    const allCredentials = credentials.concat(appCredentials, spCredentials);
    if (complete.userRegistrationDetails) {
      for (const user of users.values()) if (user.awaiting) sspr(user, undefined);
    } else {
      // Details not read in full count for nobody, as if the call had not answered.
      ssprPaths.length = 0;
      for (const account of matched) account.ssprRegistered = account.ssprCapable = null;
      for (const user of roleAdmins) sspr(user, undefined);
    }
    unmatchedDetails.clear();
    const allResetPaths = withSsprPaths();
    const sync = data.onPremisesSynchronization?.[0];
    const features = sync?.features ?? undefined;
    const interval = sync?.configuration?.customerRequestedSynchronizationInterval ?? sync?.configuration?.synchronizationInterval;
    const defaultDomain = (data.domains ?? []).find((d) => d.isDefault);
    const settings: SourceSettings = {
      kind: "entra",
      domainName: defaultDomain?.id ?? null,
      ssprEnabled: complete.userRegistrationDetails ? ssprScope(scopeMembers, scopeEnabled) : null,
      ssprForAdmins,
      passwordWritebackEnabled: sync ? (features?.passwordWritebackEnabled ?? null) : null,
      passwordHashSyncEnabled: sync ? (features?.passwordSyncEnabled ?? null) : null,
      cloudPasswordPolicyForSyncedUsers: sync ? (features?.cloudPasswordPolicyForPasswordSyncedUsersEnabled ?? null) : null,
      userForcePasswordChangeOnLogonSynced: sync ? (features?.userForcePasswordChangeOnLogonEnabled ?? null) : null,
      onPremisesSyncEnabled: usersRead ? syncedUsers > 0 : null,
      syncIntervalMinutes: interval ? isoDurationMinutes(interval) : null,
      federatedDomains: data.domains ? data.domains.filter((d) => d.authenticationType?.toLowerCase() === "federated").map((d) => d.id) : null,
      temporaryAccessPass: tap.settings,
    };

    const counts: Record<string, number> = {
      users: userCount,
      applications,
      servicePrincipals,
      firstPartyServicePrincipalsSkipped: firstParty,
      roleAssignments: data.roleAssignments?.length ?? 0,
      domains: data.domains?.length ?? 0,
      accounts: allAccounts.length,
      credentials: allCredentials.length,
      resetPaths: allResetPaths.length,
      passwordPolicies: passwordPolicies.length,
    };
    const gaps = Object.values(completeness).flatMap((items) => items.gaps());
    const unlisted = unlistedDomains.gap();
    if (unlisted) gaps.push(unlisted);
    if (definitionsGap) gaps.push(definitionsGap);
    if (principalsGap) gaps.push(principalsGap);
    const usersGap = usersRead ? usersExportGap(userCount, namedUsers, (id) => users.has(id)) : undefined;
    return { settings, passwordPolicies, accounts: allAccounts, credentials: allCredentials, resetPaths: allResetPaths, counts, notes, gaps, ...(usersGap !== undefined ? { usersGap } : {}) };
  };

  /** The reset paths with each SSPR path right after its user's other paths. */
  const withSsprPaths = (): ResetPath[] => {
    ssprPaths.sort((a, b) => a.position - b.position || a.order - b.order);
    const merged: ResetPath[] = [];
    let next = 0;
    for (const { position, path } of ssprPaths) {
      while (next < position) merged.push(resetPaths[next++]);
      merged.push(path);
    }
    while (next < resetPaths.length) merged.push(resetPaths[next++]);
    return merged;
  };

  return { addUser, hasUser: (id: string) => users.has(id), addRegistrationDetails, addApplication, addServicePrincipal, finish };
}

/**
 * A service principal with no owners of its own, of an application registered in this tenant
 * (the same appId), is governed by that application's owners: they manage the credentials the
 * application signs in with and its settings, which is how most tenants assign ownership (an
 * enterprise application's own owner list is usually left empty). Reporting such a service
 * principal as ownerless would flag nearly every in-tenant workload. The owners are copied with
 * the relation `applicationOwner`, so the evidence says where they come from; a service
 * principal of another tenant's application (no registration here) stays ownerless. Its
 * credentials that had no owner get the same owners.
 */
function inheritApplicationOwners(applications: readonly Account[], servicePrincipals: readonly Account[], credentials: readonly Credential[]): void {
  const ownersByAppId = new Map<string, Owner[]>();
  for (const app of applications) {
    const appId = app.nativeIds.appId;
    if (appId !== undefined && app.owners.length > 0) ownersByAppId.set(appId, app.owners);
  }
  if (ownersByAppId.size === 0) return;
  const inherited = new Map<string, Owner[]>();
  for (const sp of servicePrincipals) {
    const appId = sp.nativeIds.appId;
    const owners = sp.owners.length === 0 && appId !== undefined ? ownersByAppId.get(appId) : undefined;
    if (owners === undefined) continue;
    sp.owners = owners.map((owner) => ({ ...owner, relation: "applicationOwner" }));
    inherited.set(sp.id, sp.owners);
  }
  for (const credential of credentials) {
    const owners = inherited.get(credential.account);
    if (owners === undefined || (credential.owners?.length ?? 0) > 0) continue;
    credential.owners = owners;
    if (credential.managedBy === "unknown") credential.managedBy = "user";
  }
}

/**
 * A certificate that Entra makes for an application's SAML token signing (addTokenSigningCertificate)
 * is three Graph credentials sharing one customKeyIdentifier: a key with usage Sign (the private
 * key), one with usage Verify (the public key) and a password that opens the PFX. Read as they
 * come, every SAML application held two certificates and a client secret. Here each group is one
 * certificate, represented by its Verify key (else the first), and a password that opens such a
 * certificate is no client secret. Each keeps its position in its list (the id's fallback).
 */
function certificateParts(
  passwords: readonly GraphPasswordCredential[],
  keys: readonly GraphKeyCredential[],
): { secrets: [GraphPasswordCredential, number][]; certificates: [GraphKeyCredential, number][] } {
  const byIdentifier = new Map<string, [GraphKeyCredential, number]>();
  const certificates: [GraphKeyCredential, number][] = [];
  keys.forEach((key, index) => {
    const identifier = key.customKeyIdentifier;
    if (!given(identifier)) {
      certificates.push([key, index]);
      return;
    }
    const kept = byIdentifier.get(identifier);
    if (!kept) {
      const entry: [GraphKeyCredential, number] = [key, index];
      byIdentifier.set(identifier, entry);
      certificates.push(entry);
    } else if (key.usage === "Verify" && kept[0].usage !== "Verify") {
      kept[0] = key;
      kept[1] = index;
    }
  });
  const secrets: [GraphPasswordCredential, number][] = [];
  passwords.forEach((password, index) => {
    if (!given(password.customKeyIdentifier) || !byIdentifier.has(password.customKeyIdentifier)) secrets.push([password, index]);
  });
  return { secrets, certificates };
}

function ownerStatus(enabled: boolean | null | undefined): Owner["status"] {
  return enabled === true ? "enabled" : enabled === false ? "disabled" : "unknown";
}

/**
 * Graph v1.0 has no property for the SSPR scope (None / Selected / All). userRegistrationDetails
 * reports it per user (isSsprEnabled), so the scope is read back from the non-admin members:
 * all in scope -> "all", none -> "none", some -> "selected".
 */
function ssprScope(members: number, enabled: number): SourceSettings["ssprEnabled"] {
  if (members === 0) return null;
  return enabled === 0 ? "none" : enabled === members ? "all" : "selected";
}

/** ISO 8601 duration (`PT30M`, `P1DT2H`) -> minutes; null when not a duration. */
function addDays(iso: string, days: number): string {
  return new Date(Date.parse(iso) + days * 86_400_000).toISOString();
}

/** The part of a user principal name after the first @ (as split("@")[1] gives it), lower case. */
function domainOf(upn: string): string | undefined {
  const at = upn.indexOf("@");
  if (at < 0) return undefined;
  const end = upn.indexOf("@", at + 1);
  return upn.slice(at + 1, end < 0 ? undefined : end).toLowerCase();
}

const given = (value: string | null | undefined): value is string => value !== undefined && value !== null && value !== "";

/** A user's identifiers, in this order, leaving out absent and empty ones. */
function userNativeIds(user: GraphUser): Record<string, string> {
  // The two common forms (a cloud user; a user synchronised from AD) as one literal each: one
  // object with its fields inside, where adding keys one by one gave an object and an overflow
  // array with slower property stores.
  const { id, userPrincipalName: upn, mail } = user;
  if (given(id) && given(upn) && given(mail)) {
    const immutableId = user.onPremisesImmutableId;
    const sam = user.onPremisesSamAccountName;
    const sid = user.onPremisesSecurityIdentifier;
    if (!given(immutableId) && !given(sam) && !given(sid)) return { objectId: id, userPrincipalName: upn, mail };
    if (given(immutableId) && given(sam) && given(sid)) {
      return { objectId: id, userPrincipalName: upn, mail, onPremisesImmutableId: immutableId, onPremisesSamAccountName: sam, onPremisesSecurityIdentifier: sid };
    }
  }
  const ids: Record<string, string> = {};
  put(ids, "objectId", user.id);
  put(ids, "userPrincipalName", user.userPrincipalName);
  put(ids, "mail", user.mail);
  put(ids, "onPremisesImmutableId", user.onPremisesImmutableId);
  put(ids, "onPremisesSamAccountName", user.onPremisesSamAccountName);
  put(ids, "onPremisesSecurityIdentifier", user.onPremisesSecurityIdentifier);
  return ids;
}

function put(ids: Record<string, string>, key: string, value: string | null | undefined): void {
  if (given(value)) ids[key] = value;
}

function compact<T extends Record<string, unknown>>(ids: T): T {
  for (const key of Object.keys(ids)) if (ids[key] === undefined || ids[key] === "") delete ids[key];
  return ids;
}
