// One timed live collection in its own process, so peak RSS is this collection's alone.
//   node collect-once.ts ad|ldap URL BASEDN BINDDN PAGESIZE transport|collector   (password in BENCH_PW)
// Prints {"seconds":…, "entries":…, "accounts":…, "maxRssMB":…, "status":…}.
import { adCollector } from "../../src/collectors/ad/index.ts";
import { LiveAdTransport } from "../../src/collectors/ad/live-transport.ts";
import { ldapCollector } from "../../src/collectors/ldap/index.ts";
import { LiveLdapTransport } from "../../src/collectors/ldap/live-transport.ts";
import { holdYoungGenerationSize } from "../../src/young-generation.ts";

// The heap setting every credgov command runs with (src/cli/main.ts).
holdYoungGenerationSize();

const [kind, url, baseDN, bindDN, pageSize, mode] = process.argv.slice(2) as ["ad" | "ldap", string, string, string, string, string];
const settings = { url, baseDN, bindDN, passwordEnv: "BENCH_PW", tls: { rejectUnauthorized: false }, pageSize: Number(pageSize) };
const context = { env: process.env, configDir: process.cwd() };
const started = performance.now();
let entries = 0;
let accounts: number;
let status: string;
if (mode === "transport") {
  const transport = kind === "ad" ? new LiveAdTransport(settings, context) : new LiveLdapTransport(settings, context);
  for await (const _ of transport.entries()) entries++;
  accounts = transport.outcome.queries.find((q) => q.step === "accounts")?.resultCount ?? 0;
  status = transport.outcome.status;
} else {
  const run = { ...context, progress: { step() {}, tick() {} }, log: () => {} };
  const part =
    kind === "ad" ? await adCollector.collect({ source: { id: "bench", kind: "ad", ...settings }, ...run }) : await ldapCollector.collect({ source: { id: "bench", kind: "ldap", ...settings }, ...run });
  entries = part.source.counts.entries ?? 0;
  accounts = part.accounts.length;
  status = part.source.status;
}
const seconds = (performance.now() - started) / 1000;
process.stdout.write(JSON.stringify({ seconds, entries, accounts, status, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + "\n");
