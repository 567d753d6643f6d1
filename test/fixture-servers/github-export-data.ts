// Seeds the GitHub fixture with the organization of an export folder (test/fixtures/github): the
// live collector then reads what the file transport reads, so their snapshots must agree.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { environmentSecretsExport } from "../../src/collectors/github/export-files.ts";
import type { GithubOrgData, GithubSecret } from "./github-server.ts";

type Json = Record<string, unknown>;

const read = (dir: string, file: string) => JSON.parse(readFileSync(join(dir, file), "utf8")) as unknown;
/** A REST list file: one page or an array of pages. */
const list = (body: unknown): Json[] => {
  const items = body as unknown[];
  return items.some(Array.isArray) ? (items as Json[][]).flat() : (items as Json[]);
};
const secrets = (body: unknown): GithubSecret[] => (Array.isArray(body) ? body : [body]).flatMap((page) => (page as { secrets: GithubSecret[] }).secrets);

export function orgFromExports(dir: string): GithubOrgData {
  const admins = new Set(list(read(dir, "admins.json")).map((u) => u.login));
  const members = list(read(dir, "members.json")).map((u) => ({ ...u, login: String(u.login), role: admins.has(u.login) ? ("admin" as const) : ("member" as const) }));
  const saml = read(dir, "saml-identities.json") as { data: { organization: { samlIdentityProvider: { externalIdentities: { edges: { node: { guid: string; samlIdentity: { nameId: string | null } | null; user: { login: string } | null } }[] } } | null } } };
  const provider = saml.data.organization.samlIdentityProvider;
  const reposDir = join(dir, "repos");
  return {
    org: read(dir, "org.json") as Json & { login: string },
    members,
    samlIdentities: provider ? provider.externalIdentities.edges.map(({ node }) => ({ guid: node.guid, nameId: node.samlIdentity?.nameId ?? null, login: node.user?.login ?? null })) : null,
    credentialAuthorizations: list(read(dir, "credential-authorizations.json")),
    secrets: secrets(read(dir, "actions-secrets.json")),
    dependabotSecrets: secrets(read(dir, "dependabot-secrets.json")),
    codespacesSecrets: secrets(read(dir, "codespaces-secrets.json")),
    repos: existsSync(reposDir)
      ? readdirSync(reposDir)
          .sort()
          .map((name) => ({
            name,
            secrets: secrets(read(reposDir, `${name}/actions-secrets.json`)),
            keys: list(read(reposDir, `${name}/deploy-keys.json`)),
            environments: environments(read(reposDir, `${name}/environments.json`)).map((environment) => ({
              name: environment,
              secrets: secrets(read(dir, environmentSecretsExport(name, environment).path)),
            })),
            dependabotSecrets: secrets(read(reposDir, `${name}/dependabot-secrets.json`)),
            codespacesSecrets: secrets(read(reposDir, `${name}/codespaces-secrets.json`)),
          }))
      : [],
  };
}

/** The names in an environments list file (one body or an array of pages). */
function environments(body: unknown): string[] {
  return (Array.isArray(body) ? body : [body]).flatMap((page) => (page as { environments: { name: string }[] }).environments.map((e) => e.name));
}
