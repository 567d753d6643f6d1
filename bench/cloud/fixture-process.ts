// The fixture servers of the cloud benchmark in their own process, so the collector's time and
// peak RSS are measured alone. Talks to the parent over IPC: it announces the URLs and answers
// request counts.
import { GraphFixtureServer } from "../../test/fixture-servers/graph-server.ts";
import { GithubFixtureServer } from "../../test/fixture-servers/github-server.ts";
import { createTestPki } from "../../test/fixture-servers/test-pki.ts";
import { syntheticOrg, syntheticTenant } from "./synthetic-estate.ts";

const [users, apps, sps, members, repos, secret, token, tenantId, appId] = process.argv.slice(2);
const pki = createTestPki();
const permissions = ["User.Read.All", "Domain.Read.All", "Policy.Read.All", "Policy.Read.AuthenticationMethod", "AuditLog.Read.All", "OnPremDirectorySynchronization.Read.All", "Application.Read.All", "RoleManagement.Read.Directory", "AdministrativeUnit.Read.All"];
const graph = await new GraphFixtureServer({ pki, tenantId, data: syntheticTenant(Number(users), Number(apps), Number(sps)), clients: [{ appId, secrets: [{ keyId: "k", secretText: secret }], permissions }] }).start();
const github = await new GithubFixtureServer({ pki, data: syntheticOrg(Number(members), Number(repos)), tokens: [token], rateLimit: { limit: 1_000_000, windowMs: 3_600_000 } }).start();

process.on("message", (message: { type: string }) => {
  if (message.type === "requests") {
    process.send!({ type: "requests", graph: graph.requests.map((r) => ({ ...r })), github: github.requests.map((r) => ({ ...r })) });
    graph.requests.length = 0;
    github.requests.length = 0;
  }
  if (message.type === "stop") void Promise.all([graph.stop(), github.stop()]).then(() => process.exit(0));
});
process.send!({ type: "ready", graphUrl: graph.url, githubBaseUrl: github.baseUrl, caFile: pki.caFile });
