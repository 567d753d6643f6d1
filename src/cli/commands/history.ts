// `credgov history`: list, show and prune recorded scans, and per-control trends over them
// (the SQLite or PostgreSQL store of src/history).
import type { Command } from "commander";
import type { CommandContext } from "../context.ts";
import { UserInputError } from "../../errors.ts";
import { loadConfig } from "../../config/load.ts";
import { historyLocation } from "../../history/location.ts";
import { openHistory } from "../../history/open.ts";
import type { HistoryStore } from "../../history/history-store.ts";
import { controlTrend } from "../../history/control-trend.ts";

interface HistoryCliOptions {
  config?: string;
  history?: string;
  json?: boolean;
}

async function withStore<T>(options: HistoryCliOptions, body: (store: HistoryStore) => Promise<T>): Promise<T> {
  const config = options.config ? loadConfig(options.config) : undefined;
  // Every history command reads what scans recorded: a history that names nothing (--history,
  // history.path or the default, mistyped or never scanned into) is a mistake, never a new empty
  // database and never "no scans".
  const store = await openHistory(historyLocation(options.history, config), { mustExist: true });
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

function positiveInteger(value: string, field: string): number {
  if (!/^\d+$/.test(value)) throw new UserInputError(`must be a whole number (got ${JSON.stringify(value)})`, { field });
  return Number(value);
}

/** `90d`, `12w`, or an RFC 3339 / YYYY-MM-DD time -> ISO time. */
function sinceTime(value: string, field: string, now: Date = new Date()): string {
  const relative = /^(\d+)([dw])$/.exec(value);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * (relative[2] === "w" ? 7 : 1) * 86_400_000).toISOString();
  const parsed = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(parsed)) throw new UserInputError(`must be a duration such as 90d or 12w, or a date such as 2026-01-31 (got ${JSON.stringify(value)})`, { field });
  return new Date(parsed).toISOString();
}

/** Records a finished scan (used by `scan`); prints where it went. */
export function registerHistory(program: Command, ctx: CommandContext): void {
  const history = program
    .command("history")
    .description("list, show and prune recorded scans; per-control trends")
    .addHelpText(
      "after",
      `
Every scan is recorded: id, times, config and policy hashes, source statuses, counts, failing
findings (by fingerprint key) and, unless history.keepSnapshots is false, the compressed snapshot.
The history is an SQLite file (history.path, default .credgov/history.db beside credgov.yaml) or
PostgreSQL when the config names history.url (postgres://...).

Examples:
  $ credgov history list --config credgov.yaml
  $ credgov history show last --config credgov.yaml
  $ credgov history trend CG-RESET-003 --since 90d --json
  $ credgov history prune --keep 365 --config credgov.yaml`,
    );
  const common = (command: Command) =>
    command
      .option("-c, --config <file>", "credgov.yaml naming the history (history.path or history.url)")
      .option("--history <file|url>", "history database: an SQLite file or postgres:// URL")
      .option("--json", "print JSON instead of a table");

  common(history.command("list").description("recorded scans, most recent first").option("-n, --limit <n>", "how many (default 50)")).action(
    async (options: HistoryCliOptions & { limit?: string }) => {
      const limit = options.limit === undefined ? 50 : positiveInteger(options.limit, "--limit");
      await withStore(options, async (store) => {
        const scans = await store.list(limit);
        if (options.json) return ctx.output.result(JSON.stringify(scans, null, 1));
        if (scans.length === 0) return ctx.output.result(`the history ${store.location} exists but holds no scan yet (credgov scan records one)`);
        const rows = scans.map((s) => {
          const statuses = s.sources.filter((x) => x.status !== "ok").map((x) => `${x.id}:${x.status}`);
          return `${s.id}  ${s.startedAt}  ${String(s.counts.accounts).padStart(7)} accounts  ${String(s.counts.failed).padStart(6)} failing  exit ${s.exitCode}  ${statuses.length ? statuses.join(",") : "all sources ok"}${s.hasSnapshot ? "" : "  (no snapshot)"}`;
        });
        ctx.output.result(rows.join("\n"));
      });
    },
  );

  common(history.command("show").description("one scan: hashes, sources, counts per control").argument("<scan>", "scan id, unambiguous id prefix, or last")).action(
    async (scan: string, options: HistoryCliOptions) => {
      await withStore(options, async (store) => {
        const detail = await store.show(scan);
        if (options.json) return ctx.output.result(JSON.stringify(detail, null, 1));
        const lines = [
          `scan ${detail.id}`,
          `started ${detail.startedAt}, finished ${detail.finishedAt}, on ${detail.host ?? "unknown host"}, credgov ${detail.toolVersion}, exit ${detail.exitCode}`,
          `config sha256 ${detail.configSha256 ?? "-"}`,
          `policy sha256 ${detail.policySha256 ?? "-"}`,
          `snapshot sha256 ${detail.snapshotSha256} (collected ${detail.snapshotGeneratedAt}${detail.hasSnapshot ? ", kept" : ", not kept"})`,
          `objects: ${detail.counts.accounts} accounts, ${detail.counts.credentials} credentials, ${detail.counts.resetPaths} reset paths, ${detail.counts.passwordPolicies} password policies, ${detail.counts.identities} identities`,
          "sources:",
          ...detail.sources.map((s) => `  ${s.id} (${s.kind}) ${s.status}`),
          "controls:                 fail  excepted    pass   error  not evaluated",
          ...detail.controls.map((c) => `  ${c.controlId.padEnd(14)} ${c.severity.padEnd(8)} ${String(c.failed).padStart(6)} ${String(c.excepted).padStart(9)} ${String(c.passed).padStart(7)} ${String(c.errors).padStart(7)} ${String(c.notEvaluated).padStart(14)}`),
        ];
        ctx.output.result(lines.join("\n"));
      });
    },
  );

  common(
    history
      .command("trend")
      .description("one control's failing and passing subjects per recorded scan")
      .argument("<control>", "control id, e.g. CG-RESET-003")
      .option("--since <when>", "from this date (YYYY-MM-DD) or this long ago (90d, 12w)"),
  ).action(async (control: string, options: HistoryCliOptions & { since?: string }) => {
    const since = options.since === undefined ? undefined : sinceTime(options.since, "--since");
    await withStore(options, async (store) => {
      const points = await controlTrend(store, control, since);
      if (options.json) return ctx.output.result(JSON.stringify(points, null, 1));
      if (points.length === 0) return ctx.output.result(`no recorded scan evaluated ${control}`);
      ctx.output.result(points.map((p) => `${p.startedAt}  ${p.scanId}  fail ${p.failed}  excepted ${p.excepted}  pass ${p.passed}  error ${p.errors}`).join("\n"));
    });
  });

  common(
    history
      .command("prune")
      .description("delete scans outside the retention")
      .option("--keep <n>", "keep the most recent n scans")
      .option("--older-than <when>", "delete scans started before this date (YYYY-MM-DD) or longer ago than this (90d, 12w)"),
  ).action(async (options: HistoryCliOptions & { keep?: string; olderThan?: string }) => {
    if (options.keep === undefined && options.olderThan === undefined) throw new UserInputError("give --keep <n> and/or --older-than <when>", { field: "--keep" });
    const keep = options.keep === undefined ? undefined : positiveInteger(options.keep, "--keep");
    const before = options.olderThan === undefined ? undefined : sinceTime(options.olderThan, "--older-than");
    await withStore(options, async (store) => {
      const deleted = await store.prune({ keep, before });
      const left = await store.count();
      if (options.json) return ctx.output.result(JSON.stringify({ deleted, kept: left }));
      ctx.output.result(`deleted ${deleted} scan(s); ${left} kept in ${store.location}`);
    });
  });
}
