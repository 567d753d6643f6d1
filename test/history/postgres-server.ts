// A throw-away PostgreSQL 15 (Debian) for history tests: initdb into a temp dir owned by the
// postgres user (initdb refuses root), pg_ctl on a free loopback port, stopped by the tests.
import { execFile } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const bin = "/usr/lib/postgresql/15/bin";

export interface Postgres {
  /** postgres://credgov@127.0.0.1:PORT/credgov (trust authentication: no password). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs a PostgreSQL tool as the postgres user when we are root, else as ourselves. */
async function asPostgres(tool: string, args: string[]): Promise<void> {
  if (userInfo().uid === 0) await run("runuser", ["-u", "postgres", "--", join(bin, tool), ...args]);
  else await run(join(bin, tool), args);
}

export async function startPostgres(): Promise<Postgres> {
  const dir = mkdtempSync(join(tmpdir(), "credgov-pg-"));
  if (userInfo().uid === 0) {
    const { stdout } = await run("id", ["-u", "postgres"]);
    const { stdout: gid } = await run("id", ["-g", "postgres"]);
    chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  chmodSync(dir, 0o700);
  const port = await freePort();
  await asPostgres("initdb", ["-D", join(dir, "data"), "-A", "trust", "-U", "credgov", "--no-sync"]);
  await asPostgres("pg_ctl", ["-D", join(dir, "data"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "-l", join(dir, "log"), "-w", "start"]);
  await asPostgres("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "credgov", "credgov"]);
  return {
    url: `postgres://credgov@127.0.0.1:${port}/credgov`,
    port,
    stop: async () => {
      await asPostgres("pg_ctl", ["-D", join(dir, "data"), "-m", "fast", "-w", "stop"]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh empty database on the server, so tests do not see each other's scans. */
export async function createDatabase(pgServer: Postgres, name: string): Promise<string> {
  await asPostgres("createdb", ["-h", "127.0.0.1", "-p", String(pgServer.port), "-U", "credgov", name]);
  return `postgres://credgov@127.0.0.1:${pgServer.port}/${name}`;
}
