// The REST properties the GitHub normalizer reads from each item: GitHub's API always returns
// them (null when unset), so an item without one was exported or transformed without it
// (src/collectors/item-completeness.ts). `affects` uses the area vocabulary of src/snapshot/areas.ts.
import { ItemCompleteness, type RequiredProperty } from "../item-completeness.ts";
import type { SourceGap } from "../normalized-facts.ts";
import type { GithubData } from "./rest-types.ts";

const people: Record<string, RequiredProperty> = {
  type: { unknown: "which of them are bots and which are people (with a password only they can reset) is unknown", affects: ["accounts.kind", "resetPaths"] },
};

const authorizations: Record<string, RequiredProperty> = {
  credential_type: { unknown: "whether they are tokens or SSH keys is unknown", affects: ["credentials"] },
  credential_authorized_at: { unknown: "when they were authorized (their last rotation) is unknown", affects: ["credentials"] },
  credential_accessed_at: { unknown: "when they were last used is unknown", affects: ["credentials"] },
};

const secrets: Record<string, RequiredProperty> = {
  created_at: { unknown: "when they were created is unknown", affects: ["credentials"] },
  updated_at: { unknown: "when their values were last replaced (rotated) is unknown", affects: ["credentials"] },
};

const deployKeys: Record<string, RequiredProperty> = {
  created_at: { unknown: "when they were added (their last rotation) is unknown", affects: ["credentials"] },
  read_only: { unknown: "whether they can write is unknown", affects: ["credentials"] },
};

// GET /orgs/{org} shows some properties only to an organization owner ("To see many of the
// organization response values, you need to be an authenticated organization owner with the
// admin:org scope"): an org.json read with a member's token has no two_factor_requirement_enabled.
const organization: Record<string, RequiredProperty> = {
  two_factor_requirement_enabled: {
    unknown: "whether the organization requires two-factor authentication is unknown (GitHub returns it only to an organization owner with the admin:org scope)",
    affects: ["settings.twoFactorRequired"],
  },
};

const remedy = "export the API's responses unchanged, as docs/exports.md gives them";

/** The properties the read items lack, one gap per item kind and property. */
export function githubItemGaps(data: GithubData): SourceGap[] {
  const checks = {
    org: new ItemCompleteness("org", { one: "organization", many: "organizations" }, organization, "read it with an owner's token"),
    members: new ItemCompleteness("members", { one: "member", many: "members" }, people, remedy),
    admins: new ItemCompleteness("admins", { one: "owner", many: "owners" }, people, remedy),
    authorizations: new ItemCompleteness("credentialAuthorizations", { one: "credential authorization", many: "credential authorizations" }, authorizations, remedy),
    orgSecrets: new ItemCompleteness("actionsSecrets", { one: "organization Actions secret", many: "organization Actions secrets" }, secrets, remedy),
    orgDependabotSecrets: new ItemCompleteness("dependabotSecrets", { one: "organization Dependabot secret", many: "organization Dependabot secrets" }, secrets, remedy),
    orgCodespacesSecrets: new ItemCompleteness("codespacesSecrets", { one: "organization Codespaces secret", many: "organization Codespaces secrets" }, secrets, remedy),
    repoSecrets: new ItemCompleteness("repos/actionsSecrets", { one: "repository Actions secret", many: "repository Actions secrets" }, secrets, remedy),
    environmentSecrets: new ItemCompleteness("repos/environments/secrets", { one: "environment secret", many: "environment secrets" }, secrets, remedy),
    repoDependabotSecrets: new ItemCompleteness("repos/dependabotSecrets", { one: "repository Dependabot secret", many: "repository Dependabot secrets" }, secrets, remedy),
    repoCodespacesSecrets: new ItemCompleteness("repos/codespacesSecrets", { one: "repository Codespaces secret", many: "repository Codespaces secrets" }, secrets, remedy),
    deployKeys: new ItemCompleteness("repos/deployKeys", { one: "deploy key", many: "deploy keys" }, deployKeys, remedy),
  };
  if (data.org) checks.org.see(data.org, () => data.org?.login ?? "organization");
  for (const user of data.members ?? []) checks.members.see(user, () => user.login);
  for (const user of data.admins ?? []) checks.admins.see(user, () => user.login);
  for (const auth of data.credentialAuthorizations ?? []) checks.authorizations.see(auth, () => `${auth.login} #${auth.credential_id}`);
  for (const secret of data.actionsSecrets ?? []) checks.orgSecrets.see(secret, () => secret.name);
  for (const secret of data.dependabotSecrets ?? []) checks.orgDependabotSecrets.see(secret, () => secret.name);
  for (const secret of data.codespacesSecrets ?? []) checks.orgCodespacesSecrets.see(secret, () => secret.name);
  for (const repo of data.repos ?? []) {
    for (const secret of repo.actionsSecrets ?? []) checks.repoSecrets.see(secret, () => `${repo.name}/${secret.name}`);
    for (const environment of repo.environments ?? []) {
      for (const secret of environment.secrets ?? []) checks.environmentSecrets.see(secret, () => `${repo.name} environment ${environment.name}/${secret.name}`);
    }
    for (const secret of repo.dependabotSecrets ?? []) checks.repoDependabotSecrets.see(secret, () => `${repo.name}/${secret.name}`);
    for (const secret of repo.codespacesSecrets ?? []) checks.repoCodespacesSecrets.see(secret, () => `${repo.name}/${secret.name}`);
    for (const key of repo.deployKeys ?? []) checks.deployKeys.see(key, () => `${repo.name} #${key.id}`);
  }
  return Object.values(checks).flatMap((check) => check.gaps());
}
