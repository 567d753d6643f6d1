// Generated from src/snapshot/schema.json by `npm run gen:types`. Do not edit by hand.

/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "SourceKind".
 */
export type SourceKind = "ad" | "ldap" | "entra" | "github" | "file";
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "AccountKind".
 */
export type AccountKind = "human" | "service" | "computer" | "application" | "servicePrincipal" | "bot";
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "Timestamp".
 */
export type Timestamp = string | null;
/**
 * actionsSecret: a GitHub Actions secret of an organization, repository or repository environment; dependabotSecret, codespacesSecret: the secrets of those GitHub stores.
 *
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "CredentialType".
 */
export type CredentialType =
  | "password"
  | "clientSecret"
  | "certificate"
  | "sshKey"
  | "token"
  | "actionsSecret"
  | "dependabotSecret"
  | "codespacesSecret"
  | "deployKey";

/**
 * One credgov snapshot: every fact collected from every source of a hybrid identity estate, normalized into one vocabulary so that policies never care which directory a fact came from. Timestamps are ISO 8601 UTC strings; null means unknown (the source's errors say why) unless a field says otherwise.
 */
export interface Snapshot {
  schemaVersion: 1;
  generatedAt: string;
  generator: {
    name: string;
    version: string;
    /**
     * Path of the config file the collection ran from.
     */
    config?: string;
    configSha256?: string;
  };
  sources: Source[];
  passwordPolicies: PasswordPolicy[];
  accounts: Account[];
  credentials: Credential[];
  resetPaths: ResetPath[];
  identities: Identity[];
  correlation?: CorrelationReport;
  /**
   * Per-source settings that policies read, keyed by source id.
   */
  settings: {
    [k: string]: SourceSettings;
  };
}
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "Source".
 */
export interface Source {
  /**
   * Source id from the config (e.g. corp-ad).
   */
  id: string;
  kind: SourceKind;
  transport: "live" | "file";
  /**
   * Server URL, or the export file/folder the facts were read from.
   */
  endpoint: string;
  collectedAt: string;
  status: "ok" | "partial" | "error";
  errors: SourceError[];
  /**
   * How many objects of each kind the source yielded (accounts, groups, policies, ...).
   */
  counts: {
    [k: string]: number;
  };
  queries: Query[];
  /**
   * Base DN, tenant id or organisation login.
   */
  namingContext?: string | null;
}
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "SourceError".
 */
export interface SourceError {
  /**
   * Which collection step failed (e.g. 'users', 'authorizationPolicy', 'bind').
   */
  step: string;
  /**
   * The exact query or API call that failed or was missing.
   */
  call?: string;
  message: string;
  code?: string;
  /**
   * Snapshot areas left unknown by this error (e.g. 'settings.passwordWritebackEnabled', 'accounts').
   */
  affects?: string[];
}
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "Query".
 */
export interface Query {
  step: string;
  /**
   * LDAP 'base?scope?filter?attrs', HTTP 'GET /v1.0/users?$select=...', or the file read.
   */
  call: string;
  resultCount: number;
  pages?: number;
  status?: "ok" | "partial" | "error" | "missing";
  durationMs?: number;
}
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "PasswordPolicy".
 */
export interface PasswordPolicy {
  /**
   * Unique in the snapshot: '<source>:policy:<native id>'.
   */
  id: string;
  source: string;
  scope: "domain" | "pso" | "entra-domain" | "entra-tenant" | "ppolicy" | "org";
  name: string;
  dn?: string | null;
  /**
   * Account ids, group DNs/ids, or '*' for the whole scope.
   */
  appliesTo: string[];
  minLength?: number | null;
  historyLength?: number | null;
  /**
   * 0 means passwords never expire.
   */
  maxAgeDays?: number | null;
  minAgeDays?: number | null;
  lockoutThreshold?: number | null;
  lockoutDurationMinutes?: number | null;
  complexity?: boolean | null;
  reversibleEncryption?: boolean | null;
  precedence?: number | null;
  /**
   * ppolicy pwdMustChange: an admin reset leaves a temporary password.
   */
  mustChangeAfterReset?: boolean | null;
  allowUserChange?: boolean | null;
  /**
   * Entra domain whose passwords are checked by an external IdP.
   */
  federated?: boolean | null;
}
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "Account".
 */
export interface Account {
  /**
   * Unique in the snapshot: '<source>:<stable native id>'.
   */
  id: string;
  source: string;
  nativeIds: {
    dn?: string;
    objectGuid?: string;
    objectSid?: string;
    objectId?: string;
    appId?: string;
    login?: string;
    samAccountName?: string;
    userPrincipalName?: string;
    mail?: string;
    uid?: string;
    onPremisesImmutableId?: string;
    onPremisesSamAccountName?: string;
    onPremisesSecurityIdentifier?: string;
    samlNameId?: string;
    githubId?: number;
  };
  name: string;
  displayName?: string | null;
  kind: AccountKind;
  /**
   * The account can sign in as far as the source says: not disabled and, where the source has an account expiry, not expired at collection time.
   */
  enabled: boolean;
  /**
   * When the account stops being able to sign in (AD accountExpires, where 0 and 0x7FFFFFFFFFFFFFFF are never; LDAP ppolicy pwdEndTime); past it at collection time, enabled is false. null: the source has account expiry and it was not read, so it is unknown. Absent: the source has no account expiry.
   */
  expiry?: {
    kind: "never" | "time";
    time?: Timestamp;
  } | null;
  privileged: boolean;
  /**
   * Why: group or role names, adminCount, org owner.
   */
  privilegedReasons?: string[];
  owners: Owner[];
  groups?: string[];
  created?: Timestamp;
  lastLogon?: Timestamp;
  passwordLastSet?: Timestamp;
  /**
   * Id of the effective password policy.
   */
  passwordPolicy?: string | null;
  flags: AccountFlags;
  userAccountControl?: number | null;
  spns?: string[];
  gmsa?: boolean;
  laps?: {
    kind: "legacy" | "windows" | "none";
    expires?: Timestamp;
  } | null;
  syncedFromOnPrem?: boolean | null;
  ssprRegistered?: boolean | null;
  ssprCapable?: boolean | null;
}
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "Owner".
 */
export interface Owner {
  /**
   * Account id of the owner when resolved, else the raw reference (DN, objectId, login).
   */
  ref: string;
  name?: string | null;
  source: string;
  /**
   * applicationOwner: an owner of the application registration (same appId, same tenant) of a service principal that has no owners of its own.
   */
  relation: "managedBy" | "manager" | "owner" | "sponsor" | "admin" | "applicationOwner";
  /**
   * deleted: the reference points at nothing in the source.
   */
  status: "enabled" | "disabled" | "deleted" | "unknown";
}
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "AccountFlags".
 */
export interface AccountFlags {
  passwordNotRequired?: boolean;
  passwordNeverExpires?: boolean;
  reversibleEncryption?: boolean;
  /**
   * AD pwdLastSet=0, Entra forceChangePasswordNextSignIn, LDAP pwdReset.
   */
  mustChangeAtNextLogon?: boolean;
  desOnly?: boolean;
  noPreauth?: boolean;
  smartcardRequired?: boolean;
  trustedForDelegation?: boolean;
  lockedOut?: boolean;
  cannotChangePassword?: boolean;
}
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "Credential".
 */
export interface Credential {
  id: string;
  /**
   * Account id (or repository/org id for GitHub secrets and deploy keys) that holds the credential.
   */
  account: string;
  source: string;
  type: CredentialType;
  /**
   * Display name, key id or secret name; never the secret.
   */
  name?: string | null;
  created?: Timestamp;
  lastRotated?: Timestamp;
  /**
   * null: never expires or unknown (see neverExpires).
   */
  expires?: string | null;
  neverExpires?: boolean | null;
  managedBy: "enterprise" | "user" | "unknown";
  owners?: Owner[];
  rotation: "gmsa" | "laps" | "vault" | "credgov" | "sync" | "none" | "unknown";
  deliveryChannel?: string | null;
  /**
   * Deploy keys: read_only false.
   */
  writeAccess?: boolean | null;
  /**
   * GitHub secret: organization secret visibility, or the repository (and environment) holding it.
   */
  scope?: string | null;
  /**
   * Last use the source recorded (GitHub credential_accessed_at, deploy key last_used).
   */
  lastUsed?: string | null;
}
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "ResetPath".
 */
export interface ResetPath {
  id: string;
  /**
   * Directory in which the reset happens.
   */
  source: string;
  /**
   * Account id (or credential id) that can be reset.
   */
  target: string;
  mechanism:
    | "sspr"
    | "helpdesk"
    | "delegated-acl"
    | "admin-role"
    | "temporary-password"
    | "temporary-access-pass"
    | "force-change-at-logon"
    | "recovery-link"
    | "central-rotation";
  actor: {
    kind: "self" | "user" | "group" | "role" | "service" | "unknown";
    /**
     * Account id, group DN, SID, role template id.
     */
    id: string;
    name?: string | null;
    /**
     * Actor is a domain/tenant administrator (built-in admin groups and roles).
     */
    admin?: boolean | null;
  };
  /**
   * User-Force-Change-Password, AllExtendedRights, GenericAll, WriteDACL, WriteOwner, role name.
   */
  right?: string | null;
  inherited?: boolean | null;
  /**
   * Object whose ACL or scope grants the path (OU DN, administrative unit, role scope).
   */
  via?: string | null;
  /**
   * True when a human must finish the reset (temporary password, change at next logon, self-service).
   */
  requiresUserCompletion: boolean;
}
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "Identity".
 */
export interface Identity {
  id: string;
  name?: string | null;
  kind: "person" | "workload";
  accounts: string[];
  links: IdentityLink[];
}
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "IdentityLink".
 */
export interface IdentityLink {
  from: string;
  to: string;
  method: "objectGuid-immutableId" | "upn" | "mail" | "samAccountName" | "saml-nameId" | "config";
  value: string;
}
/**
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "CorrelationReport".
 */
export interface CorrelationReport {
  /**
   * Links that could not be made because a key matched several accounts; never guessed.
   */
  ambiguous: {
    account: string;
    method: string;
    value: string;
    candidates: string[];
  }[];
}
/**
 * Settings of one source. A null value means the call that yields it failed or its export was missing (see the source's errors).
 *
 * This interface was referenced by `Snapshot`'s JSON-Schema
 * via the `definition` "SourceSettings".
 */
export interface SourceSettings {
  kind?: SourceKind;
  domainName?: string | null;
  functionalLevel?: number | null;
  krbtgtPasswordLastSet?: Timestamp;
  lapsSchema?: "legacy" | "windows" | "both" | "none" | null;
  /**
   * Entra SSPR scope for users.
   */
  ssprEnabled?: "none" | "selected" | "all" | null;
  /**
   * authorizationPolicy.allowedToUseSSPR: administrators may reset their own password.
   */
  ssprForAdmins?: boolean | null;
  passwordWritebackEnabled?: boolean | null;
  passwordHashSyncEnabled?: boolean | null;
  cloudPasswordPolicyForSyncedUsers?: boolean | null;
  /**
   * Entra Connect features.userForcePasswordChangeOnLogonEnabled: an on-premises change-at-next-logon also forces the change in the cloud.
   */
  userForcePasswordChangeOnLogonSynced?: boolean | null;
  onPremisesSyncEnabled?: boolean | null;
  syncIntervalMinutes?: number | null;
  federatedDomains?: string[] | null;
  /**
   * GitHub org two_factor_requirement_enabled.
   */
  twoFactorRequired?: boolean | null;
  samlEnabled?: boolean | null;
  /**
   * Source ids this source writes passwords back to.
   */
  writebackLinks?: string[] | null;
  /**
   * Entra Temporary Access Pass method configuration (authentication methods policy): who may sign in with a pass an administrator issues.
   */
  temporaryAccessPass?: {
    state: "enabled" | "disabled" | null;
    /**
     * Group ids the method is enabled for; all_users for everyone.
     */
    includeTargets: string[];
    /**
     * Group ids excluded from the method.
     */
    excludeTargets: string[];
    isUsableOnce: boolean | null;
    defaultLifetimeInMinutes: number | null;
    minimumLifetimeInMinutes: number | null;
    maximumLifetimeInMinutes: number | null;
  } | null;
}
