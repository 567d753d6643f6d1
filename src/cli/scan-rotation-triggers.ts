// The CLI side of `rotation.triggers` at the end of `credgov scan`: the trigger run of
// src/rotation/scan-triggers.ts on the findings and snapshot the scan just wrote, one line per plan.
import { join } from "node:path";
import type { CommandContext } from "./context.ts";
import type { CredgovConfig } from "../config/types.ts";
import { readFindingsJson } from "../report/outputs/json.ts";
import { runScanTriggers } from "../rotation/scan-triggers.ts";
import { readSnapshot } from "../snapshot/store.ts";
import { rotationEnvironment } from "./rotation-environment.ts";

export async function scanRotationTriggers(config: CredgovConfig, out: string, ctx: CommandContext): Promise<void> {
  if (!Array.isArray(config.rotation?.triggers) || config.rotation.triggers.length === 0) return;
  const findingsPath = join(out, "findings.json");
  const snapshotPath = join(out, "snapshot.json");
  const outcomes = await runScanTriggers(rotationEnvironment(config, ctx), { findings: await readFindingsJson(findingsPath), findingsPath, snapshot: await readSnapshot(snapshotPath), snapshotPath });
  for (const o of outcomes) {
    const applied = o.applied ? `; applied: ${o.committed} committed, ${o.failed} failed` : o.action === "apply" ? "; not applied" : "";
    ctx.output.info(`rotation plan ${o.plan} (${o.items} item(s), ${o.action})${applied}; approve with --approve ${o.digest}`);
  }
}
