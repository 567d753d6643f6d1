// SIGKILL at random (seeded) points of `credgov scan --demo` never leaves a truncated or mixed
// output folder, and the next run recovers it into one complete run. A few trials here, in CI;
// the 50-trial figures come from `node test/trust/kill-scan.ts --trials 50` (see its header).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inspectFolder, killTrials } from "./kill-scan.ts";

describe("kill test", () => {
  it(
    "3 scans killed at seeded random points: every folder is whole runs only, then one complete run",
    async () => {
      const figures = await killTrials({ trials: 3, seed: 20261205 });
      expect(figures.problems).toEqual([]);
      expect(figures.bad).toBe(0);
    },
    600_000,
  );
});

describe("the kill test's folder check", () => {
  // It must be able to fail: folders the old writes left behind are caught.
  it("flags a truncated file, a visible temp file and one run's snapshot beside another's findings", async () => {
    const cut = mkdtempSync(join(tmpdir(), "credgov-check-"));
    writeFileSync(join(cut, "results.sarif"), '{"runs": [');
    writeFileSync(join(cut, "findings.json.1234.tmp"), "[]");
    expect((await inspectFolder(cut)).problems).toEqual(expect.arrayContaining([expect.stringMatching(/^results\.sarif does not parse/), "findings.json.1234.tmp: a temp file visible as an output"]));
    const mixed = mkdtempSync(join(tmpdir(), "credgov-check-"));
    writeFileSync(join(mixed, "snapshot.json"), "{}");
    writeFileSync(join(mixed, "findings.json"), "[]");
    writeFileSync(join(mixed, "run.json"), JSON.stringify({ runId: "a", tool: "t", finishedAt: "", files: { "snapshot.json": "0".repeat(64) } }));
    expect((await inspectFolder(mixed)).problems).toContain("run.json of run a does not match every visible file (mixed)");
    const unrecorded = mkdtempSync(join(tmpdir(), "credgov-check-"));
    writeFileSync(join(unrecorded, "snapshot.json"), "{}");
    expect((await inspectFolder(unrecorded)).problems).toEqual(["visible files of more than one run, or of none recorded: snapshot.json"]);
  });
});
