// One timed live AD collection in its own process, so peak RSS is this collection's alone.
//   node collect-once.ts URL BASEDN BINDDN PAGESIZE transport|collector   (password in BENCH_AD_PW)
// Prints {"seconds":…, "entries":…, "accounts":…, "maxRssMB":…, "status":…}.
import { adCollector } from "../../src/collectors/ad/index.ts";
import { LiveAdTransport } from "../../src/collectors/ad/live-transport.ts";

const [url, baseDN, bindDN, pageSize, mode] = process.argv.slice(2) as [string, string, string, string, string];
const settings = { url, baseDN, bindDN, passwordEnv: "BENCH_AD_PW", tls: { rejectUnauthorized: false }, pageSize: Number(pageSize) };
const started = performance.now();
let entries = 0;
let accounts: number;
let status: string;
if (mode === "transport") {
  const transport = new LiveAdTransport(settings, { env: process.env, configDir: process.cwd() });
  for await (const _ of transport.entries()) entries++;
  accounts = transport.outcome.queries.find((q) => q.step === "accounts")?.resultCount ?? 0;
  status = transport.outcome.status;
} else {
  const part = await adCollector.collect({ source: { id: "bench", kind: "ad", ...settings }, configDir: process.cwd(), env: process.env, progress: { step() {}, tick() {} }, log: () => {} });
  entries = part.source.counts.entries ?? 0;
  accounts = part.accounts.length;
  status = part.source.status;
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(JSON.stringify({ seconds, entries, accounts, status, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + "\n");
