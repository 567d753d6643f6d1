// Runs the conformance runner as the user would (a child process) on a small committed sample of
// case files covering pass, fail, expected error, sort_bindings and skips.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const sample = path.join(repo, "test/policy/conformance/sample");
const tmp = mkdtempSync(path.join(tmpdir(), "credgov-conformance-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
// Each run starts worker threads that load the compiler; on a busy machine that takes tens of seconds.
vi.setConfig({ testTimeout: 240_000 });

function runner(...args: string[]) {
  const r = spawnSync(process.execPath, [path.join(repo, "src/policy/conformance/main.ts"), ...args], {
    cwd: repo,
    encoding: "utf8",
    timeout: 200_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("conformance runner arguments", () => {
  it("exits 2 naming the flag when the directory does not exist", () => {
    const r = runner("--backend", path.join(tmp, "missing"));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--backend: not a directory/);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("exits 2 on an unknown flag", () => {
    const r = runner("--backend", sample, "--bogus");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--bogus/);
  });

  it("exits 2 without a mode, and on a bad --jobs", () => {
    expect(runner().code).toBe(2);
    const r = runner("--backend", sample, "--jobs", "0");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--jobs: must be a positive integer/);
  });
});

describe("conformance runner on the sample", () => {
  it("prints the per-folder table and, last, the summary line; writes the failure report", () => {
    const report = path.join(tmp, "report.json");
    const r = runner("--backend", sample, "--report", report, "--jobs", "1");
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split("\n");
    expect(lines.at(-1)).toBe("conformance: 5 passed, 1 failed, 2 skipped");
    expect(r.out).toMatch(/^basics\s+3\s+1\s+2$/m);
    expect(r.out).toMatch(/^builtins\s+2\s+0\s+0$/m);

    const json = JSON.parse(readFileSync(report, "utf8"));
    expect(json.failures).toHaveLength(1);
    expect(json.failures[0]).toMatchObject({ note: "sample/wrong expectation", reason: "result differs", got: [{ x: 5 }], want: [{ x: 6 }] });
    const skipReasons = json.skips.map((s: { note: string; reason: string }) => `${s.note}: ${s.reason}`).sort();
    expect(skipReasons).toEqual([
      "sample/input term that is not JSON: input_term is a Rego term that JSON cannot carry",
      "sample/no plan: case has no plan",
    ]);
  });

  it("--min-passed is a floor: fewer passing cases exit 1 and say so", () => {
    const ok = runner("--backend", sample, "--min-passed", "5", "--report", path.join(tmp, "floor-ok.json"));
    expect(ok.code).toBe(0);
    const low = runner("--backend", sample, "--min-passed", "6", "--report", path.join(tmp, "floor-low.json"));
    expect(low.code).toBe(1);
    expect(low.err).toMatch(/5 cases passed, below the floor of 6/);
  });

  it("--filter selects cases by note", () => {
    const r = runner("--backend", sample, "--filter", "host builtin", "--report", path.join(tmp, "f.json"));
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("conformance: 2 passed, 0 failed, 0 skipped");
  });
});

describe("conformance runner --source", () => {
  it("compiles modules + query and compares with want_result", () => {
    const report = path.join(tmp, "source.json");
    const r = runner("--source", path.join(repo, "test/policy/conformance/sample-source"), "--report", report, "--jobs", "1");
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("conformance: 4 passed, 1 failed, 0 skipped");
    const json = JSON.parse(readFileSync(report, "utf8"));
    expect(json.mode).toBe("source");
    expect(json.failures.map((f: { note: string }) => f.note)).toEqual(["source/wrong expectation"]);
    expect(json.skips).toEqual([]);
  });
});

describe("conformance runner deadline", () => {
  it("cuts off a case that runs past --timeout and reports it as failed", () => {
    const report = path.join(tmp, "hang.json");
    const started = Date.now();
    const r = runner("--backend", path.join(repo, "test/policy/conformance/sample-hang"), "--timeout", "2000", "--jobs", "1", "--report", report);
    expect(r.code).toBe(0);
    expect(r.out.trimEnd().split("\n").at(-1)).toBe("conformance: 0 passed, 1 failed, 0 skipped");
    expect(JSON.parse(readFileSync(report, "utf8")).failures[0].reason).toBe("timed out after 2000 ms");
    expect(Date.now() - started).toBeLessThan(110_000); // the case itself sleeps 120 s
  });
});
