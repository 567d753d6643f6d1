// Live cloud collection through the fixture servers at estate scale, beside the same GET
// requests made with plain Node fetch (the floor any client library stands on).
//   npm run bench -- cloud [--users=100000] [--apps=20000] [--members=5000] [--repos=2000]
import { fork, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tls from "node:tls";
import { fileURLToPath } from "node:url";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const users = arg("users", 100_000);
const apps = arg("apps", 20_000);
const sps = arg("sps", 2_000);
const members = arg("members", 5_000);
const repos = arg("repos", 2_000);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const secret = randomUUID();
const token = `ghp_${randomUUID().replaceAll("-", "")}`;
const tenantId = "bbbbbbbb-0000-4000-8000-00000000000b";
const appId = "cccccccc-0000-4000-8000-00000000000c";
const work = mkdtempSync(join(tmpdir(), "credgov-bench-cloud-"));

interface Recorded {
  method: string;
  path: string;
  status: number;
  batched?: boolean;
  body?: string;
}

const fixtures = fork(here("./fixture-process.ts"), [String(users), String(apps), String(sps), String(members), String(repos), secret, token, tenantId, appId], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
const next = <T>(type: string) => new Promise<T>((resolve) => fixtures.once("message", (m: { type: string }) => m.type === type && resolve(m as T)));
const ready = await next<{ graphUrl: string; githubBaseUrl: string; caFile: string }>("ready");
const env = { ...process.env, NODE_EXTRA_CA_CERTS: ready.caFile, BENCH_GRAPH_SECRET: secret, BENCH_GITHUB_TOKEN: token };
tls.setDefaultCACertificates([...tls.getCACertificates("default"), readFileSync(ready.caFile, "utf8")]);

function runChild<T>(script: string, args: string[]): T {
  const r = spawnSync(process.execPath, [here(script), ...args], { env, stdio: ["ignore", "inherit", "inherit", "pipe"], maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${script} exited ${r.status}`);
  return JSON.parse(r.output[3]!.toString()) as T;
}

async function requests(): Promise<{ graph: Recorded[]; github: Recorded[] }> {
  const reply = next<{ graph: Recorded[]; github: Recorded[] }>("requests");
  fixtures.send({ type: "requests" });
  return reply;
}

interface Measured {
  seconds: number;
  cpuSeconds: number;
  pageFaults: number;
  maxRssBytes: number;
  status: string;
  errors: unknown[];
  accounts: number;
  credentials: number;
}

const rows: string[] = [];
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const faults = (count: number) => `${count.toLocaleString("en")} page faults`;
try {
  // Entra ID
  await requests();
  const entra = runChild<Measured>("./collect-child.ts", ["entra", JSON.stringify({ id: "entra", kind: "entra", tenantId, clientId: appId, clientSecretEnv: "BENCH_GRAPH_SECRET", authorityHost: ready.graphUrl, graphBaseUrl: ready.graphUrl, timeoutMs: 120_000 })]);
  if (entra.status !== "ok") throw new Error(`entra collection ${entra.status}: ${JSON.stringify(entra.errors)}`);
  const graphRequests = (await requests()).graph;
  const graphGets = graphRequests.filter((r) => r.method === "GET" && (r.batched || r.path.startsWith("/v1.0/"))).map((r) => `${ready.graphUrl}${r.batched ? `/v1.0${r.path}` : r.path}`);
  const graphHttp = graphRequests.filter((r) => !r.batched).length;
  // Counted from the fixture's log, like every other figure of the row.
  const batchPosts = graphRequests.filter((r) => !r.batched && r.method === "POST" && r.path.endsWith("/$batch")).length;
  const batchedGets = graphRequests.filter((r) => r.batched && r.method === "GET").length;
  if (process.env.BENCH_CLOUD_DEBUG) process.stderr.write(graphRequests.map((r) => `${r.batched ? "[b] " : ""}${r.method} ${r.path.slice(0, 100)} ${r.status}`).join("\n") + "\n");
  writeFileSync(join(work, "graph.json"), JSON.stringify(graphGets));
  const tokenReply = (await (
    await fetch(`${ready.graphUrl}/${tenantId}/oauth2/v2.0/token`, { method: "POST", body: new URLSearchParams({ grant_type: "client_credentials", client_id: appId, client_secret: secret, scope: `${ready.graphUrl}/.default` }) })
  ).json()) as { access_token: string };
  const graphBaseline = runChild<{ seconds: number; cpuSeconds: number; pageFaults: number; requests: number; maxRssBytes: number }>("./fetch-child.ts", [join(work, "graph.json"), `Bearer ${tokenReply.access_token}`, "4"]);
  await requests();
  rows.push(
    `| Entra ID (Graph) | ${users.toLocaleString("en")} users, ${apps.toLocaleString("en")} applications, ${sps.toLocaleString("en")} service principals | ${entra.accounts.toLocaleString("en")} / ${entra.credentials.toLocaleString("en")} | ${entra.seconds.toFixed(2)} (CPU ${entra.cpuSeconds.toFixed(2)}; ${faults(entra.pageFaults)}) | ${graphHttp} HTTP (${graphGets.length} GETs, ${batchedGets} of them in ${batchPosts} $batch) | ${mib(entra.maxRssBytes)} | ${graphBaseline.seconds.toFixed(2)} (CPU ${graphBaseline.cpuSeconds.toFixed(2)}; ${faults(graphBaseline.pageFaults)}; ${graphBaseline.requests} GETs) | ${mib(graphBaseline.maxRssBytes)} | ${(entra.seconds / graphBaseline.seconds).toFixed(2)}× |`,
  );
  process.stderr.write("cloud: entra done\n");

  // GitHub
  const github = runChild<Measured>("./collect-child.ts", ["github", JSON.stringify({ id: "github", kind: "github", org: "bench-org", tokenEnv: "BENCH_GITHUB_TOKEN", baseUrl: ready.githubBaseUrl, timeoutMs: 120_000 })]);
  if (github.status !== "ok") throw new Error(`github collection ${github.status}: ${JSON.stringify(github.errors)}`);
  const githubRequests = (await requests()).github;
  const origin = new URL(ready.githubBaseUrl).origin;
  const githubGets = githubRequests.filter((r) => r.method === "GET").map((r) => `${origin}${r.path}`);
  const githubQueries = githubRequests.filter((r) => r.method === "POST" && r.body !== undefined).map((r) => ({ url: `${origin}${r.path}`, body: r.body! }));
  writeFileSync(join(work, "github.json"), JSON.stringify([...githubGets, ...githubQueries]));
  const githubBaseline = runChild<{ seconds: number; cpuSeconds: number; pageFaults: number; requests: number; maxRssBytes: number }>("./fetch-child.ts", [join(work, "github.json"), `token ${token}`, "8"]);
  rows.push(
    `| GitHub (octokit) | ${members.toLocaleString("en")} members, ${repos.toLocaleString("en")} repositories | ${github.accounts.toLocaleString("en")} / ${github.credentials.toLocaleString("en")} | ${github.seconds.toFixed(2)} (CPU ${github.cpuSeconds.toFixed(2)}; ${faults(github.pageFaults)}) | ${githubRequests.length} HTTP (${githubGets.length} GETs, ${githubRequests.length - githubGets.length} GraphQL) | ${mib(github.maxRssBytes)} | ${githubBaseline.seconds.toFixed(2)} (CPU ${githubBaseline.cpuSeconds.toFixed(2)}; ${faults(githubBaseline.pageFaults)}; ${githubGets.length} GETs + ${githubQueries.length} GraphQL POSTs) | ${mib(githubBaseline.maxRssBytes)} | ${(github.seconds / githubBaseline.seconds).toFixed(2)}× |`,
  );
} finally {
  fixtures.send({ type: "stop" });
  rmSync(work, { recursive: true, force: true });
}
process.stdout.write(
  "| source | estate | accounts / credentials | collector seconds | requests | collector peak RSS | plain fetch seconds | fetch peak RSS | collector / fetch |\n|---|---|---:|---:|---|---:|---:|---:|---:|\n" +
    rows.join("\n") +
    "\n",
);
