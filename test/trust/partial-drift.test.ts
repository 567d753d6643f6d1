// Scan-to-scan drift built on a snapshot whose collection was incomplete: what the missing export
// held shows up as "removed", so the run must say the comparison is incomplete and exit 3, as
// evaluate and scan do (it used to exit 0 and list the uncollected deploy key as removed).
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { credgov, demoDir } from "./run-credgov.ts";



describe("drift --since on an incomplete snapshot", () => {
  it(
    "exits 3 naming the source that was not collected in full, in the terminal and in drift.json",
    () => {
      const dir = mkdtempSync(join(tmpdir(), "credgov-partial-drift-"));
      cpSync(demoDir, dir, { recursive: true });
      expect(credgov(dir, "collect", "--config", "credgov.yaml", "--source", "github", "--out", "before.json").code).toBe(0);
      rmSync(join(dir, "github", "repos", "service-0", "deploy-keys.json"));
      expect(credgov(dir, "collect", "--config", "credgov.yaml", "--source", "github", "--out", "after.json").code).toBe(3);

      const r = credgov(dir, "drift", "--snapshot", "after.json", "--since", "before.json", "--config", "credgov.yaml", "--out", "drift");
      expect(r.code).toBe(3);
      expect(r.stderr).toContain("incomplete: github (partial) was not collected in full: what it left unknown may show as removed, added or changed");
      const report = JSON.parse(readFileSync(join(dir, "drift", "drift.json"), "utf8")) as { summary: { incompleteSources: string[] } };
      expect(report.summary.incompleteSources).toEqual(["github (partial)"]);

      // scan judges the drift it found all the same: with --allow-incomplete, --fail-on-drift exits 1.
      const scan = credgov(dir, "scan", "--config", "credgov.yaml", "--out", "scan", "--no-history", "--since", "before.json", "--fail-on-drift", "--allow-incomplete", "--fail-on", "none");
      expect(scan.code, scan.stderr).toBe(1);
    },
    300_000,
  );
});
