import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";

const bin = new URL("../bin/credgov.js", import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

describe("credgov CLI", () => {
  it("prints its version", () => {
    const r = run("--version");
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it("lists every pipeline subcommand in --help", () => {
    const r = run("--help");
    expect(r.status).toBe(0);
    for (const c of ["collect", "evaluate", "scan", "drift", "rotate", "report", "policy", "snapshot"]) {
      expect(r.stdout).toContain(c);
    }
  });
  it("exits 2 on an unknown command", () => {
    const r = run("no-such-command");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command");
  });
});
