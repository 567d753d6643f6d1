// Live directory collection benchmark (`npm run bench -- ldap`):
//  - Samba AD DC with 5k, 20k and 50k seeded users (--sizes=5000,20000): the live AD transport,
//    the whole ad collector (transport + normalizer), and `ldapsearch` running the same searches
//    as the floor. Seeding (seed-users.py, DC stopped) is not timed.
//  - OpenLDAP slapd with the same sizes (--slapd-sizes=...), seeded offline with slapadd.
// --only=samba or --only=slapd runs one series. Needs root, samba, slapd and ldap-utils.
// CREDGOV_BENCH_DC_DIR reuses (and grows) a Samba DC directory across runs: seeding 50k users
// into Samba takes many minutes on a small machine.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adEntrySearches, privilegedGroupSearch, transitiveMembersSearch, trusteeSearches } from "../../src/collectors/ad/live-queries.ts";
import { LiveAdTransport } from "../../src/collectors/ad/live-transport.ts";
import type { LdapSearch } from "../../src/collectors/ldap-common/ldap-connection.ts";
import { loopbackAddress } from "../../test/live/samba-dc.ts";
import { TABLE_HEADER, measure } from "./measure.ts";
import { slapdSeries } from "./slapd-series.ts";

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const sizes = (arg("sizes") ?? "5000,20000,50000").split(",").map(Number);
const slapdSizes = (arg("slapd-sizes") ?? arg("sizes") ?? "5000,20000,50000").split(",").map(Number);
const only = arg("only");
const here = new URL(".", import.meta.url).pathname;
const samba = new URL("../../test/live/samba/", import.meta.url).pathname;
const password = "Adm1n!Live#2026";
const baseDN = "DC=live,DC=credgov,DC=test";

async function sambaSeries(): Promise<string[]> {
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
  const rows: string[] = [];
  try {
    for (const size of sizes) {
      if (size < seeded) {
        process.stderr.write(`samba: skipping ${size}: the DC already holds ${seeded} bench users\n`);
        continue;
      }
      if (size > seeded) {
        process.stderr.write(`samba: seeding users ${seeded}..${size - 1} (not timed)\n`);
        execFileSync("/usr/bin/python3", [join(here, "seed-users.py"), join(dir, "dc/private/sam.ldb"), String(seeded), String(size)], { stdio: "inherit" });
        seeded = size;
        writeFileSync(countFile, String(seeded));
      }
      execFileSync(join(samba, "start.sh"), [dir, ip]);
      try {
        const url = `ldaps://${ip}:636`;
        const bindDN = "Administrator@live.credgov.test";
        const target = { kind: "ad" as const, label: "samba", url, baseDN, bindDN, password, pageSize: 1000, searches: await adSearchesOf(url, bindDN), scratchDir: dir };
        rows.push(...(await measure(target, size)));
        process.stderr.write(`${rows.slice(-3).join("\n")}\n`); // rows as they come: a long run may be cut short
      } finally {
        execFileSync(join(samba, "stop.sh"), [dir]);
      }
    }
  } finally {
    if (!process.env.CREDGOV_BENCH_DC_DIR) rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** Every search the live AD transport issues (the floor must do the same work), from one live run. */
async function adSearchesOf(url: string, bindDN: string): Promise<LdapSearch[]> {
  const live = new LiveAdTransport({ url, baseDN, bindDN, passwordEnv: "BENCH_PW", tls: { rejectUnauthorized: false } }, { env: { BENCH_PW: password }, configDir: here });
  for await (const _ of live.entries()) void _;
  const domainSid = live.outcome.queries.find((q) => q.step === "privilegedGroups")?.call.match(/objectSid=(S-1-5-21-[\d-]+)-512\)/)?.[1];
  return [
    ...adEntrySearches(baseDN, live.outcome.lapsAttributes),
    ...(domainSid ? [privilegedGroupSearch(baseDN, domainSid)] : []),
    ...Object.keys(live.outcome.privilegedMembers).map((group) => transitiveMembersSearch(baseDN, group)),
    ...trusteeSearches(baseDN, live.outcome.unresolvedTrustees),
  ];
}

const rows: string[] = [];
if (only !== "slapd") rows.push(...(await sambaSeries()));
if (only !== "samba") rows.push(...(await slapdSeries(slapdSizes)));
console.log([...TABLE_HEADER, ...rows].join("\n"));
