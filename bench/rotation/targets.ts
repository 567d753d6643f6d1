// Directories the rotation benchmark and crash test rotate: a slapd with N bulk accounts
// (StartTLS) and a Samba AD DC with N accounts in OU=Bench (LDAPS), each with a credgov work
// folder (config, age store) and a collected snapshot; plus an independent bind check that
// reads every account's current secret from the store and binds with it on plain ldapts.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Client, InvalidCredentialsError } from "ldapts";
import { AgeFileSink } from "../../src/rotation/sinks/age-file.ts";
import { startSambaDc, type SambaDc } from "../../test/live/samba-dc.ts";
import { startSlapd, type Slapd } from "../../test/live/slapd-server.ts";
import { rotationWork, type RotationWork } from "../../test/rotation/rotation-fixture.ts";

export interface Target {
  label: string;
  work: RotationWork;
  sourceId: string;
  selector: string;
  accounts: Array<{ name: string; dn: string }>;
  /** The same password changes made with the OpenLDAP command-line tools, one process each. */
  cliChange(account: { dn: string }, secret: string): string[];
  cliEnv: NodeJS.ProcessEnv;
  url: string;
  startTLS: boolean;
  /** Admin bind and the filter that finds accounts still carrying a user step (a password to change). */
  admin: { dn: string; password: string; base: string; userStepFilter: string };
  stop(): Promise<void>;
}

export async function slapdTarget(count: number): Promise<Target> {
  const slapd: Slapd = await startSlapd({ bulk: count });
  const ca = join(slapd.dir, "tls.crt");
  const extra = `    defaultPolicyDN: cn=default,ou=policies,${slapd.baseDN}\n`;
  const work = await rotationWork({ kind: "ldap", id: "legacy", url: slapd.url, startTLS: true, tls: `{ caFile: ${ca} }`, baseDN: slapd.baseDN, bindDN: slapd.bindDN, password: slapd.password, extra });
  await collectOrStop(work, () => slapd.dispose());
  return {
    label: "slapd",
    work,
    sourceId: "legacy",
    selector: "source=legacy;name=bulk*",
    accounts: Array.from({ length: count }, (_, i) => ({ name: `bulk${i}`, dn: `uid=bulk${i},ou=people,${slapd.baseDN}` })),
    cliChange: (account, secret) => ["ldappasswd", "-x", "-ZZ", "-H", slapd.url, "-D", slapd.bindDN, "-w", slapd.password, "-s", secret, account.dn],
    cliEnv: { ...process.env, LDAPTLS_CACERT: ca },
    url: slapd.url,
    startTLS: true,
    admin: { dn: slapd.bindDN, password: slapd.password, base: `ou=people,${slapd.baseDN}`, userStepFilter: "(pwdReset=TRUE)" },
    stop: async () => {
      await slapd.dispose();
      work.dispose();
    },
  };
}

export async function sambaTarget(count: number): Promise<Target> {
  const dc: SambaDc = await startSambaDc({ seed: "none" });
  const env = { ...process.env, LDAPTLS_REQCERT: "never" };
  const accounts = Array.from({ length: count }, (_, i) => ({ name: `bench${i}`, dn: `CN=bench${i},OU=Bench,${dc.baseDN}` }));
  const initial = Buffer.from('"Init!Bench#2026"', "utf16le").toString("base64");
  const ldif = [`dn: OU=Bench,${dc.baseDN}\nobjectClass: organizationalUnit\n`, ...accounts.map((a) => `dn: ${a.dn}\nobjectClass: user\nsAMAccountName: ${a.name}\nuserAccountControl: 512\nunicodePwd:: ${initial}\n`)].join("\n");
  execFileSync("ldapadd", ["-x", "-H", dc.url, "-D", dc.bindDN, "-w", dc.password], { input: ldif, env, stdio: ["pipe", "ignore", "inherit"] });
  const work = await rotationWork({ kind: "ad", id: "corp-ad", url: dc.url, startTLS: false, tls: "{ rejectUnauthorized: false }", baseDN: dc.baseDN, bindDN: dc.bindDN, password: dc.password });
  await collectOrStop(work, () => dc.stop());
  return {
    label: "Samba AD",
    work,
    sourceId: "corp-ad",
    selector: `source=corp-ad;ou=OU=Bench,${dc.baseDN}`,
    accounts,
    // Samba has no RFC 3062 Password Modify: the tool equivalent is ldapmodify replacing unicodePwd.
    cliChange: (account, secret) => ["sh", "-c", `printf 'dn: %s\\nchangetype: modify\\nreplace: unicodePwd\\nunicodePwd:: %s\\n-\\n' "$0" "$1" | ldapmodify -x -H ${dc.url} -D '${dc.bindDN}' -w '${dc.password}' > /dev/null`, account.dn, Buffer.from(`"${secret}"`, "utf16le").toString("base64")],
    cliEnv: env,
    url: dc.url,
    startTLS: false,
    admin: { dn: dc.bindDN, password: dc.password, base: `OU=Bench,${dc.baseDN}`, userStepFilter: "(pwdLastSet=0)" },
    stop: async () => {
      await dc.stop();
      work.dispose();
    },
  };
}

/** A failed set-up must not leave a server running. */
async function collectOrStop(work: RotationWork, stop: () => Promise<void>): Promise<void> {
  try {
    collect(work);
  } catch (error) {
    await stop();
    work.dispose();
    throw error;
  }
}

function collect(work: RotationWork): void {
  const r = work.credgov("collect", "--config", work.config, "--out", "snapshot.json");
  // 3: a bare DC's well-known foreign security principals are outside the read; the accounts
  // to rotate are all there, so the snapshot serves a mass reset.
  if (r.status !== 0 && r.status !== 3) throw new Error(`collect failed: ${r.stderr}`);
}

/** plan over the target's accounts; returns the plan path and digest. */
export function plan(target: Target, name: string): { plan: string; digest: string } {
  const r = target.work.credgov("rotate", "plan", "--config", target.work.config, "--snapshot", "snapshot.json", "--accounts", target.selector, "--out", `${name}.json`);
  if (r.status !== 0) throw new Error(`plan failed: ${r.stderr}`);
  return { plan: `${name}.json`, digest: r.stdout.trim() };
}

/** Binds as every account with the secret its sink holds as current; returns the failures. */
export async function lostAccounts(target: Target): Promise<string[]> {
  const sink = new AgeFileSink({ dir: join(target.work.dir, "store"), recipients: ["unused"], identity: target.work.identity });
  const client = new Client({ url: target.url, tlsOptions: target.url.startsWith("ldaps:") ? { rejectUnauthorized: false } : undefined, timeout: 30_000 });
  if (target.startTLS) await client.startTLS({ ca: [readFileSync(String(target.cliEnv.LDAPTLS_CACERT))], host: "127.0.0.1" });
  const lost: string[] = [];
  try {
    for (const account of target.accounts) {
      const current = await sink.read(`${target.sourceId}/${account.name}`, "current");
      if (!current) {
        lost.push(`${account.name}: no current secret in the sink`);
        continue;
      }
      try {
        await client.bind(account.dn, current.secret);
      } catch (error) {
        lost.push(`${account.name}: ${error instanceof InvalidCredentialsError ? "bind refused" : (error as Error).message}`);
      }
    }
  } finally {
    await client.unbind().catch(() => undefined);
  }
  return lost;
}

/** Accounts a person would still have to act on (OpenLDAP pwdReset, AD "must change"): must be none. */
export async function accountsWithUserStep(target: Target): Promise<string[]> {
  const client = new Client({ url: target.url, tlsOptions: target.url.startsWith("ldaps:") ? { rejectUnauthorized: false } : undefined, timeout: 30_000 });
  if (target.startTLS) await client.startTLS({ ca: [readFileSync(String(target.cliEnv.LDAPTLS_CACERT))], host: "127.0.0.1" });
  try {
    await client.bind(target.admin.dn, target.admin.password);
    const { searchEntries } = await client.search(target.admin.base, { scope: "sub", filter: target.admin.userStepFilter, attributes: ["1.1"], paged: true });
    const names = new Set(target.accounts.map((a) => a.dn.toLowerCase()));
    return searchEntries.map((e) => e.dn).filter((dn) => names.has(dn.toLowerCase()));
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, JSON.stringify(value, null, 2) + "\n");
}
