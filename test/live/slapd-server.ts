// A throw-away OpenLDAP slapd with the ppolicy overlay for integration tests, on a free
// 127.0.0.1 port, with its own config and data in a temp dir, seeded by slapd/seed.sh.
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const scripts = new URL("./slapd/", import.meta.url).pathname;
const ROOT_PASSWORD = "R00t!Slapd#2026";

export interface Slapd {
  url: string;
  port: number;
  baseDN: string;
  bindDN: string;
  password: string;
  dir: string;
  /** SIGTERM, or SIGKILL to cut open connections mid-answer. */
  stop(kill?: boolean): Promise<void>;
  /** Starts it again on the same port and data (after stop). */
  start(): Promise<void>;
  /** Runs an OpenLDAP client tool (ldapadd, ldapdelete, ...) bound as the root DN. */
  admin(tool: string, args: string[], input?: string): Promise<void>;
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startSlapd(options: { bulk?: number } = {}): Promise<Slapd> {
  const dir = await mkdtemp(join(tmpdir(), "credgov-slapd-"));
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const baseDN = "dc=legacy,dc=test";
  const slapd: Slapd = {
    url, port, baseDN, bindDN: `cn=admin,${baseDN}`, password: ROOT_PASSWORD, dir,
    stop: async (kill = false) => void (await run(join(scripts, "stop.sh"), kill ? [dir, "--kill"] : [dir])),
    start: async () => void (await run(join(scripts, "start.sh"), [dir, String(port), ROOT_PASSWORD])),
    admin: async (tool, args, input) => {
      await new Promise<void>((resolve, reject) => {
        const child = execFile(tool, ["-x", "-H", url, "-D", `cn=admin,${baseDN}`, "-w", ROOT_PASSWORD, ...args], (error) => (error ? reject(error) : resolve()));
        child.stdin?.end(input ?? "");
      });
    },
    dispose: async () => {
      await slapd.stop().catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
  try {
    await slapd.start();
    await run(join(scripts, "seed.sh"), [dir, String(port), String(options.bulk ?? 0), ROOT_PASSWORD]);
  } catch (error) {
    await slapd.dispose();
    throw error;
  }
  return slapd;
}
