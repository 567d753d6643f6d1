// scan and evaluate draw the evidence pack's trend from the configured scan history, as
// `report --history` does, ending with the run being reported: the first scan has no history
// (no trend, and no database created by reading), the second draws two points, and evaluate
// with the same config draws the recorded scans plus itself.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const demo = new URL("../../examples/demo/", import.meta.url).pathname;
let work: string;

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args, "--quiet"], { cwd: work, encoding: "utf8", timeout: 170_000, env: { ...process.env, NO_COLOR: "1", CREDGOV_CONFIG: undefined, CREDGOV_SIGNING_KEY: undefined } });
  expect(r.status, r.stderr).toBe(0);
}

/** The trend chart's points (a circle per point for failing and one for passing), or null without a chart. */
function trendPoints(html: string): number | null {
  const start = html.indexOf("Trend of failing and passing subjects");
  if (start < 0) return null;
  const chart = html.slice(start, html.indexOf("</svg>", start));
  return (chart.match(/<circle /g) ?? []).length / 2;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "credgov-trend-"));
  cpSync(join(demo, "ad.ldif"), join(work, "ad.ldif"));
  // One small source keeps each scan short; history.path is the configured history.
  writeFileSync(join(work, "credgov.yaml"), "version: 1\nsources:\n  - { id: corp-ad, kind: ad, file: ad.ldif }\nhistory: { path: scans.db }\noutput: { failOn: none }\n");
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the evidence trend of scan and evaluate", () => {
  it("comes from the configured history and ends with this run", () => {
    run("scan", "--config", "credgov.yaml", "--out", "scan-1", "--format", "html");
    expect(trendPoints(readFileSync(join(work, "scan-1", "evidence.html"), "utf8"))).toBeNull();
    expect(readFileSync(join(work, "scan-1", "evidence.html"), "utf8")).toContain("No scan history was available");
    expect(existsSync(join(work, "scans.db"))).toBe(true); // recorded after the pack

    run("scan", "--config", "credgov.yaml", "--out", "scan-2", "--format", "html");
    expect(trendPoints(readFileSync(join(work, "scan-2", "evidence.html"), "utf8"))).toBe(2);

    run("evaluate", "--config", "credgov.yaml", "--snapshot", "scan-2/snapshot.json", "--out", "eval", "--format", "html");
    expect(trendPoints(readFileSync(join(work, "eval", "evidence.html"), "utf8"))).toBe(3);
  }, 600_000);

  it("is left out, without creating a database, when the configured history does not exist yet", () => {
    writeFileSync(join(work, "fresh.yaml"), "version: 1\nsources:\n  - { id: corp-ad, kind: ad, file: ad.ldif }\nhistory: { path: never.db }\noutput: { failOn: none }\n");
    run("evaluate", "--config", "fresh.yaml", "--snapshot", "scan-1/snapshot.json", "--out", "eval-fresh", "--format", "html");
    expect(trendPoints(readFileSync(join(work, "eval-fresh", "evidence.html"), "utf8"))).toBeNull();
    expect(existsSync(join(work, "never.db"))).toBe(false);
  }, 300_000);
});
