// `rotation.triggers` run at the end of `credgov scan`: for each trigger whose controls failed,
// a plan is written to rotation.dir; `notify` also fires the hooks' plan.created event, and
// `apply` also applies the plan (self-approved by the configuration, its digest journaled) when
// it has no more than maxItems items. A larger plan is written and notified, never applied.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Finding } from "../policy/engine/finding.ts";
import type { Snapshot } from "../snapshot/types.ts";
import type { CredgovConfig } from "../config/types.ts";
import { applyApprovedPlan, checkHookKeys, createPlan, eventSender, writePlan, writeRotationReport, type RotationEnvironment } from "./rotate.ts";
import { rotationSettings } from "./rotation-config.ts";

export interface TriggerOutcome {
  plan: string;
  digest: string;
  action: "plan" | "notify" | "apply";
  items: number;
  applied: boolean;
  committed?: number;
  failed?: number;
}

/**
 * Run by `scan` before it collects: a trigger that fires the hooks (notify, apply) must not
 * find a webhook's signing key missing only after a whole collection and evaluation.
 */
export function checkScanTriggers(config: CredgovConfig, env: NodeJS.ProcessEnv): void {
  const settings = rotationSettings(config);
  if (settings.triggers.some((t) => t.action !== "plan")) checkHookKeys(config, env, settings);
}

export async function runScanTriggers(
  environment: RotationEnvironment,
  input: { findings: Finding[]; findingsPath: string; snapshot: Snapshot; snapshotPath: string; now?: Date },
): Promise<TriggerOutcome[]> {
  const settings = rotationSettings(environment.config);
  if (settings.triggers.length === 0) return [];
  const failing = new Set(input.findings.filter((f) => f.status === "fail" && f.rotation.eligible && !f.excepted).map((f) => f.controlId));
  const outcomes: TriggerOutcome[] = [];
  const stamp = (input.now ?? new Date()).toISOString().replace(/[:.]/g, "-");
  for (const [index, trigger] of settings.triggers.entries()) {
    if (!trigger.controls.some((c) => failing.has(c))) continue;
    const plan = createPlan(environment, { snapshot: input.snapshot, snapshotPath: input.snapshotPath, findings: { findings: input.findings, path: input.findingsPath, controls: trigger.controls } });
    if (plan.items.length === 0 && plan.skipped.length === 0) continue;
    await mkdir(settings.dir, { recursive: true });
    const planPath = join(settings.dir, `plan-${stamp}-${index + 1}.json`);
    const digest = await writePlan(planPath, plan);
    const outcome: TriggerOutcome = { plan: planPath, digest, action: trigger.action, items: plan.items.length, applied: false };
    outcomes.push(outcome);
    environment.log(`rotation trigger ${index + 1} (${trigger.controls.join(", ")}): ${plan.items.length} item(s), ${plan.skipped.length} skipped; wrote ${planPath}`);
    if (trigger.action === "plan") continue;
    await eventSender(environment, settings)({ type: "plan.created", planDigest: digest, plan: planPath, items: plan.items.length, skipped: plan.skipped.length, controls: trigger.controls, action: trigger.action, at: new Date().toISOString() });
    if (trigger.action !== "apply" || plan.items.length === 0) continue;
    if (plan.items.length > trigger.maxItems) {
      environment.warn(`rotation trigger ${index + 1}: the plan has ${plan.items.length} items, more than maxItems ${trigger.maxItems}: written and notified, not applied (review ${planPath}, then credgov rotate apply)`);
      continue;
    }
    const journalPath = planPath.replace(/\.json$/, ".journal.jsonl");
    const result = await applyApprovedPlan(environment, { planPath, approve: digest, journalPath });
    await writeRotationReport({ journalPath, out: planPath.replace(/\.json$/, ".report.json") });
    outcome.applied = true;
    outcome.committed = result.counts.committed ?? 0;
    outcome.failed = result.counts.failed ?? 0;
    if (outcome.failed > 0) environment.warn(`rotation trigger ${index + 1}: ${outcome.failed} item(s) failed; see ${journalPath} (credgov rotate status / resume)`);
  }
  return outcomes;
}
