// The GitHub Action's entry point run as Actions runs it: a workspace holding credgov.yaml,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, GITHUB_WORKSPACE, and the inputs action.yml
// passes as INPUT_* variables. Real scans of the demo estate, no stubs.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import type { Finding } from "../../src/policy/engine/finding.ts";

const entry = new URL("../../src/action/main.ts", import.meta.url).pathname;
const demo = new URL("../../examples/demo/", import.meta.url).pathname;
let workspace: string;

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), "credgov-action-"));
  cpSync(demo, workspace, { recursive: true });
});
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

function runAction(inputs: Record<string, string>, name: string) {
  const outputFile = join(workspace, `${name}.output`);
  const summaryFile = join(workspace, `${name}.summary`);
  writeFileSync(outputFile, "");
  writeFileSync(summaryFile, "");
  const r = spawnSync(process.execPath, [entry], {
    cwd: tmpdir(), // the runner's cwd is not the workspace; GITHUB_WORKSPACE is what counts
    encoding: "utf8",
    timeout: 150_000,
    env: { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "true", GITHUB_WORKSPACE: workspace, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, ...inputs },
  });
  const outputs = Object.fromEntries(
    readFileSync(outputFile, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
  return { r, outputs, summary: readFileSync(summaryFile, "utf8") };
}

describe("GitHub Action entry point", () => {
  it("scans, sets counts per severity, writes the job summary and annotates credgov.yaml lines; exits 0 with credgov's code as output", () => {
    const { r, outputs, summary } = runAction({ INPUT_CONFIG: "credgov.yaml", INPUT_FAIL_ON: "high", INPUT_OUT: "evidence", INPUT_FORMAT: "sarif junit md", INPUT_SARIF_CATEGORY: "nightly" }, "full");
    expect(r.status).toBe(0);
    const findings = JSON.parse(readFileSync(join(workspace, "evidence", "findings.json"), "utf8")) as Finding[];
    const failing = findings.filter((f) => f.status === "fail" && !f.excepted);
    for (const severity of ["critical", "high", "medium", "low", "info"] as const) {
      expect(outputs[severity]).toBe(String(failing.filter((f) => f.severity === severity).length));
    }
    expect(Number(outputs.critical)).toBeGreaterThan(0);
    expect(outputs.failing).toBe(String(failing.length));
    expect(outputs["exit-code"]).toBe("1"); // high findings in the demo estate
    expect(outputs["sarif-file"]).toBe("evidence/results.sarif");
    const sarif = JSON.parse(readFileSync(join(workspace, "evidence", "results.sarif"), "utf8")) as { runs: Array<{ automationDetails: { id: string } }> };
    expect(sarif.runs[0].automationDetails.id).toBe("nightly/");
    expect(existsSync(join(workspace, "evidence", "junit.xml"))).toBe(true);
    expect(summary).toContain("# credgov findings");
    expect(summary).toContain("CG-RESET-003");

    // Annotations: workflow commands on the source entries of credgov.yaml.
    const config = readFileSync(join(workspace, "credgov.yaml"), "utf8").split("\n");
    const annotations = r.stdout.split("\n").filter((l) => l.startsWith("::"));
    expect(annotations.length).toBeGreaterThan(0);
    for (const a of annotations) {
      const m = /^::(error|warning|notice) file=credgov\.yaml,line=(\d+),title=(CG-[A-Z]+-\d+) \((\w+)\)%3A [^:]+::(.+)$/.exec(a);
      expect(m, a).not.toBeNull();
      const [, level, line, , severity] = m as RegExpExecArray;
      expect(config[Number(line) - 1]).toMatch(/^ {2}- id: /);
      expect(level).toBe({ critical: "error", high: "error", medium: "warning", low: "notice", info: "notice" }[severity]);
    }
    const resetCorp = annotations.find((a) => a.includes("title=CG-RESET-003") && a.includes(`line=${config.indexOf("  - id: corp-ad") + 1},`));
    expect(resetCorp).toMatch(/failing subjects in corp-ad: /);
  }, 180_000);

  it("passes controls and fail-on through: only the chosen controls, exit-code 0 under fail-on none; no SARIF when not asked for", () => {
    const { r, outputs } = runAction({ INPUT_CONTROLS: "CG-SAAS-*, CG-HYG-003", INPUT_FAIL_ON: "none", INPUT_OUT: "gate", INPUT_FORMAT: "md" }, "gate");
    expect(r.status).toBe(0);
    expect(outputs["exit-code"]).toBe("0");
    expect(outputs["sarif-file"]).toBe("");
    const findings = JSON.parse(readFileSync(join(workspace, "gate", "findings.json"), "utf8")) as Finding[];
    expect(new Set(findings.map((f) => f.controlId))).toEqual(new Set(["CG-SAAS-001", "CG-HYG-003"]));
  }, 180_000);

  it("reports a configuration error as exit-code 2 with no counts", () => {
    writeFileSync(join(workspace, "broken.yaml"), "version: 1\nsources: []\nsourcez: 1\n");
    const { r, outputs } = runAction({ INPUT_CONFIG: "broken.yaml", INPUT_OUT: "broken" }, "broken");
    expect(r.status).toBe(0);
    expect(outputs["exit-code"]).toBe("2");
    expect(outputs.critical).toBeUndefined();
    expect(r.stderr).toContain("broken.yaml");
  }, 60_000);
});

describe("action.yml", () => {
  const action = parse(readFileSync(new URL("../../action.yml", import.meta.url), "utf8")) as {
    inputs: Record<string, unknown>;
    outputs: Record<string, { value: string }>;
    runs: { steps: Array<{ env?: Record<string, string>; uses?: string; run?: string }> };
  };

  it("passes every input to the entry point (or the upload step) and maps every output from it", () => {
    const scan = action.runs.steps.find((s) => s.run?.includes("src/action/main.ts"));
    const passed = new Set(Object.values(scan?.env ?? {}).map((v) => /inputs\.([\w-]+)/.exec(v)?.[1]));
    for (const input of Object.keys(action.inputs)) {
      if (input === "upload-sarif") continue; // used by the upload step's condition
      expect(passed.has(input), input).toBe(true);
    }
    for (const [name, output] of Object.entries(action.outputs)) expect(output.value).toBe(`\${{ steps.scan.outputs.${name} }}`);
    expect(action.runs.steps.some((s) => s.uses?.startsWith("github/codeql-action/upload-sarif@"))).toBe(true);
  });
});
