// `credgov rotate`: plan, approve and apply rotation of flagged credentials (plan, apply, resume,
// status, report), and the rotation triggers `scan` runs.
import { replaceSpecialTargets } from "../../io/atomic-write.ts";
import { dirname, resolve } from "node:path";
import { Option, type Command } from "commander";
import type { CommandContext } from "../context.ts";
import { UserInputError } from "../../errors.ts";
import { ExitCode } from "../../errors.ts";
import { rotationEnvironment } from "../rotation-environment.ts";
import { readFindingsJson } from "../../report/outputs/json.ts";
import { readSnapshot } from "../../snapshot/store.ts";
import type { ItemState } from "../../rotation/journal-record.ts";
import { applyApprovedPlan, createPlan, eventSender, journalStatus, resumeJournal, writePlan, writeRotationReport } from "../../rotation/rotate.ts";
import type { RunOutcome } from "../../rotation/runner.ts";


interface RunFlags {
  config: string;
  concurrency?: string;
  rate?: string;
  stopAfter?: string;
  report?: string;
  force?: boolean;
}

export function registerRotate(program: Command, ctx: CommandContext): void {
  const rotate = program
    .command("rotate")
    .description("plan, approve and apply central rotation of flagged credentials")
    .addHelpText(
      "after",
      `
Flow: plan (no secret, dry run) -> review -> apply with the plan's SHA-256 -> report.
Each item: generated -> stored pending in the sink -> set in the directory -> verified by
binding as the account -> promoted to current in the sink -> committed, journaled with fsync.
Exit codes: 0 every item committed, 1 an item failed or the run stopped, 2 usage/input error.

Examples:
  $ credgov rotate plan --config credgov.yaml --findings reports/findings.json --controls CG-RESET-005 --out plan.json
  $ credgov rotate plan --config credgov.yaml --snapshot snapshot.json --accounts 'source=corp-ad;kind=service' --out plan.json
  $ credgov rotate apply plan.json --config credgov.yaml --approve <sha256 printed by plan>
  $ credgov rotate resume plan.journal.jsonl --config credgov.yaml
  $ credgov rotate status plan.journal.jsonl
  $ credgov rotate report plan.journal.jsonl --snapshot later-snapshot.json --out rotation-report.json`,
    );

  rotate
    .command("plan")
    .description("select credentials to rotate and write a plan (no secret; nothing is changed)")
    .requiredOption("-c, --config <file>", "credgov.yaml (sources, rotation.sink)")
    .option("-f, --findings <file>", "findings.json: rotate the credentials of failing, rotation-eligible findings")
    .option("-s, --snapshot <file>", "snapshot (default: snapshot.json next to --findings)")
    .option("--controls <ids...>", "only findings of these controls")
    .option("--subjects <globs...>", "only findings whose subject id or name matches (* and ?)")
    .option("--accounts <selector>", "mass reset: every account matching 'source=ID;kind=K;ou=DN;name=GLOB;privileged=B;enabled=B|any' (needs --snapshot)")
    .requiredOption("-o, --out <file>", "plan file to write")
    .option("--force", "replace an output path that is a symbolic link or not a regular file (a device, a FIFO); refused by default")
    .action(async (options: { config: string; findings?: string; snapshot?: string; controls?: string[]; subjects?: string[]; accounts?: string; out: string; force?: boolean }) => {
      replaceSpecialTargets(options.force === true);
      if (options.findings && options.accounts) throw new UserInputError("use either --findings or --accounts, not both", { field: "--accounts" });
      if (!options.findings && !options.accounts) throw new UserInputError("give --findings (rotate what failed) or --accounts SELECTOR (mass reset)");
      const snapshotPath = options.snapshot ?? (options.findings ? resolve(dirname(options.findings), "snapshot.json") : undefined);
      if (!snapshotPath) throw new UserInputError("--accounts needs --snapshot", { field: "--snapshot" });
      const environment = rotationEnvironment(options.config, ctx);
      // The findings first: the snapshot's default path is derived from theirs, so a wrong
      // --findings must be named as such, not as a missing snapshot beside it.
      const findings = options.findings ? { findings: await readFindingsJson(options.findings), path: options.findings, controls: options.controls, subjects: options.subjects } : undefined;
      const snapshot = await readSnapshot(snapshotPath);
      const plan = createPlan(environment, { snapshot, snapshotPath, findings, accounts: options.accounts });
      const digest = await writePlan(options.out, plan);
      const controls = [...new Set(plan.items.flatMap((i) => i.reasons))].sort();
      await eventSender(environment)({ type: "plan.created", planDigest: digest, plan: options.out, items: plan.items.length, skipped: plan.skipped.length, controls, action: "plan", at: new Date().toISOString() });
      ctx.output.info(`${plan.items.length} credential(s) to rotate, ${plan.skipped.length} skipped; wrote ${options.out}`);
      for (const skip of plan.skipped.slice(0, 20)) ctx.output.verbose(`skipped ${skip.name} (${skip.source}): ${skip.skip}`);
      ctx.output.info(`review it, then: credgov rotate apply ${options.out} --config ${options.config} --approve ${digest}`);
      ctx.output.result(digest);
    });

  withRunOptions(
    rotate
      .command("apply")
      .description("apply an approved plan (the approval is the plan file's SHA-256)")
      .argument("<plan>", "plan file written by rotate plan")
      .requiredOption("--approve <sha256>", "SHA-256 of the exact plan file (printed by rotate plan)")
      .option("-j, --journal <file>", "journal to create (default: PLAN without .json + .journal.jsonl)"),
  ).action(async (planPath: string, options: RunFlags & { approve: string; journal?: string }) => {
    replaceSpecialTargets(options.force === true);
    const environment = rotationEnvironment(options.config, ctx);
    const journalPath = options.journal ?? `${planPath.replace(/\.json$/, "")}.journal.jsonl`;
    ctx.output.info(`journal: ${journalPath}`);
    const outcome = await applyApprovedPlan(environment, { planPath, approve: options.approve, journalPath, overrides: runOverrides(options) });
    await finish(ctx, outcome, journalPath, options.report);
  });

  withRunOptions(
    rotate
      .command("resume")
      .description("re-drive every unfinished item of a journal from its last durable state")
      .argument("<journal>", "journal written by rotate apply"),
  ).action(async (journalPath: string, options: RunFlags) => {
    replaceSpecialTargets(options.force === true);
    const environment = rotationEnvironment(options.config, ctx);
    const outcome = await resumeJournal(environment, journalPath, runOverrides(options));
    await finish(ctx, outcome, journalPath, options.report);
  });

  rotate
    .command("status")
    .description("show where each item of a journal stands")
    .argument("<journal>", "journal written by rotate apply")
    .addOption(new Option("--format <format>", "table or json").choices(["table", "json"]).default("table"))
    .action(async (journalPath: string, options: { format: string }) => {
      const { journal, plan } = await journalStatus(journalPath);
      const counts: Partial<Record<ItemState, number>> = {};
      for (const item of journal.items.values()) counts[item.state] = (counts[item.state] ?? 0) + 1;
      const failed = [...journal.items.values()].filter((i) => i.state === "failed");
      if (options.format === "json") {
        ctx.output.result(JSON.stringify({ plan: journal.run.plan, planDigest: journal.run.planDigest, startedAt: journal.run.startedAt, counts, sessions: journal.sessions, failed: failed.map((f) => ({ item: f.item, lastGood: f.lastGood, error: f.error })) }, null, 2));
        return;
      }
      const names = new Map(plan?.items.map((i) => [i.id, `${i.account.name} (${i.source.id})`]) ?? []);
      const lines = [`plan ${journal.run.plan} (sha256 ${journal.run.planDigest}), started ${journal.run.startedAt}`];
      lines.push(Object.entries(counts).map(([state, n]) => `${state}: ${n}`).join(", "));
      for (const f of failed) lines.push(`failed ${f.item} ${names.get(f.item) ?? ""}: ${f.error?.message ?? "unknown error"} (last good: ${f.lastGood})`);
      const last = journal.sessions.at(-1);
      if (last?.event === "start") lines.push(`the last session (${last.command}, pid ${last.pid}) did not end: interrupted; run rotate resume`);
      ctx.output.result(lines.join("\n"));
    });

  rotate
    .command("report")
    .description("write the rotation report (JSON + Markdown) from a journal and its plan")
    .argument("<journal>", "journal written by rotate apply")
    .option("-s, --snapshot <file>", "a snapshot collected after the run: shows whether synchronised directories (Entra) took the change")
    .requiredOption("-o, --out <file>", "report path (FILE.json and FILE.md are written)")
    .action(async (journalPath: string, options: { snapshot?: string; out: string }) => {
      const later = options.snapshot ? { snapshot: await readSnapshot(options.snapshot), path: options.snapshot } : undefined;
      const report = await writeRotationReport({ journalPath, out: options.out, later });
      const s = report.summary;
      ctx.output.info(`${s.committed}/${s.planned} committed, ${s.complete} complete in every directory, ${s.crossDirectoryPending} waiting on another directory, ${s.failed} failed`);
      ctx.output.info(`wrote ${options.out.replace(/\.json$/, "")}.json and .md`);
    });
}

function withRunOptions(command: Command): Command {
  return command
    .requiredOption("-c, --config <file>", "credgov.yaml (sources with bind accounts, rotation.sink, hooks)")
    .option("--concurrency <n>", "items of one source at once (default rotation.concurrency, 4)")
    .option("--rate <n>", "password writes per second per source (default rotation.ratePerSecond, 0 = unlimited)")
    .option("--stop-after <n>", "stop after N consecutive failures (default rotation.stopAfterFailures, 5; 0 = never)")
    .option("--report <file>", "rotation report to write at the end (default: JOURNAL without .journal.jsonl + .report.json/.md)")
    .option("--force", "replace an output path that is a symbolic link or not a regular file (a device, a FIFO); refused by default");
}

function runOverrides(options: RunFlags): { concurrency?: number; ratePerSecond?: number; stopAfterFailures?: number } {
  const number = (value: string | undefined, flag: string, min: number): number | undefined => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new UserInputError(`must be a number >= ${min}`, { field: flag });
    return n;
  };
  return { concurrency: number(options.concurrency, "--concurrency", 1), ratePerSecond: number(options.rate, "--rate", 0), stopAfterFailures: number(options.stopAfter, "--stop-after", 0) };
}

async function finish(ctx: CommandContext, outcome: RunOutcome, journalPath: string, reportPath: string | undefined): Promise<void> {
  const out = reportPath ?? `${journalPath.replace(/\.journal\.jsonl$|\.jsonl$/, "")}.report.json`;
  const report = await writeRotationReport({ journalPath, out });
  const c = outcome.counts;
  ctx.output.result(`${c.committed ?? 0} committed, ${c.failed ?? 0} failed, ${report.summary.unfinished} unfinished${outcome.outcome === "stopped-after-failures" ? " (stopped after consecutive failures)" : ""}; report ${out.replace(/\.json$/, "")}.json`);
  ctx.exitCode = (c.failed ?? 0) > 0 || outcome.outcome !== "completed" || report.summary.unfinished > 0 ? ExitCode.findings : ExitCode.ok;
}
