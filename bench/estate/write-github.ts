// Renders the GitHub organisation as REST and GraphQL response bodies (docs/exports.md):
// org, members (all and admins), SAML identities, credential authorizations, Actions
// secrets (org and per repository), the repository list and deploy keys.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { writeJson } from "./json-pages-writer.ts";
import type { Estate, Person } from "./model.ts";

const API = "https://api.github.com";
const iso = (d: Date) => d.toISOString().replace(/\.\d+Z$/, "Z");

function simpleUser(login: string, id: number, type: "User" | "Bot") {
  return {
    login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString("base64"),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    url: `${API}/users/${login}`,
    html_url: `https://github.com/${login}`,
    type,
    site_admin: false,
  };
}

export async function writeGithub(estate: Estate, dir: string): Promise<void> {
  mkdirSync(join(dir, "repos"), { recursive: true });
  const GITHUB_ORG = estate.names.githubOrg;
  const members = estate.people.filter((p): p is Person & { github: NonNullable<Person["github"]> } => Boolean(p.github));
  await writeJson(join(dir, "org.json"), {
    login: GITHUB_ORG,
    id: 7700000 + GITHUB_ORG.length,
    node_id: "O_kgDOB1Xk0Q",
    url: `${API}/orgs/${GITHUB_ORG}`,
    name: estate.names.githubOrgName,
    type: "Organization",
    two_factor_requirement_enabled: estate.settings.twoFactorRequired,
    members_can_create_repositories: false,
    default_repository_permission: "read",
    created_at: "2017-05-02T08:00:00Z",
    updated_at: iso(estate.now),
  });
  await writeJson(join(dir, "members.json"), [...members.map((p) => simpleUser(p.github.login, p.github.id, "User")), ...estate.bots.map((b) => simpleUser(b.login, b.id, "Bot"))]);
  await writeJson(join(dir, "members-count.json"), { data: { organization: { membersWithRole: { totalCount: members.length + estate.bots.length } } } });
  await writeJson(join(dir, "admins.json"), members.filter((p) => p.github.admin).map((p) => simpleUser(p.github.login, p.github.id, "User")));
  await writeJson(join(dir, "saml-identities.json"), {
    data: {
      organization: {
        samlIdentityProvider: {
          ssoUrl: `https://login.microsoftonline.com/${estate.names.tenant.id}/saml2`,
          externalIdentities: {
            pageInfo: { hasNextPage: false, endCursor: null },
            edges: members
              .filter((p) => p.github.samlLinked)
              .map((p, i) => ({ node: { guid: `ext-${String(i).padStart(6, "0")}`, samlIdentity: { nameId: p.upn }, user: { login: p.github.login } } })),
          },
        },
      },
    },
  });
  await writeJson(
    join(dir, "credential-authorizations.json"),
    members
      .filter((p) => p.github.pat)
      .map((p, i) => ({
        login: p.github.login,
        credential_id: 800000 + i,
        credential_type: "personal access token",
        token_last_eight: `a1b2c3${String(i % 100).padStart(2, "0")}`,
        credential_authorized_at: iso(p.github.pat!.created),
        credential_accessed_at: iso(p.github.pat!.accessed),
        authorized_credential_expires_at: p.github.pat!.expires ? iso(p.github.pat!.expires) : null,
        scopes: ["repo", "read:org"],
        authorized_credential_note: "ci automation",
      })),
  );
  await writeJson(join(dir, "actions-secrets.json"), {
    total_count: estate.orgSecrets.length,
    secrets: estate.orgSecrets.map((s) => ({ name: s.name, created_at: iso(s.created), updated_at: iso(s.updated), visibility: s.visibility, ...(s.visibility === "selected" ? { selected_repositories_url: `${API}/orgs/${GITHUB_ORG}/actions/secrets/${s.name}/repositories` } : {}) })),
  });
  // The generated estates keep their secrets in Actions: the other stores are written empty,
  // as GitHub answers an organization that does not use them.
  const none = { total_count: 0, secrets: [] };
  await writeJson(join(dir, "dependabot-secrets.json"), none);
  await writeJson(join(dir, "codespaces-secrets.json"), none);
  await writeJson(join(dir, "repos-count.json"), { data: { organization: { repositories: { totalCount: estate.repos.length } } } });
  await writeJson(
    join(dir, "repos.json"),
    estate.repos.map((repo, i) => ({ id: 9100000 + i, name: repo.name, full_name: `${GITHUB_ORG}/${repo.name}`, private: true, html_url: `https://github.com/${GITHUB_ORG}/${repo.name}`, url: `${API}/repos/${GITHUB_ORG}/${repo.name}` })),
  );
  for (const repo of estate.repos) {
    const rdir = join(dir, "repos", repo.name);
    mkdirSync(rdir, { recursive: true });
    await writeJson(join(rdir, "actions-secrets.json"), { total_count: repo.secrets.length, secrets: repo.secrets.map((s) => ({ name: s.name, created_at: iso(s.created), updated_at: iso(s.updated) })) });
    await writeJson(join(rdir, "environments.json"), { total_count: 0, environments: [] });
    await writeJson(join(rdir, "dependabot-secrets.json"), none);
    await writeJson(join(rdir, "codespaces-secrets.json"), none);
    await writeJson(
      join(rdir, "deploy-keys.json"),
      repo.deployKeys.map((k) => ({
        id: k.id,
        key: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${String(k.id).padStart(8, "0")}demo`,
        url: `${API}/repos/${GITHUB_ORG}/${repo.name}/keys/${k.id}`,
        title: k.title,
        verified: true,
        created_at: iso(k.created),
        read_only: k.readOnly,
        added_by: "octocat",
        last_used: k.lastUsed ? iso(k.lastUsed) : null,
        enabled: true,
      })),
    );
  }
}
