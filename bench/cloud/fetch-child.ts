// The baseline: the same GET requests the collector made, with Node's fetch and nothing else
// (body read and JSON-parsed). Requests to one path run one after another, as paging does;
// different paths run `concurrency` at a time, as the collector's limit allows.
import { readFileSync, writeSync } from "node:fs";

const [listFile, authorization, concurrencyArg] = process.argv.slice(2);
const urls = JSON.parse(readFileSync(listFile, "utf8")) as string[];
const groups = new Map<string, string[]>();
for (const url of urls) {
  const key = new URL(url).pathname;
  groups.set(key, [...(groups.get(key) ?? []), url]);
}
const queue = [...groups.values()];
const start = process.hrtime.bigint();
let items = 0;
async function worker(): Promise<void> {
  for (let group = queue.shift(); group; group = queue.shift()) {
    for (const url of group) {
      const response = await fetch(url, { headers: { authorization, accept: "application/json" } });
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      const body = (await response.json()) as unknown;
      items += Array.isArray(body) ? body.length : Array.isArray((body as { value?: unknown[] }).value) ? (body as { value: unknown[] }).value.length : 1;
    }
  }
}
await Promise.all(Array.from({ length: Number(concurrencyArg) }, worker));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
writeSync(3, JSON.stringify({ seconds, requests: urls.length, items, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
