// GitHub file transport: reads the export folder into the same parsed REST/GraphQL objects a
// live transport would fetch, so both feed one normalizer.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import type { CollectionProgress } from "../collector.ts";
import { ExportReader } from "../export-reader.ts";
import { githubErrorResponse } from "./error-body.ts";
import { environmentSecretsExport, githubExports as files, repoExports } from "./export-files.ts";
import { membersExportGap } from "./member-coverage.ts";
import { organizationTotal, totalCountGap } from "./organization-total.ts";
import { environmentsList, restList, restObject, samlIdentities, secretsList } from "./response-body.ts";
import { githubCredentialAuthorizationShape, githubDeployKeyShape, githubOrgShape, githubRepoShape, githubUserShape } from "./rest-shapes.ts";
import type { GithubData, GithubEnvironment, GithubEnvironmentData, GithubRepoData, GithubSecret } from "./rest-types.ts";

export interface GithubFileRead {
  data: GithubData;
  reader: ExportReader;
  folderFound: boolean;
}

export async function readGithubExports(dir: string, progress: CollectionProgress): Promise<GithubFileRead> {
  const reader = new ExportReader(dir, progress, githubErrorResponse);
  const folder = await reader.folderState();
  if (folder !== "folder") {
    reader.errors.push(reader.folderError(folder));
    return { data: {}, reader, folderFound: false };
  }
  const data: GithubData = {
    org: await reader.read(files.org, restObject(githubOrgShape)),
    members: await reader.read(files.members, restList(githubUserShape, "id")),
    // Optional (exports made before it existed, by hand without it): absent, only the owner
    // cross-check below can tell a short members export.
    membersCount: await reader.read(files.membersCount, organizationTotal("membersWithRole"), { optional: true }),
    admins: await reader.read(files.admins, restList(githubUserShape, "id")),
    samlIdentities: await reader.read(files.samlIdentities, samlIdentities),
    credentialAuthorizations: await reader.read(files.credentialAuthorizations, restList(githubCredentialAuthorizationShape, "credential_id")),
    actionsSecrets: await reader.read(files.actionsSecrets, secretsList),
    dependabotSecrets: await reader.read(files.dependabotSecrets, secretsList),
    codespacesSecrets: await reader.read(files.codespacesSecrets, secretsList),
    repos: [],
  };
  // Every listed repository is read (its missing files are gaps), and so is any folder the list
  // leaves out; without the list (a gap itself) the folders are all there is to go on.
  const listed = await reader.read(files.repos, restList(githubRepoShape, "name"));
  const reposCount = await reader.read(files.reposCount, organizationTotal("repositories"), { optional: true });
  const reposGap = listed === undefined ? undefined : totalCountGap("repositories", listed.length, reposCount, "repositories", "GET /orgs/{org}/repos");
  if (reposGap !== undefined) reader.recordIncomplete(files.repos, reposGap);
  const names = new Set([...(listed ?? []).map((r) => r.name), ...(await repoNames(join(dir, "repos")))]);
  for (const name of [...names].sort()) {
    const repoFiles = repoExports(name);
    // Read in the order of their steps, as a live read lists its queries.
    const actionsSecrets = await reader.read(repoFiles.actionsSecrets, secretsList);
    const codespacesSecrets = await reader.read(repoFiles.codespacesSecrets, secretsList);
    const dependabotSecrets = await reader.read(repoFiles.dependabotSecrets, secretsList);
    const deployKeys = await reader.read(repoFiles.deployKeys, restList(githubDeployKeyShape, "id"));
    const environments = await reader.read(repoFiles.environments, environmentsList);
    const repo: GithubRepoData = {
      name,
      actionsSecrets,
      deployKeys,
      environments: environments === undefined ? undefined : await environmentSecrets(reader, name, environments),
      dependabotSecrets,
      codespacesSecrets,
    };
    data.repos!.push(repo);
  }
  const membersGap = membersExportGap(data);
  if (membersGap !== undefined) reader.recordIncomplete(files.members, membersGap);
  return { data, reader, folderFound: true };
}

/** Each listed environment's secrets file (a missing one is that environment's gap). */
async function environmentSecrets(reader: ExportReader, repo: string, environments: GithubEnvironment[]): Promise<GithubEnvironmentData[]> {
  const secrets = new Map<string, GithubSecret[] | undefined>();
  // Read in the order a live read lists their queries (by step); kept in the list's order.
  const files = environments.map(({ name }) => ({ name, file: environmentSecretsExport(repo, name) }));
  for (const { name, file } of [...files].sort((a, b) => a.file.step.localeCompare(b.file.step))) secrets.set(name, await reader.read(file, secretsList));
  return environments.map(({ name }) => ({ name, secrets: secrets.get(name) }));
}

/** One folder per repository under repos/; no repos/ folder means no repository folders. */
async function repoNames(reposDir: string): Promise<string[]> {
  try {
    const entries = await readdir(reposDir, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}
