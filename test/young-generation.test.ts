// The young generation stays at its starting size once credgov's heap setting is applied, and
// grows without it: a Node whose V8 renamed or dropped the flag fails here instead of silently
// running every command with the grown young generation.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const setting = fileURLToPath(new URL("../src/young-generation.ts", import.meta.url));

/** Young generation size after keeping 60 MB of small objects, in a fresh process. */
function youngGenerationAfterRetaining(apply: boolean): { bytes: number; stderr: string } {
  const script = `
    import { getHeapSpaceStatistics } from "node:v8";
    import { holdYoungGenerationSize } from ${JSON.stringify(setting)};
    if (${apply}) holdYoungGenerationSize();
    const kept = [];
    for (let i = 0; i < 1_000_000; i++) kept.push({ name: "account-" + i, index: i });
    process.stdout.write(String(getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return { bytes: Number(r.stdout), stderr: r.stderr };
}

describe("young generation size", { timeout: 60_000 }, () => {
  it("is held at its starting size (two 1 MiB semi-spaces) under credgov's setting, and grows without it", () => {
    const held = youngGenerationAfterRetaining(true);
    const grown = youngGenerationAfterRetaining(false);
    expect(held.stderr).toBe("");
    expect(held.bytes).toBeLessThanOrEqual(2 * 2 ** 20);
    expect(grown.bytes).toBeGreaterThan(held.bytes);
  });
});
