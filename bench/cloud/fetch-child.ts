// The baseline: the same requests the collector made, with Node's fetch and nothing else (body
// read and JSON-parsed): GETs by URL, GraphQL queries as POSTs of the same body. Requests to one
// path run one after another, as paging does; different paths run `concurrency` at a time, as
// the collector's limit allows.
import { readFileSync, writeSync } from "node:fs";

const [listFile, authorization, concurrencyArg] = process.argv.slice(2);
type Replayed = string | { url: string; body: string };
const urls = JSON.parse(readFileSync(listFile, "utf8")) as Replayed[];
const groups = new Map<string, Replayed[]>();
for (const request of urls) {
  const key = new URL(typeof request === "string" ? request : request.url).pathname;
  groups.set(key, [...(groups.get(key) ?? []), request]);
}
const queue = [...groups.values()];
const faultsAtStart = process.resourceUsage().minorPageFault;
const start = process.hrtime.bigint();
const cpuAtStart = process.cpuUsage();
let items = 0;
async function worker(): Promise<void> {
  for (let group = queue.shift(); group; group = queue.shift()) {
    for (const request of group) {
      const url = typeof request === "string" ? request : request.url;
      const post = typeof request === "string" ? {} : { method: "POST", body: request.body, headers: { authorization, accept: "application/json", "content-type": "application/json" } };
      const response = await fetch(url, { headers: { authorization, accept: "application/json" }, ...post });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      const body = (await response.json()) as unknown;
      items += Array.isArray(body) ? body.length : Array.isArray((body as { value?: unknown[] }).value) ? (body as { value: unknown[] }).value.length : 1;
    }
  }
}
await Promise.all(Array.from({ length: Number(concurrencyArg) }, worker));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuAtStart);
writeSync(3, JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, pageFaults: process.resourceUsage().minorPageFault - faultsAtStart, requests: urls.length, items, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
