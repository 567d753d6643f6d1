// GitHub normalizer: parsed REST/GraphQL responses (export files or a live transport) ->
// member and bot accounts, user-held credentials (PATs, SSH keys), the secrets of every store
// (Actions: organization, repository, environment; Dependabot; Codespaces), deploy keys.
import type { Account, Credential, Owner, ResetPath, SourceSettings } from "../../snapshot/types.ts";
import { holderId } from "../../snapshot/credential-holder.ts";
import { isoTimestamp } from "../timestamp.ts";
import type { GithubCredentialAuthorization, GithubData, GithubSecret, GithubUser } from "./rest-types.ts";
import type { NormalizedFacts } from "../normalized-facts.ts";

export function normalizeGithub(sourceId: string, data: GithubData): NormalizedFacts {
  const orgLogin = data.org?.login ?? null;
  const accounts: Account[] = [];
  const credentials: Credential[] = [];
  const resetPaths: ResetPath[] = [];
  const accountByLogin = new Map<string, Account>();
  const adminLogins = new Set((data.admins ?? []).map((u) => u.login.toLowerCase()));
  const nameIdByLogin = new Map<string, string>();
  for (const identity of data.samlIdentities ?? []) {
    const login = identity.user?.login;
    const nameId = identity.samlIdentity?.nameId;
    if (login && nameId) nameIdByLogin.set(login.toLowerCase(), nameId);
  }

  // Owners appear in the admin list; list them even if a members export missed them.
  const people = new Map<string, GithubUser>();
  for (const u of [...(data.members ?? []), ...(data.admins ?? [])]) {
    if (!people.has(u.login.toLowerCase())) people.set(u.login.toLowerCase(), u);
  }
  let bots = 0;
  for (const [key, user] of people) {
    const bot = user.type === "Bot";
    if (bot) bots++;
    const admin = adminLogins.has(key);
    const account: Account = {
      id: userAccountId(sourceId, user.login),
      source: sourceId,
      nativeIds: {
        login: user.login,
        ...(user.id !== undefined ? { githubId: user.id } : {}),
        ...(nameIdByLogin.has(key) ? { samlNameId: nameIdByLogin.get(key) } : {}),
      },
      name: user.login,
      displayName: null,
      kind: bot ? "bot" : "human",
      enabled: true,
      privileged: admin,
      privilegedReasons: admin ? ["organization owner"] : [],
      owners: [],
      flags: {},
    };
    accounts.push(account);
    accountByLogin.set(key, account);
    if (!bot) {
      // A personal GitHub account's password is the person's: reset only by e-mail recovery.
      resetPaths.push({
        id: `${account.id}:reset:recovery-link`,
        source: sourceId,
        target: account.id,
        mechanism: "recovery-link",
        actor: { kind: "self", id: account.id, name: user.login },
        right: "GitHub account password reset e-mail",
        via: null,
        requiresUserCompletion: true,
      });
    }
  }

  const memberLogins = new Set(accountByLogin.keys());
  const ownerFor = (login: string | null | undefined): Owner[] => {
    if (!login) return [];
    const account = memberLogins.has(login.toLowerCase()) ? accountByLogin.get(login.toLowerCase()) : undefined;
    return [
      {
        ref: account?.id ?? login,
        name: login,
        source: sourceId,
        relation: "owner",
        // Members lists are complete, so a login missing from them has left the organization.
        status: account ? "enabled" : data.members ? "deleted" : "unknown",
      },
    ];
  };

  // A credential authorization may name someone who is no longer a member (or a members export
  // that is short: member-coverage.ts). The holder is kept as a disabled account, so the
  // credential never points at nothing; owner status still says the person is not a member.
  const holderOf = (login: string): string => {
    const known = accountByLogin.get(login.toLowerCase());
    if (known) return known.id;
    const account: Account = {
      id: userAccountId(sourceId, login),
      source: sourceId,
      nativeIds: { login },
      name: login,
      displayName: null,
      kind: "human",
      enabled: false,
      privileged: false,
      privilegedReasons: [],
      owners: [],
      flags: {},
    };
    accounts.push(account);
    accountByLogin.set(login.toLowerCase(), account);
    return account.id;
  };

  for (const auth of data.credentialAuthorizations ?? []) {
    const type = credentialType(auth);
    const expires = isoTimestamp(auth.authorized_credential_expires_at);
    credentials.push({
      id: `${sourceId}:credential-authorization:${auth.credential_id}`,
      account: holderOf(auth.login),
      source: sourceId,
      type,
      // Note, title or SSH fingerprint; never token_last_eight (part of the token).
      name: auth.authorized_credential_note ?? auth.authorized_credential_title ?? auth.fingerprint ?? auth.credential_type ?? null,
      created: isoTimestamp(auth.credential_authorized_at),
      lastRotated: isoTimestamp(auth.credential_authorized_at),
      lastUsed: isoTimestamp(auth.credential_accessed_at),
      expires,
      neverExpires: expires === null,
      managedBy: "user",
      owners: ownerFor(auth.login),
      rotation: "none",
      deliveryChannel: null,
      scope: auth.scopes && auth.scopes.length > 0 ? auth.scopes.join(" ") : null,
    });
  }

  const orgHolder = holderId(sourceId, "org", orgLogin ?? sourceId);
  for (const store of ["actions", "dependabot", "codespaces"] as const) {
    for (const secret of data[orgSecretsOf[store]] ?? []) credentials.push(storedSecret(sourceId, orgHolder, store, secret, secret.visibility ?? "org"));
  }
  let repoSecrets = 0;
  let repoDependabotSecrets = 0;
  let repoCodespacesSecrets = 0;
  let environments = 0;
  let environmentSecrets = 0;
  let deployKeys = 0;
  for (const repo of data.repos ?? []) {
    const holder = holderId(sourceId, "repo", repo.name);
    for (const secret of repo.actionsSecrets ?? []) {
      repoSecrets++;
      credentials.push(storedSecret(sourceId, holder, "actions", secret, `repository ${repo.name}`));
    }
    for (const environment of repo.environments ?? []) {
      environments++;
      for (const secret of environment.secrets ?? []) {
        environmentSecrets++;
        credentials.push(storedSecret(sourceId, holder, "actions", secret, `repository ${repo.name} environment ${environment.name}`, environment.name));
      }
    }
    for (const secret of repo.dependabotSecrets ?? []) {
      repoDependabotSecrets++;
      credentials.push(storedSecret(sourceId, holder, "dependabot", secret, `repository ${repo.name}`));
    }
    for (const secret of repo.codespacesSecrets ?? []) {
      repoCodespacesSecrets++;
      credentials.push(storedSecret(sourceId, holder, "codespaces", secret, `repository ${repo.name}`));
    }
    for (const key of repo.deployKeys ?? []) {
      deployKeys++;
      const owners = ownerFor(key.added_by);
      credentials.push({
        id: `${holder}:deploy-key:${key.id}`,
        account: holder,
        source: sourceId,
        type: "deployKey",
        name: key.title ?? String(key.id),
        created: isoTimestamp(key.created_at),
        lastRotated: isoTimestamp(key.created_at),
        lastUsed: isoTimestamp(key.last_used),
        expires: null,
        neverExpires: true,
        managedBy: owners.length > 0 ? "user" : "unknown",
        owners,
        rotation: "none",
        deliveryChannel: null,
        writeAccess: key.read_only === undefined ? null : !key.read_only,
        scope: `repository ${repo.name}${key.enabled === false ? " (disabled)" : ""}`,
      });
    }
  }

  const settings: SourceSettings = {
    kind: "github",
    domainName: null,
    twoFactorRequired: data.org ? (data.org.two_factor_requirement_enabled ?? null) : null,
    samlEnabled: data.samlIdentities === undefined ? null : data.samlIdentities !== null,
  };
  const counts: Record<string, number> = {
    members: people.size - bots,
    bots,
    admins: adminLogins.size,
    samlIdentities: data.samlIdentities?.length ?? 0,
    credentialAuthorizations: data.credentialAuthorizations?.length ?? 0,
    orgActionsSecrets: data.actionsSecrets?.length ?? 0,
    orgDependabotSecrets: data.dependabotSecrets?.length ?? 0,
    orgCodespacesSecrets: data.codespacesSecrets?.length ?? 0,
    repos: data.repos?.length ?? 0,
    repoActionsSecrets: repoSecrets,
    environments,
    environmentSecrets,
    repoDependabotSecrets,
    repoCodespacesSecrets,
    deployKeys,
    accounts: accounts.length,
    credentials: credentials.length,
    resetPaths: resetPaths.length,
  };
  // GitHub has no password policy an organisation controls.
  return { settings, passwordPolicies: [], accounts, credentials, resetPaths, counts };
}

/** Account ids use the login (what every GitHub API and export names a person by). */
export function userAccountId(sourceId: string, login: string): string {
  return `${sourceId}:${login.toLowerCase()}`;
}

function credentialType(auth: GithubCredentialAuthorization): Credential["type"] {
  return /ssh/i.test(auth.credential_type ?? "") ? "sshKey" : "token";
}

/** GitHub's secret stores: the credential type, id segment and delivery channel of each. */
const secretStores = {
  actions: { type: "actionsSecret", idPart: "actions-secret", deliveryChannel: "github-actions" },
  dependabot: { type: "dependabotSecret", idPart: "dependabot-secret", deliveryChannel: "github-dependabot" },
  codespaces: { type: "codespacesSecret", idPart: "codespaces-secret", deliveryChannel: "github-codespaces" },
} as const satisfies Record<string, { type: Credential["type"]; idPart: string; deliveryChannel: string }>;

type SecretStore = keyof typeof secretStores;

const orgSecretsOf = { actions: "actionsSecrets", dependabot: "dependabotSecrets", codespaces: "codespacesSecrets" } as const satisfies Record<SecretStore, keyof GithubData>;

/**
 * One secret of a store. An environment's Actions secret is held by its repository; its id
 * names the environment (`<repo holder>:environment:<name>:actions-secret:<secret>`), since a
 * repository and each of its environments may hold secrets of one name.
 */
function storedSecret(sourceId: string, holder: string, store: SecretStore, secret: GithubSecret, scope: string, environment?: string): Credential {
  const { type, idPart, deliveryChannel } = secretStores[store];
  return {
    id: `${holder}${environment === undefined ? "" : `:environment:${environment}`}:${idPart}:${secret.name}`,
    account: holder,
    source: sourceId,
    type,
    // An environment's secret is told from its repository's secret of the same name.
    name: environment === undefined ? secret.name : `${environment}/${secret.name}`,
    created: isoTimestamp(secret.created_at),
    // GitHub updates updated_at whenever the value is replaced: the last rotation.
    lastRotated: isoTimestamp(secret.updated_at) ?? isoTimestamp(secret.created_at),
    expires: null,
    neverExpires: true,
    managedBy: "unknown",
    owners: [],
    rotation: "unknown",
    deliveryChannel,
    scope,
  };
}
