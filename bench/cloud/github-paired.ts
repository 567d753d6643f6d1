// Paired runs of the live GitHub collector of several checkouts (e.g. the commit before a change
// and after it), alternating A B A B ... against one fixture process, each collection followed by
// the plain-fetch replay of the requests it made (as `npm run bench -- cloud` does). On a shared
// machine single runs say little; pairs taken a few seconds apart compare.
//   node bench/cloud/github-paired.ts [--pairs=5] [--members=5000] [--repos=2000] CHECKOUT...
// Each CHECKOUT is a credgov directory with its node_modules; this checkout's fixture process is used.
import { fork, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const arg = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const checkouts = process.argv.slice(2).filter((a) => !a.startsWith("--")).map((c) => resolve(c));
if (checkouts.length === 0) throw new Error("name at least one checkout directory");
const pairs = arg("pairs", 5);
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));
const token = `ghp_${randomUUID().replaceAll("-", "")}`;
const work = mkdtempSync(join(tmpdir(), "credgov-bench-github-"));
const fixtures = fork(here("./fixture-process.ts"), ["10", "2", "1", String(arg("members", 5000)), String(arg("repos", 2000)), randomUUID(), token, "bbbbbbbb-0000-4000-8000-00000000000b", "cccccccc-0000-4000-8000-00000000000c"], {
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const next = <T>(type: string) => new Promise<T>((done) => fixtures.once("message", (m: { type: string }) => m.type === type && done(m as T)));
const ready = await next<{ githubBaseUrl: string; caFile: string }>("ready");
const env = { ...process.env, NODE_EXTRA_CA_CERTS: ready.caFile, BENCH_GITHUB_TOKEN: token };
const source = JSON.stringify({ id: "github", kind: "github", org: "bench-org", tokenEnv: "BENCH_GITHUB_TOKEN", baseUrl: ready.githubBaseUrl, timeoutMs: 120_000 });

interface Recorded {
  method: string;
  path: string;
  body?: string;
}
async function requests(): Promise<Recorded[]> {
  const reply = next<{ github: Recorded[] }>("requests");
  fixtures.send({ type: "requests" });
  return (await reply).github;
}
function child(script: string, args: string[]): { seconds: number; cpuSeconds: number; maxRssBytes: number; status?: string } {
  const r = spawnSync(process.execPath, [script, ...args], { env, stdio: ["ignore", "inherit", "inherit", "pipe"], maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${script} exited ${r.status}`);
  return JSON.parse(r.output[3]!.toString()) as { seconds: number; cpuSeconds: number; maxRssBytes: number; status?: string };
}

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const runs = checkouts.map(() => [] as { wall: number; cpu: number; rss: number; fetchWall: number; fetchCpu: number; requests: number }[]);
try {
  for (let p = 0; p < pairs; p++) {
    for (const [i, checkout] of checkouts.entries()) {
      await requests();
      const collected = child(join(checkout, "bench/cloud/collect-child.ts"), ["github", source]);
      if (collected.status !== "ok") throw new Error(`${checkout}: collection ${collected.status}`);
      const made = await requests();
      const origin = new URL(ready.githubBaseUrl).origin;
      const replay = [...made.filter((r) => r.method === "GET").map((r) => `${origin}${r.path}`), ...made.filter((r) => r.method === "POST" && r.body !== undefined).map((r) => ({ url: `${origin}${r.path}`, body: r.body }))];
      writeFileSync(join(work, "github.json"), JSON.stringify(replay));
      const fetched = child(here("./fetch-child.ts"), [join(work, "github.json"), `token ${token}`, "8"]);
      const run = { wall: collected.seconds, cpu: collected.cpuSeconds, rss: collected.maxRssBytes / 2 ** 20, fetchWall: fetched.seconds, fetchCpu: fetched.cpuSeconds, requests: made.length };
      runs[i].push(run);
      process.stderr.write(`pair ${p + 1} ${checkout}: ${JSON.stringify(run, (_k, v: unknown) => (typeof v === "number" ? Math.round(v * 100) / 100 : v))}\n`);
    }
  }
} finally {
  fixtures.send({ type: "stop" });
  rmSync(work, { recursive: true, force: true });
}
process.stdout.write("| checkout | requests | collector CPU / wall (median) | fetch CPU / wall (median) | collector / fetch, CPU (median of runs) | collector / fetch, wall (median of runs) | CPU against the first checkout (median of pairs) | peak RSS (median) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n");
for (const [i, checkout] of checkouts.entries()) {
  const r = runs[i];
  const m = (pick: (x: (typeof r)[number]) => number) => median(r.map(pick));
  const againstFirst = median(r.map((x, j) => x.cpu / runs[0][j].cpu));
  process.stdout.write(
    `| ${checkout} | ${m((x) => x.requests)} | ${m((x) => x.cpu).toFixed(2)} s / ${m((x) => x.wall).toFixed(2)} s | ${m((x) => x.fetchCpu).toFixed(2)} s / ${m((x) => x.fetchWall).toFixed(2)} s | ${m((x) => x.cpu / x.fetchCpu).toFixed(2)}× | ${m((x) => x.wall / x.fetchWall).toFixed(2)}× | ${againstFirst.toFixed(2)} | ${m((x) => x.rss).toFixed(0)} MiB |\n`,
  );
}
