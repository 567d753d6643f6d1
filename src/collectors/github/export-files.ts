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

export function repoExports(repo: string): { actionsSecrets: ExportFile; deployKeys: ExportFile } {
  return {
    actionsSecrets: {
      path: `repos/${repo}/actions-secrets.json`,
      step: `repos/${repo}/actionsSecrets`,
      call: `GET /repos/{org}/${repo}/actions/secrets?per_page=100`,
      affects: ["credentials"],
    },
    deployKeys: {
      path: `repos/${repo}/deploy-keys.json`,
      step: `repos/${repo}/deployKeys`,
      call: `GET /repos/{org}/${repo}/keys?per_page=100`,
      affects: ["credentials"],
    },
  };
}
