// The trust tests drive credgov as a user does: the CLI in a child process, in a folder of its own.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const bin = fileURLToPath(new URL("../../bin/credgov.js", import.meta.url));

/** The bundled demo estate, which the tests copy and then break. */
export const demoDir = fileURLToPath(new URL("../../examples/demo/", import.meta.url));

/** Runs `credgov ARGS` in `cwd`, without colours. */
export function credgov(cwd: string, ...args: string[]) {
  // The timeout only keeps a regression (a hang) from stalling the suite; it is no speed goal.
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", timeout: 240_000, env: { ...process.env, NO_COLOR: "1" } });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}
