// The GitHub export folder: one file per documented REST or GraphQL call (docs/exports.md says
// how to produce each). `call` is recorded in the snapshot's queries; `affects` names what a missing
// file leaves unknown in the area vocabulary (src/snapshot/areas.ts).
import type { ExportFile } from "../export-reader.ts";

export const githubExports = {
  org: { path: "org.json", step: "org", call: "GET /orgs/{org}", affects: ["settings.twoFactorRequired"] },
  members: { path: "members.json", step: "members", call: "GET /orgs/{org}/members?per_page=100", affects: ["accounts", "accounts.owners", "credentials.owners", "resetPaths", "identities"] },
  // How many members and repositories GitHub counts (organization-total.ts): the REST lists have
  // no total, so a page missing from members.json or repos.json shows only against these.
  // Optional in a file export.
  membersCount: {
    path: "members-count.json",
    step: "membersCount",
    call: "POST /graphql organization(login: $org) { membersWithRole(first: 1) { totalCount } }",
    affects: ["accounts", "accounts.owners", "credentials.owners", "resetPaths", "identities"],
  },
  admins: { path: "admins.json", step: "admins", call: "GET /orgs/{org}/members?role=admin&per_page=100", affects: ["accounts.privileged"] },
  samlIdentities: {
    path: "saml-identities.json",
    step: "samlIdentities",
    call: "POST /graphql organization(login: $org) { samlIdentityProvider { externalIdentities(first: 100) { edges { node { samlIdentity { nameId } user { login } } } } } }",
    affects: ["settings.samlEnabled", "accounts.nativeIds", "identities"],
  },
  credentialAuthorizations: {
    path: "credential-authorizations.json",
    step: "credentialAuthorizations",
    call: "GET /orgs/{org}/credential-authorizations?per_page=100",
    affects: ["credentials"],
  },
  actionsSecrets: { path: "actions-secrets.json", step: "actionsSecrets", call: "GET /orgs/{org}/actions/secrets?per_page=100", affects: ["credentials"] },
  dependabotSecrets: { path: "dependabot-secrets.json", step: "dependabotSecrets", call: "GET /orgs/{org}/dependabot/secrets?per_page=100", affects: ["credentials"] },
  codespacesSecrets: { path: "codespaces-secrets.json", step: "codespacesSecrets", call: "GET /orgs/{org}/codespaces/secrets?per_page=100", affects: ["credentials"] },
  // The list of repositories: without it, a repository whose folder is missing (its calls failed,
  // or the loop over repositories never ran) could not be told from one that does not exist.
  repos: { path: "repos.json", step: "repos", call: "GET /orgs/{org}/repos?per_page=100", affects: ["credentials"] },
  reposCount: {
    path: "repos-count.json",
    step: "reposCount",
    call: "POST /graphql organization(login: $org) { repositories(first: 1) { totalCount } }",
    affects: ["credentials"],
  },
} satisfies Record<string, ExportFile>;

export interface RepoExportFiles {
  actionsSecrets: ExportFile;
  deployKeys: ExportFile;
  environments: ExportFile;
  dependabotSecrets: ExportFile;
  codespacesSecrets: ExportFile;
}

export function repoExports(repo: string): RepoExportFiles {
  const file = (name: string, step: string, path: string): ExportFile => ({ path: `repos/${repo}/${name}`, step: `repos/${repo}/${step}`, call: `GET /repos/{org}/${repo}/${path}?per_page=100`, affects: ["credentials"] });
  return {
    actionsSecrets: file("actions-secrets.json", "actionsSecrets", "actions/secrets"),
    deployKeys: file("deploy-keys.json", "deployKeys", "keys"),
    // Without the list of environments, an environment's secrets could not be told from none.
    environments: file("environments.json", "environments", "environments"),
    dependabotSecrets: file("dependabot-secrets.json", "dependabotSecrets", "dependabot/secrets"),
    codespacesSecrets: file("codespaces-secrets.json", "codespacesSecrets", "codespaces/secrets"),
  };
}

/**
 * An environment's Actions secrets. Environment names may hold characters a file name or URL
 * path cannot (`/`, spaces), so both carry the name percent-encoded: every character but
 * RFC 3986's unreserved ones, as jq's `@uri` does in the documented export commands.
 */
export function environmentSecretsExport(repo: string, environment: string): ExportFile {
  const encoded = encodeURIComponent(environment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return {
    path: `repos/${repo}/environment-secrets/${encoded}.json`,
    step: `repos/${repo}/environments/${encoded}/secrets`,
    call: `GET /repos/{org}/${repo}/environments/${encoded}/secrets?per_page=100`,
    affects: ["credentials"],
  };
}
