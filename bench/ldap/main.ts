// Live AD collection benchmark against a real Samba DC: 5k, 20k and 50k seeded users (override
// with --sizes=5000,20000), each collected by the live transport alone, by the whole ad collector
// (transport + normalizer), and by `ldapsearch` running the same searches as the floor.
// Seeding (bench/ldap/seed-users.py, DC stopped) is not timed. Needs root, samba, ldap-utils.
// CREDGOV_BENCH_DC_DIR reuses (and grows) a DC directory across runs.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adEntrySearches } from "../../src/collectors/ad/live-queries.ts";
import { dumpWithLdapsearch } from "../../test/live/ldapsearch-dump.ts";
import { loopbackAddress } from "../../test/live/samba-dc.ts";

const sizesArg = process.argv.find((a) => a.startsWith("--sizes="));
const sizes = (sizesArg ? sizesArg.slice(8) : "5000,20000,50000").split(",").map(Number);
const here = new URL(".", import.meta.url).pathname;
const samba = new URL("../../test/live/samba/", import.meta.url).pathname;
const password = "Adm1n!Live#2026";
const baseDN = "DC=live,DC=credgov,DC=test";
const bindDN = "Administrator@live.credgov.test";
const pageSize = 1000; // Samba's (and AD's) MaxPageSize

const dir = process.env.CREDGOV_BENCH_DC_DIR ?? mkdtempSync(join(tmpdir(), "credgov-bench-dc-"));
const ip = await loopbackAddress();
const countFile = join(dir, "bench-users");
if (!existsSync(join(dir, "dc/etc/smb.conf"))) execFileSync(join(samba, "provision.sh"), [dir, ip, password]);
else if (ip !== "127.0.0.1") {
  // reused directory: give the DC a fresh alias (stop.sh removes it again)
  execFileSync("ip", ["addr", "add", `${ip}/8`, "dev", "lo"]);
  writeFileSync(join(dir, "loopback-alias"), ip);
}
execFileSync("sed", ["-i", `s|^\\tinterfaces = .*|\\tinterfaces = ${ip}|`, join(dir, "dc/etc/smb.conf")]);
let seeded = existsSync(countFile) ? Number(readFileSync(countFile, "utf8")) : 0;
const url = `ldaps://${ip}:636`;

const rows: string[] = [];
try {
  for (const size of sizes) {
    if (size > seeded) {
      process.stderr.write(`seeding users ${seeded}..${size - 1} (not timed)\n`);
      execFileSync("/usr/bin/python3", [join(here, "seed-users.py"), join(dir, "dc/private/sam.ldb"), String(seeded), String(size)], { stdio: "inherit" });
      seeded = size;
      writeFileSync(countFile, String(seeded));
    }
    execFileSync(join(samba, "start.sh"), [dir, ip]);
    try {
      const once = (mode: string) => {
        const r = spawnSync(process.execPath, [join(here, "collect-once.ts"), url, baseDN, bindDN, String(pageSize), mode], { env: { ...process.env, BENCH_AD_PW: password }, encoding: "utf8" });
        if (r.status !== 0) throw new Error(`collect-once ${mode} failed: ${r.stderr}`);
        return JSON.parse(r.stdout) as { seconds: number; entries: number; accounts: number; status: string; maxRssMB: number };
      };
      once("transport"); // warm the DC's caches so every contender reads a warm directory
      const out = join(dir, "floor.ldif");
      const floor = await dumpWithLdapsearch(adEntrySearches(baseDN, []), { url, bindDN, password, pageSize }, out);
      const transport = once("transport");
      const collector = once("collector");
      rmSync(out, { force: true });
      if (transport.status !== "ok" || collector.status !== "ok") throw new Error(`collection not ok: ${transport.status}/${collector.status}`);
      const line = (what: string, s: number, rss: string) =>
        `| ${size} | ${what} | ${transport.entries} | ${s.toFixed(2)} | ${Math.round(transport.entries / s)} | ${rss} | ${(s / floor).toFixed(2)}x |`;
      const added = [
        line("ldapsearch (floor)", floor, "-"),
        line("live transport", transport.seconds, transport.maxRssMB.toFixed(0)),
        line("ad collector (transport + normalizer)", collector.seconds, collector.maxRssMB.toFixed(0)),
      ];
      rows.push(...added);
      process.stderr.write(`${added.join("\n")}\n`); // rows as they come: a long run may be cut short
      process.stderr.write(`${size}: done\n`);
    } finally {
      execFileSync(join(samba, "stop.sh"), [dir]);
    }
  }
} finally {
  if (!process.env.CREDGOV_BENCH_DC_DIR) rmSync(dir, { recursive: true, force: true });
}
console.log("| seeded users | reader | entries | seconds | entries/s | peak RSS MB | vs ldapsearch |");
console.log("|---:|---|---:|---:|---:|---:|---:|");
for (const row of rows) console.log(row);
