// Entra built-in roles credgov reasons about, by role template id (stable across tenants).
// Sources: Microsoft Entra built-in roles reference (template ids, "privileged" label),
// "Privileged roles and permissions > Who can reset passwords" (the reset matrix below) and
// "Configure Temporary Access Pass" (who may issue a pass; docs/exports.md gives the addresses).

export const roleIds = {
  globalAdministrator: "62e90394-69f5-4237-9190-012177145e10",
  privilegedAuthenticationAdministrator: "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
  privilegedRoleAdministrator: "e8611ab8-c189-46e8-94e1-60213ab1f814",
  userAdministrator: "fe930be7-5e62-47db-91af-98c3a49a38b1",
  helpdeskAdministrator: "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  passwordAdministrator: "966707d0-3269-4727-9be2-8c3a10f19b9d",
  authenticationAdministrator: "c4e39bd9-1100-46d3-8c65-fb160da0071f",
  directoryReaders: "88d8e3e3-8f55-4a1e-953a-9b9898b8876b",
  guestInviter: "95e79109-95c0-4d8e-aee3-d01accf2d47b",
  groupsAdministrator: "fdd7a751-b60b-444a-984c-02652fe8fa1c",
  messageCenterReader: "790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b",
  reportsReader: "4a5d8f65-41da-4de4-8968-e035b65339cf",
  userExperienceSuccessManager: "27460883-1df1-4691-b032-3b79643e5e63",
  usageSummaryReportsReader: "75934031-6c7e-415a-99d7-48dbd49e875e",
  directorySynchronizationAccounts: "d29b2b05-8046-44ba-8758-1e26182fcf32",
} as const;

const r = roleIds;

export const roleNames: Record<string, string> = {
  [r.globalAdministrator]: "Global Administrator",
  [r.privilegedAuthenticationAdministrator]: "Privileged Authentication Administrator",
  [r.privilegedRoleAdministrator]: "Privileged Role Administrator",
  [r.userAdministrator]: "User Administrator",
  [r.helpdeskAdministrator]: "Helpdesk Administrator",
  [r.passwordAdministrator]: "Password Administrator",
  [r.authenticationAdministrator]: "Authentication Administrator",
  [r.directoryReaders]: "Directory Readers",
  [r.guestInviter]: "Guest Inviter",
  [r.groupsAdministrator]: "Groups Administrator",
  [r.messageCenterReader]: "Message Center Reader",
  [r.reportsReader]: "Reports Reader",
  [r.userExperienceSuccessManager]: "User Experience Success Manager",
  [r.usageSummaryReportsReader]: "Usage Summary Reports Reader",
  [r.directorySynchronizationAccounts]: "Directory Synchronization Accounts",
};

/** Roles Microsoft labels "privileged" in the built-in roles reference. */
export const privilegedRoleIds: ReadonlySet<string> = new Set([
  r.globalAdministrator,
  r.privilegedAuthenticationAdministrator,
  r.privilegedRoleAdministrator,
  r.userAdministrator,
  r.helpdeskAdministrator,
  r.passwordAdministrator,
  r.authenticationAdministrator,
  "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", // Application Administrator
  "cf1c38e5-3621-4004-a7cb-879624dced7c", // Application Developer
  "ecb2c6bf-0ab6-418e-bd87-7986f8d63bbe", // Attribute Provisioning Administrator
  "422218e4-db15-4ef9-bbe0-8afb41546d79", // Attribute Provisioning Reader
  "25a516ed-2fa0-40ea-a2d0-12923a21473a", // Authentication Extensibility Administrator
  "aaf43236-0c0d-4d5f-883a-6955382ac081", // B2C IEF Keyset Administrator
  "158c047a-c907-4556-b7ef-446551a6b5f7", // Cloud Application Administrator
  "7698a772-787b-4ac8-901f-60d6b08affd2", // Cloud Device Administrator
  "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", // Conditional Access Administrator
  "9360feb5-f418-4baa-8175-e2a00bac4301", // Directory Writers
  "8329153b-31d0-4727-b945-745eb3bc5f31", // Domain Name Administrator
  "be2f45a1-457d-42af-a067-6ec1fa63bc45", // External Identity Provider Administrator
  "f2ef992c-3afb-46b9-b7cf-a126ee74c451", // Global Reader
  "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2", // Hybrid Identity Administrator
  "3a2c62db-5318-420d-8d74-23affee5d9d5", // Intune Administrator
  "59d46f88-662b-457b-bceb-5c3809e5908f", // Lifecycle Workflows Administrator
  "4ba39ca4-527c-499a-b93d-d9b492c50246", // Partner Tier1 Support
  "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8", // Partner Tier2 Support
  "194ae4cb-b126-40b2-bd5b-6091b380977d", // Security Administrator
  "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f", // Security Operator
  "5d6b6bb7-de71-4623-b4af-96380a352509", // Security Reader
]);

/** The roles that can reset passwords (columns of Microsoft's "Who can reset passwords" table). */
export const resetterRoleIds = [
  r.passwordAdministrator,
  r.helpdeskAdministrator,
  r.authenticationAdministrator,
  r.userAdministrator,
  r.privilegedAuthenticationAdministrator,
  r.globalAdministrator,
] as const;

/**
 * The roles that can create a Temporary Access Pass for another user: Authentication Administrators
 * (for members), Privileged Authentication Administrators (admins and members) and Global
 * Administrators (any user; named by the 2023 revision of the page, dropped from the list since,
 * and still holding every directory permission, so kept: the conservative reading). Whom each
 * reaches is the password table below: the Authentication Administrator reference sends to it for
 * the roles whose authentication methods that role may update.
 */
export const temporaryAccessPassIssuerRoleIds = [r.authenticationAdministrator, r.privilegedAuthenticationAdministrator, r.globalAdministrator] as const;

const everyResetter = new Set<string>(resetterRoleIds);
const topTwo = new Set<string>([r.privilegedAuthenticationAdministrator, r.globalAdministrator]);
const helpdeskTier = new Set<string>([r.helpdeskAdministrator, r.authenticationAdministrator, r.userAdministrator, ...topTwo]);

/**
 * Rows of the table: for a target holding the role, which resetter roles may reset its password.
 * A role not listed ("all other built-in and custom roles") is resettable only by the top two.
 */
const resettableBy: Record<string, ReadonlySet<string>> = {
  [r.authenticationAdministrator]: new Set([r.authenticationAdministrator, ...topTwo]),
  [r.directoryReaders]: everyResetter,
  [r.globalAdministrator]: topTwo,
  [r.groupsAdministrator]: new Set([r.userAdministrator, ...topTwo]),
  [r.guestInviter]: everyResetter,
  [r.helpdeskAdministrator]: new Set([r.helpdeskAdministrator, r.userAdministrator, ...topTwo]),
  [r.messageCenterReader]: helpdeskTier,
  [r.passwordAdministrator]: everyResetter,
  [r.privilegedAuthenticationAdministrator]: topTwo,
  [r.privilegedRoleAdministrator]: topTwo,
  [r.reportsReader]: helpdeskTier,
  [r.userAdministrator]: new Set([r.userAdministrator, ...topTwo]),
  [r.userExperienceSuccessManager]: helpdeskTier,
  [r.usageSummaryReportsReader]: helpdeskTier,
};

/** Whether a holder of `resetter` may reset the password of a user holding every role in `targetRoles`. */
export function canResetPassword(resetter: string, targetRoles: Iterable<string>): boolean {
  for (const role of targetRoles) {
    if (!(resettableBy[role] ?? topTwo).has(resetter)) return false;
  }
  return everyResetter.has(resetter);
}

/**
 * Role permissions (Microsoft Entra "role permissions" reference) that make a custom role a way
 * to reset a password or to issue a Temporary Access Pass (the Authentication Administrator's
 * own permission to add a user's authentication methods).
 */
export const passwordResetAction = "microsoft.directory/users/password/update";
export const authenticationMethodCreateAction = "microsoft.directory/users/authenticationMethods/create";

/** What a custom role's unconditional permissions let its holders do to other users' sign-in. */
export interface CustomRoleRights {
  resetsPasswords: boolean;
  issuesTemporaryAccessPass: boolean;
}

/**
 * A permission under a condition (`$ResourceIsSelf` and the like) applies to some users only,
 * which the definition does not say; it is left out rather than read as applying to everyone.
 */
export function customRoleRights(permissions: readonly { allowedResourceActions?: readonly string[] | null; condition?: string | null }[]): CustomRoleRights {
  const actions = new Set(permissions.filter((p) => !p.condition).flatMap((p) => p.allowedResourceActions ?? []).map((a) => a.toLowerCase()));
  return { resetsPasswords: actions.has(passwordResetAction.toLowerCase()), issuesTemporaryAccessPass: actions.has(authenticationMethodCreateAction.toLowerCase()) };
}

/**
 * Whether a holder of a custom role that may reset passwords (or add authentication methods)
 * reaches a user holding `targetRoles`. Microsoft's "Who can reset passwords" table names only
 * built-in roles as resetters, and a user holding any role listed there or "all other built-in
 * and custom roles" is reset by the roles of its row alone: a custom role reaches users holding
 * no directory role.
 */
export function customRoleReaches(targetRoles: readonly string[]): boolean {
  return targetRoles.length === 0;
}

/**
 * Built-in roles credgov knows by template id: the privileged ones and those of the reset table.
 * Another id is either a built-in role Microsoft does not label privileged or a custom role,
 * which only its definition (isBuiltIn, rolePermissions) tells apart.
 */
export function isKnownBuiltInRole(templateId: string): boolean {
  return privilegedRoleIds.has(templateId) || Object.hasOwn(roleNames, templateId);
}

/**
 * Whether a holder of `resetter` may reset the password of (or issue a pass to) a member of a
 * role-assignable group: "you must be assigned at least the Privileged Authentication
 * Administrator role to change the credentials, reset MFA, or modify sensitive attributes for
 * members and owners of a role-assignable group" (Use Microsoft Entra groups to manage role
 * assignments), whatever roles the group holds.
 */
export function canResetRoleGroupMember(resetter: string): boolean {
  return topTwo.has(resetter);
}
