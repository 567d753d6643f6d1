// A throw-away Samba AD DC for integration tests: provisioned into a temp dir, LDAP only, on a
// loopback address of its own, seeded with the fixed estate described in samba/seed.sh.
// Set CREDGOV_LIVE_AD_URL (+ _BINDDN, _PASSWORD, _BASEDN) to test against a DC that already runs.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const scripts = new URL("./samba/", import.meta.url).pathname;

export interface SambaDc {
  ip: string;
  /** ldaps://ip:636 */
  url: string;
  /** ldap://ip:389 (plain; Samba refuses simple binds on it) */
  plainUrl: string;
  baseDN: string;
  bindDN: string;
  password: string;
  /** The DC's self-signed CA certificate (DIR/dc/private/tls/ca.pem). */
  caFile?: string;
  dir?: string;
  stop(): Promise<void>;
}

export const SEEDED_BASE_DN = "DC=live,DC=credgov,DC=test";
const ADMIN_PASSWORD = "Adm1n!Live#2026";

export async function loopbackAddress(): Promise<string> {
  if (process.getuid?.() !== 0) return "127.0.0.1"; // adding an alias to lo needs root
  let stdout: string;
  try {
    ({ stdout } = await run("ip", ["-4", "addr", "show", "dev", "lo"]));
  } catch {
    return "127.0.0.1"; // no iproute2: share 127.0.0.1 (one DC per machine at a time)
  }
  for (;;) {
    const candidate = `127.77.${process.pid % 250}.${1 + Math.floor(Math.random() * 250)}`;
    if (!stdout.includes(`inet ${candidate}/`)) return candidate;
  }
}

export async function startSambaDc(options: { seed?: "estate" | "none" } = {}): Promise<SambaDc> {
  const env = process.env;
  if (env.CREDGOV_LIVE_AD_URL) {
    const url = env.CREDGOV_LIVE_AD_URL;
    const host = new URL(url).hostname;
    return {
      ip: host, url, plainUrl: `ldap://${host}:389`, baseDN: env.CREDGOV_LIVE_AD_BASEDN ?? SEEDED_BASE_DN,
      bindDN: env.CREDGOV_LIVE_AD_BINDDN ?? "Administrator@live.credgov.test", password: env.CREDGOV_LIVE_AD_PASSWORD ?? ADMIN_PASSWORD,
      stop: async () => {},
    };
  }
  const dir = await mkdtemp(join(tmpdir(), "credgov-samba-"));
  const ip = await loopbackAddress();
  const stop = async () => {
    await run(join(scripts, "stop.sh"), [dir]).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await run(join(scripts, "provision.sh"), [dir, ip, ADMIN_PASSWORD]);
    await run(join(scripts, "start.sh"), [dir, ip]);
    if (options.seed !== "none") await run(join(scripts, "seed.sh"), [dir, ip, ADMIN_PASSWORD]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    ip, url: `ldaps://${ip}:636`, plainUrl: `ldap://${ip}:389`, baseDN: SEEDED_BASE_DN,
    bindDN: "Administrator@live.credgov.test", password: ADMIN_PASSWORD,
    caFile: join(dir, "dc/private/tls/ca.pem"), dir, stop,
  };
}
