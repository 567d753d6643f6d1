// The rotation report: evidence that each planned credential was rotated, verified and
// delivered, in every directory holding the identity. Built from the plan and the journal
// (and, for cross-directory completion, a snapshot collected after the run). Its JSON shape is
// published as schemas/rotation-report.schema.json; the markdown is rendered from the same data.
import type { Account, Snapshot } from "../snapshot/types.ts";
import type { ItemProgress, JournalContents } from "./journal.ts";
import type { Plan, PlanItem } from "./plan.ts";

export interface DirectoryStatus {
  source: string;
  account: string;
  name: string;
  /** rotated: this run set and verified it; changed: a later collection shows the change
   *  there; pending: not (yet) seen; not-rotated: this run's own directory did not finish. */
  status: "rotated" | "changed" | "pending" | "not-rotated";
  evidence: string;
}

export interface RotationReportItem {
  id: string;
  credential: string;
  account: { id: string; name: string; source: string; dn?: string };
  /** Source id of the directory rotated (the same as account.source). */
  source: string;
  rotator: string;
  reasons: string[];
  sink: { kind: string; location: string; version: number | null };
  state: string;
  attempts: number;
  startedAt: string | null;
  verifiedAt: string | null;
  committedAt: string | null;
  /** How the new secret was proven: a bind as the account with it. */
  verification: "authenticated" | "not-verified";
  error: { step: string; message: string; code?: string } | null;
  directories: DirectoryStatus[];
  /** Committed here and every directory sharing the password agrees. */
  complete: boolean;
}

export interface RotationReport {
  reportVersion: 1;
  generatedAt: string;
  plan: { path: string; digest: string; createdAt: string; input: Plan["input"] };
  journal: { path: string; startedAt: string; sessions: Array<{ command: string; event: string; at: string; outcome?: string }> };
  laterSnapshot: { path: string; generatedAt: string } | null;
  summary: { planned: number; committed: number; failed: number; unfinished: number; skipped: number; complete: number; crossDirectoryPending: number };
  items: RotationReportItem[];
  skipped: Plan["skipped"];
}

export function buildRotationReport(input: { plan: Plan; planPath: string; journal: JournalContents; journalPath: string; later?: { snapshot: Snapshot; path: string }; now?: Date }): RotationReport {
  const laterAccounts = new Map<string, Account>();
  for (const account of input.later?.snapshot.accounts ?? []) laterAccounts.set(account.id, account);
  const items = input.plan.items.map((item) => reportItem(item, input.journal.items.get(item.id), laterAccounts, input.later !== undefined));
  const count = (f: (i: RotationReportItem) => boolean) => items.filter(f).length;
  return {
    reportVersion: 1,
    generatedAt: (input.now ?? new Date()).toISOString(),
    plan: { path: input.planPath, digest: input.journal.run.planDigest, createdAt: input.plan.createdAt, input: input.plan.input },
    journal: {
      path: input.journalPath,
      startedAt: input.journal.run.startedAt,
      sessions: input.journal.sessions.map((s) => ({ command: s.command, event: s.event, at: s.at, ...(s.outcome ? { outcome: s.outcome } : {}) })),
    },
    laterSnapshot: input.later ? { path: input.later.path, generatedAt: input.later.snapshot.generatedAt } : null,
    summary: {
      planned: items.length,
      committed: count((i) => i.state === "committed"),
      failed: count((i) => i.state === "failed"),
      unfinished: count((i) => i.state !== "committed" && i.state !== "failed"),
      skipped: input.plan.skipped.length,
      complete: count((i) => i.complete),
      crossDirectoryPending: count((i) => i.state === "committed" && !i.complete),
    },
    items,
    skipped: input.plan.skipped,
  };
}

function reportItem(item: PlanItem, progress: ItemProgress | undefined, later: Map<string, Account>, haveLater: boolean): RotationReportItem {
  const state = progress?.state ?? "planned";
  const committed = state === "committed";
  const verifiedAt = progress?.verifiedAt ?? null;
  const directories: DirectoryStatus[] = [
    {
      source: item.source.id,
      account: item.account.id,
      name: item.account.name,
      status: committed ? "rotated" : "not-rotated",
      evidence: committed ? `set and verified by bind at ${verifiedAt}` : `journal state ${state}`,
    },
  ];
  for (const linked of item.linkedAccounts.filter((l) => l.sharesPassword)) {
    const account = later.get(linked.id);
    const changedAt = account?.passwordLastSet ?? null;
    // Directories record whole seconds: a change in the second of the verification counts.
    const changed = committed && verifiedAt !== null && changedAt !== null && Date.parse(changedAt) >= Math.floor(Date.parse(verifiedAt) / 1000) * 1000;
    directories.push({
      source: linked.source,
      account: linked.id,
      name: linked.name,
      status: changed ? "changed" : "pending",
      evidence: changed
        ? `later collection shows the password changed at ${changedAt}`
        : !haveLater
          ? "no later collection given (rotate report --snapshot): synchronisation not yet confirmed"
          : account
            ? `later collection shows the password last changed at ${changedAt ?? "unknown"}, before the rotation`
            : "account absent from the later collection",
    });
  }
  return {
    id: item.id,
    credential: item.credential,
    account: { id: item.account.id, name: item.account.name, source: item.source.id, ...(item.account.dn ? { dn: item.account.dn } : {}) },
    source: item.source.id,
    rotator: item.rotator,
    reasons: item.reasons,
    sink: { kind: item.sink.kind, location: item.sink.location, version: committed ? (progress?.sinkVersion ?? null) : null },
    state,
    attempts: progress?.attempt ?? 0,
    startedAt: progress && progress.attempt > 0 ? progress.firstAt : null,
    verifiedAt,
    committedAt: progress?.committedAt ?? null,
    verification: verifiedAt ? "authenticated" : "not-verified",
    error: state === "failed" && progress?.error ? { step: progress.error.step, message: progress.error.message, ...(progress.error.code ? { code: progress.error.code } : {}) } : null,
    directories,
    complete: committed && directories.every((d) => d.status === "rotated" || d.status === "changed"),
  };
}

export function renderRotationMarkdown(report: RotationReport): string {
  const s = report.summary;
  const lines = [
    "# Rotation report",
    "",
    `Plan \`${report.plan.path}\` (SHA-256 \`${report.plan.digest}\`), journal \`${report.journal.path}\`, generated ${report.generatedAt}.`,
    "",
    `| planned | committed | complete in every directory | waiting on another directory | failed | unfinished | skipped |`,
    `|---:|---:|---:|---:|---:|---:|---:|`,
    `| ${s.planned} | ${s.committed} | ${s.complete} | ${s.crossDirectoryPending} | ${s.failed} | ${s.unfinished} | ${s.skipped} |`,
    "",
    "| # | account | source | controls | state | verified | sink version | other directories | complete |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const item of report.items) {
    const others = item.directories.slice(1).map((d) => `${d.source}: ${d.status}`).join(", ") || "none";
    const state = item.error ? `failed at ${item.error.step}: ${cell(item.error.message)}` : item.state;
    lines.push(`| ${item.id} | ${cell(item.account.name)} | ${item.account.source} | ${item.reasons.join(", ")} | ${state} | ${item.verifiedAt ?? "no"} | ${item.sink.version ?? "-"} | ${others} | ${item.complete ? "yes" : "no"} |`);
  }
  if (report.skipped.length > 0) {
    lines.push("", "## Skipped", "", "| account | source | controls | why |", "|---|---|---|---|");
    for (const skip of report.skipped) lines.push(`| ${cell(skip.name)} | ${skip.source} | ${skip.reasons.join(", ")} | ${cell(skip.skip)} |`);
  }
  return lines.join("\n") + "\n";
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
