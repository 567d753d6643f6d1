// The files GitHub Actions gives a step: GITHUB_OUTPUT (step outputs, `name=value` lines) and
// GITHUB_STEP_SUMMARY (markdown shown on the run's page). Outside Actions both are unset and
// nothing is written.
import { appendFileSync } from "node:fs";

export function setOutputs(env: NodeJS.ProcessEnv, outputs: Record<string, string | number>): void {
  if (!env.GITHUB_OUTPUT) return;
  const lines = Object.entries(outputs).map(([name, value]) => {
    const text = String(value);
    // A value with a newline needs the heredoc form, with a delimiter the value cannot contain.
    if (!/[\r\n]/.test(text)) return `${name}=${text}\n`;
    const delimiter = `credgov_${Math.random().toString(36).slice(2)}`;
    return `${name}<<${delimiter}\n${text}\n${delimiter}\n`;
  });
  appendFileSync(env.GITHUB_OUTPUT, lines.join(""));
}

export function appendStepSummary(env: NodeJS.ProcessEnv, markdown: string): void {
  if (!env.GITHUB_STEP_SUMMARY) return;
  appendFileSync(env.GITHUB_STEP_SUMMARY, markdown.endsWith("\n") ? markdown : `${markdown}\n`);
}
