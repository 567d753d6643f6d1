// The young generation stops growing at credgov's limit once the setting is applied, and grows
// past it without: a Node whose V8 renamed or dropped the flag fails here instead of silently
// running every command with the grown young generation.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { youngGenerationLimitBytes } from "../src/young-generation.ts";

const setting = fileURLToPath(new URL("../src/young-generation.ts", import.meta.url));

/** Young generation size after keeping 100 MB of small objects, made a slice per event-loop turn (as streamed work is), in a fresh process. */
function youngGenerationAfterRetaining(apply: boolean): { bytes: number; stderr: string } {
  const script = `
    import { getHeapSpaceStatistics } from "node:v8";
    import { setImmediate as nextTurn } from "node:timers/promises";
    import { holdYoungGenerationSize } from ${JSON.stringify(setting)};
    if (${apply}) holdYoungGenerationSize();
    const kept = [];
    for (let slice = 0; slice < 200; slice++) {
      for (let i = 0; i < 10_000; i++) kept.push({ name: "account-" + slice + "-" + i, index: i });
      await nextTurn();
    }
    process.stdout.write(String(getHeapSpaceStatistics().find((s) => s.space_name === "new_space").space_size));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return { bytes: Number(r.stdout), stderr: r.stderr };
}

describe("young generation size", { timeout: 60_000 }, () => {
  it("stops growing at credgov's limit under its setting, and grows past it without", () => {
    const held = youngGenerationAfterRetaining(true);
    const grown = youngGenerationAfterRetaining(false);
    expect(held.stderr).toBe("");
    expect(held.bytes).toBeLessThanOrEqual(youngGenerationLimitBytes);
    expect(grown.bytes).toBeGreaterThan(youngGenerationLimitBytes);
  });
});
