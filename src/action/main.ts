// Entry point of the GitHub Action (action.yml): runs `credgov scan` with the action's inputs,
// then hands its results to GitHub: counts per severity as step outputs, summary.md as the job
// summary, and workflow-command annotations on the lines of credgov.yaml (or the exception, or
// the control) that each failing control concerns. It exits 0 so that SARIF is uploaded even
// when the gate fails; action.yml's last step exits with credgov's code (output `exit-code`).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../config/load.ts";
import { builtinCatalogPath } from "../policy/catalog/load.ts";
import type { Finding } from "../policy/engine/finding.ts";
import { summarizeControls, totals } from "../report/control-summary.ts";
import { readFindingsJson } from "../report/outputs/json.ts";
import { renderGithubAnnotations } from "../report/outputs/github.ts";
import { loadRepositoryLocations } from "../report/repository-locations.ts";
import { readActionInputs, scanArguments } from "./inputs.ts";
import { appendStepSummary, setOutputs } from "./workflow-files.ts";

const credgovBin = fileURLToPath(new URL("../../bin/credgov.js", import.meta.url));

export async function runAction(env: NodeJS.ProcessEnv): Promise<number> {
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const inputs = readActionInputs(env);
  const run = spawnSync(process.execPath, [credgovBin, ...scanArguments(inputs)], { cwd: workspace, stdio: "inherit", env });
  const exitCode = run.status ?? 2;
  const out = resolve(workspace, inputs.out);
  const sarifFile = join(out, "results.sarif");
  const outputs: Record<string, string | number> = { "exit-code": exitCode, out: inputs.out, "sarif-file": existsSync(sarifFile) ? join(inputs.out, "results.sarif") : "" };
  const findingsFile = join(out, "findings.json");
  if (exitCode !== 2 && existsSync(findingsFile)) {
    const findings = await readFindingsJson(findingsFile);
    const t = totals(summarizeControls(findings));
    Object.assign(outputs, t.failedBySeverity, { failing: t.failed });
    const summary = join(out, "summary.md");
    if (existsSync(summary)) appendStepSummary(env, readFileSync(summary, "utf8"));
    process.stdout.write(annotations(findings, resolve(workspace, inputs.config), workspace));
  }
  setOutputs(env, outputs);
  return exitCode;
}

function annotations(findings: readonly Finding[], configFile: string, workspace: string): string {
  const catalogFiles = [builtinCatalogPath];
  try {
    for (const dir of loadConfig(configFile).policies.dirs ?? []) catalogFiles.push(join(dir, "catalog.yaml"));
  } catch {
    // scan already reported a configuration problem; annotate with the built-in catalog only
  }
  return renderGithubAnnotations(findings, { locations: loadRepositoryLocations({ configFile, catalogFiles }), rootDir: workspace });
}

if (import.meta.main) {
  const code = await runAction(process.env);
  process.stdout.write(`credgov exited ${code}\n`);
}
