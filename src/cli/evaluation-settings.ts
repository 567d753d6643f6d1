// Evaluation settings that `evaluate` and `scan` share (command-line flags win over credgov.yaml),
// and the exit code of a run from its findings and completeness.
import { ExitCode, UserInputError } from "../errors.ts";
import type { CredgovConfig } from "../config/types.ts";
import { parseFailOn } from "../report/fail-on.ts";
import type { ReportOptions } from "./evaluate-and-report.ts";

/** Options that `evaluate` and `scan` share: flags win over credgov.yaml. */
export function resolveEvaluationSettings(
  cli: { failOn?: string; exceptions?: string; policies?: string[]; builtinPolicies: boolean; bundle?: string },
  config: CredgovConfig | undefined,
): Pick<ReportOptions, "failOn" | "exceptions" | "policies" | "builtin" | "bundle" | "thresholds" | "formats"> {
  const failOnText = cli.failOn ?? config?.output.failOn ?? "high";
  return {
    failOn: parseFailOn(failOnText, cli.failOn ? "--fail-on" : "output.failOn"),
    exceptions: cli.exceptions ?? config?.exceptions?.file,
    policies: [...(config?.policies.dirs ?? []), ...(cli.policies ?? [])],
    builtin: cli.builtinPolicies && (config?.policies.builtin ?? true),
    bundle: cli.bundle ?? config?.policies.bundle,
    thresholds: config?.thresholds,
    formats: config?.output.formats,
  };
}

export function checkRfc3339(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new UserInputError(`must be an RFC 3339 time such as 2026-06-01T00:00:00Z (got ${JSON.stringify(value)})`, { field: "--now" });
  }
  return value;
}

/** Exit 3 for an incomplete run takes precedence over findings, unless the user accepts it. */
export function runExitCode(failing: boolean, incomplete: readonly string[], allowIncomplete: boolean): ExitCode {
  if (incomplete.length > 0 && !allowIncomplete) return ExitCode.collectionIncomplete;
  return failing ? ExitCode.findings : ExitCode.ok;
}
