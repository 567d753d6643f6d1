// Live cloud collection through the fixture servers at estate scale, beside the same GET
// requests made with plain Node fetch (the floor any client library stands on).
//   npm run bench -- cloud [--users=100000] [--apps=20000] [--members=5000] [--repos=2000] [--rounds=3]
// Each source is collected once untimed (the fixture process warms up), then `rounds` times
// timed, each collection followed by the plain-fetch replay of the requests it made; the table
// gives medians, and each round's ratio.
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
const rounds = arg("rounds", 3);
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

interface Fetched {
  seconds: number;
  cpuSeconds: number;
  pageFaults: number;
  requests: number;
  maxRssBytes: number;
}
interface Round {
  collected: Measured;
  fetched: Fetched;
  recorded: Recorded[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const mib = (bytes: number) => bytes / 2 ** 20;
const count = (n: number) => Math.round(n).toLocaleString("en");

/**
 * One source: an untimed collection first (the fixture process compiles its page generators and
 * routes on their first requests: the GitHub server took about 2 s more CPU for the first
 * collection than for the next, which whichever client came first paid for), then `rounds`
 * collections, each followed by plain fetch replaying the requests it made.
 */
async function measure(kind: "entra" | "github", source: string, replay: (recorded: Recorded[]) => { file: unknown[]; authorization: string; concurrency: number }): Promise<Round[]> {
  const measured: Round[] = [];
  for (let round = 0; round <= rounds; round++) {
    await requests();
    const collected = runChild<Measured>("./collect-child.ts", [kind, source]);
    if (collected.status !== "ok") throw new Error(`${kind} collection ${collected.status}: ${JSON.stringify(collected.errors)}`);
    const recorded = (await requests())[kind === "entra" ? "graph" : "github"];
    if (round === 0) continue;
    const { file, authorization, concurrency } = replay(recorded);
    writeFileSync(join(work, `${kind}.json`), JSON.stringify(file));
    const fetched = runChild<Fetched>("./fetch-child.ts", [join(work, `${kind}.json`), authorization, String(concurrency)]);
    measured.push({ collected, fetched, recorded });
    process.stderr.write(`cloud: ${kind} round ${round}: collector ${collected.seconds.toFixed(2)} s, fetch ${fetched.seconds.toFixed(2)} s\n`);
  }
  return measured;
}

/** The table's cells for one source's rounds (medians; the ratio is the median of the rounds' ratios). */
function cells(measured: Round[]) {
  const m = (pick: (r: Round) => number) => median(measured.map(pick));
  const ratios = measured.map((r) => r.collected.seconds / r.fetched.seconds);
  return {
    collector: `${m((r) => r.collected.seconds).toFixed(2)} (CPU ${m((r) => r.collected.cpuSeconds).toFixed(2)}; ${count(m((r) => r.collected.pageFaults))} page faults)`,
    collectorRss: `${m((r) => mib(r.collected.maxRssBytes)).toFixed(0)} MiB`,
    fetch: `${m((r) => r.fetched.seconds).toFixed(2)} (CPU ${m((r) => r.fetched.cpuSeconds).toFixed(2)}; ${count(m((r) => r.fetched.pageFaults))} page faults`,
    fetchRss: `${m((r) => mib(r.fetched.maxRssBytes)).toFixed(0)} MiB`,
    ratio: `**${median(ratios).toFixed(2)}×** (${ratios.map((x) => x.toFixed(2)).join(", ")})`,
    last: measured[measured.length - 1],
  };
}

const rows: string[] = [];
try {
  // Entra ID
  const entraSource = JSON.stringify({ id: "entra", kind: "entra", tenantId, clientId: appId, clientSecretEnv: "BENCH_GRAPH_SECRET", authorityHost: ready.graphUrl, graphBaseUrl: ready.graphUrl, timeoutMs: 120_000 });
  // The replay's token, asked for once outside the timed runs (fetch-child.ts gets it as a header).
  const tokenReply = (await (
    await fetch(`${ready.graphUrl}/${tenantId}/oauth2/v2.0/token`, { method: "POST", body: new URLSearchParams({ grant_type: "client_credentials", client_id: appId, client_secret: secret, scope: `${ready.graphUrl}/.default` }) })
  ).json()) as { access_token: string };
  const graphGets = (recorded: Recorded[]) => recorded.filter((r) => r.method === "GET" && (r.batched || r.path.startsWith("/v1.0/"))).map((r) => `${ready.graphUrl}${r.batched ? `/v1.0${r.path}` : r.path}`);
  const entra = await measure("entra", entraSource, (recorded) => ({ file: graphGets(recorded), authorization: `Bearer ${tokenReply.access_token}`, concurrency: 4 }));
  const e = cells(entra);
  const graphRequests = e.last.recorded;
  const graphHttp = graphRequests.filter((r) => !r.batched).length;
  // Counted from the fixture's log, like every other figure of the row.
  const batchPosts = graphRequests.filter((r) => !r.batched && r.method === "POST" && r.path.endsWith("/$batch")).length;
  const batchedGets = graphRequests.filter((r) => r.batched && r.method === "GET").length;
  if (process.env.BENCH_CLOUD_DEBUG) process.stderr.write(graphRequests.map((r) => `${r.batched ? "[b] " : ""}${r.method} ${r.path.slice(0, 100)} ${r.status}`).join("\n") + "\n");
  rows.push(
    `| Entra ID (Graph) | ${users.toLocaleString("en")} users, ${apps.toLocaleString("en")} applications, ${sps.toLocaleString("en")} service principals | ${e.last.collected.accounts.toLocaleString("en")} / ${e.last.collected.credentials.toLocaleString("en")} | ${e.collector} | ${graphHttp} HTTP (${graphGets(graphRequests).length} GETs, ${batchedGets} of them in ${batchPosts} $batch) | ${e.collectorRss} | ${e.fetch}; ${e.last.fetched.requests} GETs) | ${e.fetchRss} | ${e.ratio} |`,
  );
  process.stderr.write("cloud: entra done\n");

  // GitHub
  const githubSource = JSON.stringify({ id: "github", kind: "github", org: "bench-org", tokenEnv: "BENCH_GITHUB_TOKEN", baseUrl: ready.githubBaseUrl, timeoutMs: 120_000 });
  const origin = new URL(ready.githubBaseUrl).origin;
  const githubGets = (recorded: Recorded[]) => recorded.filter((r) => r.method === "GET").map((r) => `${origin}${r.path}`);
  const githubQueries = (recorded: Recorded[]) => recorded.filter((r) => r.method === "POST" && r.body !== undefined).map((r) => ({ url: `${origin}${r.path}`, body: r.body! }));
  const github = await measure("github", githubSource, (recorded) => ({ file: [...githubGets(recorded), ...githubQueries(recorded)], authorization: `token ${token}`, concurrency: 8 }));
  const g = cells(github);
  const githubRequests = g.last.recorded;
  rows.push(
    `| GitHub (octokit) | ${members.toLocaleString("en")} members, ${repos.toLocaleString("en")} repositories | ${g.last.collected.accounts.toLocaleString("en")} / ${g.last.collected.credentials.toLocaleString("en")} | ${g.collector} | ${githubRequests.length} HTTP (${githubGets(githubRequests).length} GETs, ${githubRequests.length - githubGets(githubRequests).length} GraphQL) | ${g.collectorRss} | ${g.fetch}; ${githubGets(githubRequests).length} GETs + ${githubQueries(githubRequests).length} GraphQL POSTs) | ${g.fetchRss} | ${g.ratio} |`,
  );
} finally {
  fixtures.send({ type: "stop" });
  rmSync(work, { recursive: true, force: true });
}
process.stdout.write(
  `Medians of ${rounds} rounds after an untimed warm-up collection; the last column gives each round's ratio too.\n` +
    "| source | estate | accounts / credentials | collector seconds | requests | collector peak RSS | plain fetch seconds | fetch peak RSS | collector / fetch |\n|---|---|---:|---:|---|---:|---:|---:|---:|\n" +
    rows.join("\n") +
    "\n",
);
