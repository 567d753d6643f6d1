// The same measurement against OpenLDAP slapd, whose offline loader (slapadd) seeds 50k users
// in seconds: a second, quickly reproducible series for the live LDAP transport.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ldapEntrySearches } from "../../src/collectors/ldap/live-queries.ts";
import { freePort } from "../../test/live/slapd-server.ts";
import { measure } from "./measure.ts";

const slapd = new URL("../../test/live/slapd/", import.meta.url).pathname;
const password = "R00t!Slapd#2026";
const baseDN = "dc=legacy,dc=test";

export async function slapdSeries(sizes: number[]): Promise<string[]> {
  const rows: string[] = [];
  for (const size of sizes) {
    const dir = mkdtempSync(join(tmpdir(), "credgov-bench-slapd-"));
    const port = await freePort();
    try {
      // start once so start.sh writes slapd.conf, then load offline and start again
      execFileSync(join(slapd, "start.sh"), [dir, String(port), password]);
      execFileSync(join(slapd, "stop.sh"), [dir]);
      const ldif = [`dn: ${baseDN}\nobjectClass: dcObject\nobjectClass: organization\no: Legacy\ndc: legacy\n`, `dn: ou=people,${baseDN}\nobjectClass: organizationalUnit\nou: people\n`];
      for (let i = 0; i < size; i++) {
        ldif.push(`dn: uid=bench${i},ou=people,${baseDN}\nobjectClass: inetOrgPerson\nuid: bench${i}\ncn: Bench User ${i}\nsn: User ${i}\nmail: bench${i}@bench.test\ndescription: benchmark user\n`);
      }
      writeFileSync(join(dir, "bulk.ldif"), ldif.join("\n"));
      execFileSync("slapadd", ["-q", "-f", join(dir, "slapd.conf"), "-l", join(dir, "bulk.ldif")], { stdio: "ignore" });
      execFileSync(join(slapd, "start.sh"), [dir, String(port), password]);
      rows.push(...(await measure({ kind: "ldap", label: "slapd", url: `ldap://127.0.0.1:${port}`, baseDN, bindDN: `cn=admin,${baseDN}`, password, pageSize: 1000, searches: ldapEntrySearches(baseDN), scratchDir: dir }, size)));
      process.stderr.write(`${rows.slice(-3).join("\n")}\n`);
    } finally {
      execFileSync(join(slapd, "stop.sh"), [dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}
