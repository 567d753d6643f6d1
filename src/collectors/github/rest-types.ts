// The GitHub REST and GraphQL response fields credgov reads, as GitHub documents them. Both the
// file transport and a live transport hand these parsed objects to the normalizer.

export interface GithubOrg {
  login?: string;
  id?: number;
  two_factor_requirement_enabled?: boolean | null;
}

/** GET /orgs/{org}/members item (simple-user). */
export interface GithubUser {
  login: string;
  id?: number;
  type?: string;
  site_admin?: boolean;
}

/** GET /orgs/{org}/credential-authorizations item. */
export interface GithubCredentialAuthorization {
  login: string;
  credential_id: number;
  credential_type?: string;
  credential_authorized_at?: string | null;
  credential_accessed_at?: string | null;
  authorized_credential_expires_at?: string | null;
  authorized_credential_note?: string | null;
  authorized_credential_title?: string | null;
  authorized_credential_id?: number | null;
  fingerprint?: string;
  scopes?: string[];
}

/**
 * Item of a secrets list: Actions (organization, repository, environment), Dependabot and
 * Codespaces (organization, repository) all answer `{"total_count", "secrets": [...]}` with these.
 */
export interface GithubSecret {
  name: string;
  created_at?: string | null;
  updated_at?: string | null;
  visibility?: string;
}

/** GET /repos/{owner}/{repo}/keys item. */
export interface GithubDeployKey {
  id: number;
  title?: string | null;
  read_only?: boolean;
  created_at?: string | null;
  last_used?: string | null;
  added_by?: string | null;
  enabled?: boolean;
}

/** GET /repos/{owner}/{repo}/environments item (`environments` of the body): only the name is read. */
export interface GithubEnvironment {
  name: string;
}

/** A repository environment and its Actions secrets (undefined: the secrets call failed). */
export interface GithubEnvironmentData {
  name: string;
  secrets?: GithubSecret[];
}

/** GET /orgs/{org}/repos item: only the name is read (each repository's calls need it). */
export interface GithubRepo {
  name: string;
}

/** organization.samlIdentityProvider.externalIdentities node (GraphQL). */
export interface GithubExternalIdentity {
  samlIdentity?: { nameId?: string | null } | null;
  user?: { login?: string | null } | null;
}

export interface GithubRepoData {
  name: string;
  actionsSecrets?: GithubSecret[];
  deployKeys?: GithubDeployKey[];
  /** undefined: the environments list failed. */
  environments?: GithubEnvironmentData[];
  dependabotSecrets?: GithubSecret[];
  codespacesSecrets?: GithubSecret[];
}

/** Everything one GitHub collection read; undefined means the call failed or its export is missing. */
export interface GithubData {
  org?: GithubOrg;
  members?: GithubUser[];
  /** organization.membersWithRole.totalCount (GraphQL); undefined when not exported. */
  membersCount?: number;
  admins?: GithubUser[];
  /** undefined: not read; null: the organization has no SAML identity provider. */
  samlIdentities?: GithubExternalIdentity[] | null;
  credentialAuthorizations?: GithubCredentialAuthorization[];
  actionsSecrets?: GithubSecret[];
  dependabotSecrets?: GithubSecret[];
  codespacesSecrets?: GithubSecret[];
  repos?: GithubRepoData[];
  /** organization.repositories.totalCount (GraphQL); undefined when not exported. */
  reposCount?: number;
}
