// One benchmark row set: the live transport alone, the whole collector (transport +
// normalizer), and ldapsearch running the same searches as the floor.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { LdapSearch } from "../../src/collectors/ldap-common/ldap-connection.ts";
import { dumpWithLdapsearch } from "../../test/live/ldapsearch-dump.ts";

export interface Target {
  kind: "ad" | "ldap";
  label: string;
  url: string;
  baseDN: string;
  bindDN: string;
  password: string;
  pageSize: number;
  searches: LdapSearch[];
  scratchDir: string;
}

interface Run {
  seconds: number;
  entries: number;
  accounts: number;
  status: string;
  maxRssMB: number;
}

const here = new URL(".", import.meta.url).pathname;

function once(t: Target, mode: "transport" | "collector"): Run {
  const r = spawnSync(process.execPath, [join(here, "collect-once.ts"), t.kind, t.url, t.baseDN, t.bindDN, String(t.pageSize), mode], { env: { ...process.env, BENCH_PW: t.password }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`collect-once ${mode} failed: ${r.stderr}`);
  const run = JSON.parse(r.stdout) as Run;
  if (run.status !== "ok") throw new Error(`${t.label}: ${mode} collection not ok (${run.status})`);
  return run;
}

/** Returns markdown table rows: | server | users | reader | entries | s | entries/s | RSS | ratio | */
export async function measure(t: Target, users: number): Promise<string[]> {
  once(t, "transport"); // warm the server's caches so every contender reads a warm directory
  const out = join(t.scratchDir, "floor.ldif");
  const floor = await dumpWithLdapsearch(t.searches, { url: t.url, bindDN: t.bindDN, password: t.password, pageSize: t.pageSize }, out);
  rmSync(out, { force: true });
  const transport = once(t, "transport");
  const collector = once(t, "collector");
  const row = (what: string, s: number, rss: string) =>
    `| ${t.label} | ${users} | ${what} | ${transport.entries} | ${s.toFixed(2)} | ${Math.round(transport.entries / s)} | ${rss} | ${(s / floor).toFixed(2)}x |`;
  return [
    row("ldapsearch (floor)", floor, "-"),
    row("live transport", transport.seconds, transport.maxRssMB.toFixed(0)),
    row("collector (transport + normalizer)", collector.seconds, collector.maxRssMB.toFixed(0)),
  ];
}

export const TABLE_HEADER = ["| server | users | reader | entries | seconds | entries/s | peak RSS MB | vs ldapsearch |", "|---|---:|---|---:|---:|---:|---:|---:|"];
