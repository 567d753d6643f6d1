// Paired runs of one live collector (entra or github) of several checkouts (e.g. the commit
// before a change and after it), alternating A B A B ... against one fixture process, each
// collection followed by the plain-fetch replay of the requests it made (as `npm run bench --
// cloud` does). On a shared machine single runs say little; pairs taken a few seconds apart compare.
//   node bench/cloud/paired.ts entra [--pairs=5] [--users=100000] [--apps=20000] [--sps=2000] CHECKOUT...
//   node bench/cloud/paired.ts github [--pairs=5] [--members=5000] [--repos=2000] CHECKOUT...
// Each CHECKOUT is a credgov directory with its node_modules; this checkout's fixture process is used.
import { fork, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as tls from "node:tls";
import { fileURLToPath } from "node:url";

const kind = process.argv[2];
if (kind !== "entra" && kind !== "github") throw new Error("name the collector first: entra or github");
const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const checkouts = process.argv.slice(3).filter((a) => !a.startsWith("--")).map((c) => resolve(c));
if (checkouts.length === 0) throw new Error("name at least one checkout directory");
const pairs = arg("pairs", 5);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const secret = randomUUID();
const token = `ghp_${randomUUID().replaceAll("-", "")}`;
const tenantId = "bbbbbbbb-0000-4000-8000-00000000000b";
const appId = "cccccccc-0000-4000-8000-00000000000c";
// The other source's estate is kept tiny: only the measured one is read.
const sizes = kind === "entra" ? [arg("users", 100_000), arg("apps", 20_000), arg("sps", 2_000), 10, 2] : [10, 2, 1, arg("members", 5000), arg("repos", 2000)];
const work = mkdtempSync(join(tmpdir(), `credgov-bench-${kind}-`));
const fixtures = fork(here("./fixture-process.ts"), [...sizes.map(String), secret, token, tenantId, appId], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
const next = <T>(type: string) => new Promise<T>((done) => fixtures.once("message", (m: { type: string }) => m.type === type && done(m as T)));
const ready = await next<{ graphUrl: string; githubBaseUrl: string; caFile: string }>("ready");
const env = { ...process.env, NODE_EXTRA_CA_CERTS: ready.caFile, BENCH_GRAPH_SECRET: secret, BENCH_GITHUB_TOKEN: token };
const source = JSON.stringify(
  kind === "entra"
    ? { id: "entra", kind, tenantId, clientId: appId, clientSecretEnv: "BENCH_GRAPH_SECRET", authorityHost: ready.graphUrl, graphBaseUrl: ready.graphUrl, timeoutMs: 120_000 }
    : { id: "github", kind, org: "bench-org", tokenEnv: "BENCH_GITHUB_TOKEN", baseUrl: ready.githubBaseUrl, timeoutMs: 120_000 },
);

interface Recorded {
  method: string;
  path: string;
  batched?: boolean;
  body?: string;
}
async function requests(): Promise<Recorded[]> {
  const reply = next<{ graph: Recorded[]; github: Recorded[] }>("requests");
  fixtures.send({ type: "requests" });
  return (await reply)[kind === "entra" ? "graph" : "github"];
}
function child(script: string, args: string[]): { seconds: number; cpuSeconds: number; maxRssBytes: number; status?: string } {
  const r = spawnSync(process.execPath, [script, ...args], { env, stdio: ["ignore", "inherit", "inherit", "pipe"], maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${script} exited ${r.status}`);
  return JSON.parse(r.output[3]!.toString()) as { seconds: number; cpuSeconds: number; maxRssBytes: number; status?: string };
}
/** As main.ts: Graph's GETs (those inside the $batch as single GETs), or GitHub's GETs and GraphQL POSTs of the same body. */
function replayOf(made: Recorded[]): { urls: unknown[]; authorization: string; concurrency: string; requests: number } {
  if (kind === "entra") {
    const urls = made.filter((r) => r.method === "GET" && (r.batched || r.path.startsWith("/v1.0/"))).map((r) => `${ready.graphUrl}${r.batched ? `/v1.0${r.path}` : r.path}`);
    return { urls, authorization: `Bearer ${graphToken}`, concurrency: "4", requests: made.filter((r) => !r.batched).length };
  }
  const origin = new URL(ready.githubBaseUrl).origin;
  const urls = [...made.filter((r) => r.method === "GET").map((r) => `${origin}${r.path}`), ...made.filter((r) => r.method === "POST" && r.body !== undefined).map((r) => ({ url: `${origin}${r.path}`, body: r.body }))];
  return { urls, authorization: `token ${token}`, concurrency: "8", requests: made.length };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const runs = checkouts.map(() => [] as { wall: number; cpu: number; rss: number; fetchWall: number; fetchCpu: number; requests: number }[]);
let graphToken = "";
try {
  if (kind === "entra") {
    // The replay's token, asked for once outside the timed runs (fetch-child.ts gets it as a header).
    tls.setDefaultCACertificates([...tls.getCACertificates("default"), readFileSync(ready.caFile, "utf8")]);
    const body = new URLSearchParams({ grant_type: "client_credentials", client_id: appId, client_secret: secret, scope: `${ready.graphUrl}/.default` });
    graphToken = ((await (await fetch(`${ready.graphUrl}/${tenantId}/oauth2/v2.0/token`, { method: "POST", body })).json()) as { access_token: string }).access_token;
  }
  // Untimed, as main.ts does: the fixture process warms up on its first collection.
  await requests();
  child(join(checkouts[0], "bench/cloud/collect-child.ts"), [kind, source]);
  for (let p = 0; p < pairs; p++) {
    for (const [i, checkout] of checkouts.entries()) {
      await requests();
      const collected = child(join(checkout, "bench/cloud/collect-child.ts"), [kind, source]);
      if (collected.status !== "ok") throw new Error(`${checkout}: collection ${collected.status}`);
      const replay = replayOf(await requests());
      writeFileSync(join(work, "replay.json"), JSON.stringify(replay.urls));
      const fetched = child(here("./fetch-child.ts"), [join(work, "replay.json"), replay.authorization, replay.concurrency]);
      const run = { wall: collected.seconds, cpu: collected.cpuSeconds, rss: collected.maxRssBytes / 2 ** 20, fetchWall: fetched.seconds, fetchCpu: fetched.cpuSeconds, requests: replay.requests };
      runs[i].push(run);
      process.stderr.write(`pair ${p + 1} ${checkout}: ${JSON.stringify(run, (_k, v: unknown) => (typeof v === "number" ? Math.round(v * 100) / 100 : v))}\n`);
    }
  }
} finally {
  fixtures.send({ type: "stop" });
  rmSync(work, { recursive: true, force: true });
}
process.stdout.write("| checkout | HTTP requests | collector CPU / wall (median) | fetch CPU / wall (median) | collector / fetch, CPU (median of runs) | collector / fetch, wall (median of runs) | CPU against the first checkout (median of pairs) | peak RSS (median) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
for (const [i, checkout] of checkouts.entries()) {
  const r = runs[i];
  const m = (pick: (x: (typeof r)[number]) => number) => median(r.map(pick));
  const againstFirst = median(r.map((x, j) => x.cpu / runs[0][j].cpu));
  process.stdout.write(
    `| ${checkout} | ${m((x) => x.requests)} | ${m((x) => x.cpu).toFixed(2)} s / ${m((x) => x.wall).toFixed(2)} s | ${m((x) => x.fetchCpu).toFixed(2)} s / ${m((x) => x.fetchWall).toFixed(2)} s | ${m((x) => x.cpu / x.fetchCpu).toFixed(2)}× | ${m((x) => x.wall / x.fetchWall).toFixed(2)}× | ${againstFirst.toFixed(2)} | ${m((x) => x.rss).toFixed(0)} MiB |\n`,
  );
}
