// `credgov scan` with rotation triggers that fire the hooks checks every webhook's signing key
// before it collects: a missing key is exit 2 naming the variable and the field, and nothing is
// collected. A trigger that only writes plans fires no hook, so it needs no key.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { afterAll, describe, expect, it } from "vitest";

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const demo = new URL("../../examples/demo/", import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function scan(action: "notify" | "plan") {
  const dir = mkdtempSync(join(tmpdir(), "credgov-hook-key-"));
  dirs.push(dir);
  const recipient = await identityToRecipient(await generateX25519Identity());
  writeFileSync(
    join(dir, "credgov.yaml"),
    `version: 1
sources:
  - { id: entra, kind: entra, dir: ${JSON.stringify(join(demo, "entra"))} }
rotation:
  sink: { kind: age-file, dir: store, recipients: [${recipient}] }
  triggers:
    - controls: [CG-NHI-001]
      action: ${action}
  hooks:
    - kind: exec
      argv: [${JSON.stringify(process.execPath)}, -e, "0"]
    - kind: webhook
      url: http://127.0.0.1:9/events
      secretEnv: CREDGOV_TEST_UNSET_HOOK_KEY
`,
  );
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.CREDGOV_TEST_UNSET_HOOK_KEY;
  const result = spawnSync(process.execPath, [bin, "scan", "--config", "credgov.yaml", "--out", "out"], { cwd: dir, env, encoding: "utf8" });
  return { ...result, dir };
}

describe("scan: webhook signing key", { timeout: 60_000 }, () => {
  it("missing with a notify trigger: exit 2 before collecting, naming the variable and the field", async () => {
    const result = await scan("notify");
    expect(result.status, result.stderr).toBe(2);
    expect(result.stderr).toMatch(/CREDGOV_TEST_UNSET_HOOK_KEY is not set/);
    expect(result.stderr).toContain("rotation.hooks[1].secretEnv");
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(result.dir, "out", "snapshot.json"))).toBe(false);
  });

  it("a trigger that only writes plans fires no hook: the scan runs", async () => {
    const result = await scan("plan");
    expect([0, 1, 3], result.stderr).toContain(result.status);
    expect(existsSync(join(result.dir, "out", "snapshot.json"))).toBe(true);
  });
});
