// The history store on both databases it supports: an SQLite file and a real PostgreSQL 15
// server started for these tests. Same behaviour is required of both.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHistory, type HistoryStore } from "../../src/history/index.ts";
import { controlTrend } from "../../src/history/control-trend.ts";
import { findingFingerprint } from "../../src/drift/finding-diff.ts";
import { fingerprint as sarifFingerprint } from "../../src/report/outputs/sarif.ts";
import { UserInputError } from "../../src/errors.ts";
import { createDatabase, startPostgres, type Postgres } from "./postgres-server.ts";
import { finding, record } from "./scan-fixtures.ts";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "credgov-history-"));
let pgServer: Postgres;
let databases = 0;

beforeAll(async () => {
  pgServer = await startPostgres();
}, 60_000);

afterAll(async () => {
  await pgServer?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const backends: { name: string; target: () => Promise<string> }[] = [
  { name: "sqlite", target: () => Promise.resolve(join(dir, `history-${++databases}.db`)) },
  { name: "postgres", target: () => createDatabase(pgServer, `history_${++databases}`) },
];

describe.each(backends)("history on $name", ({ target }) => {
  async function fresh(): Promise<{ store: HistoryStore; where: string }> {
    const where = await target();
    return { store: await openHistory({ target: where, field: "--history" }), where };
  }

  it("creates the schema once and reopens without migrating again", async () => {
    const { store, where } = await fresh();
    expect(await store.schemaVersion()).toBe(1);
    await store.record(record("20261101T020000Z-aaaaaa", "2026-11-01T02:00:00.000Z", [finding("CG-HYG-001", "fail", "corp-ad:a")]));
    await store.close();
    const again = await openHistory({ target: where, field: "--history" });
    expect(await again.schemaVersion()).toBe(1);
    expect(await again.count()).toBe(1);
    await again.close();
  });

  it("records a scan and reads back its summary, per-control counts, failing findings and snapshot", async () => {
    const { store } = await fresh();
    const findings = [
      finding("CG-HYG-001", "fail", "corp-ad:a"),
      finding("CG-HYG-001", "fail", "corp-ad:b", { excepted: { reason: "r", approver: "x", ticket: "T-1", expires: "2027-01-01", file: "e.yaml", line: 3 } }),
      finding("CG-HYG-001", "pass", "corp-ad"),
      finding("CG-NHI-001", "error", "corp-ad"),
      finding("CG-SAAS-001", "not_evaluated", "github"),
    ];
    const snapshotBytes = Buffer.from('{"hello":"snapshot"}');
    await store.record(record("20261101T020000Z-bbbbbb", "2026-11-01T02:00:00.000Z", findings, { snapshotGzip: gzipSync(snapshotBytes) }));
    const [summary] = await store.list();
    expect(summary).toMatchObject({ id: "20261101T020000Z-bbbbbb", host: "ci-runner", configSha256: "c".repeat(64), policySha256: "p".repeat(64), exitCode: 1, hasSnapshot: true });
    expect(summary.counts).toMatchObject({ failed: 1, excepted: 1, passed: 7, errors: 1, notEvaluated: 1 });
    expect(summary.sources.map((s) => s.id)).toContain("corp-ad");
    const detail = await store.show("20261101T020000Z-bbb");
    expect(detail.controls.find((c) => c.controlId === "CG-HYG-001")).toMatchObject({ failed: 1, excepted: 1, passed: 7 });
    const failing = await store.failing(summary.id);
    expect(failing.map((f) => [f.controlId, f.subjectId, f.excepted ?? false])).toEqual([
      ["CG-HYG-001", "corp-ad:a", false],
      ["CG-HYG-001", "corp-ad:b", true],
    ]);
    // The stored keys give the same fingerprint SARIF publishes for the finding.
    expect(findingFingerprint(failing[0])).toBe(sarifFingerprint(findings[0]));
    expect(Buffer.from((await store.snapshot(summary.id))!).toString()).toBe('{"hello":"snapshot"}');
    await store.close();
  });

  it("resolves last, ids and prefixes, and says which reference is unknown or ambiguous", async () => {
    const { store } = await fresh();
    await store.record(record("20261101T020000Z-111111", "2026-11-01T02:00:00.000Z", []));
    await store.record(record("20261102T020000Z-222222", "2026-11-02T02:00:00.000Z", []));
    await store.record(record("20261102T020000Z-222333", "2026-11-02T02:00:00.000Z", []));
    expect((await store.resolve("last", "--since")).id).toBe("20261102T020000Z-222333");
    expect((await store.resolve("last", "--since", "20261102T020000Z-222333")).id).toBe("20261102T020000Z-222222");
    expect((await store.resolve("20261101", "--since")).id).toBe("20261101T020000Z-111111");
    await expect(store.resolve("20261102T020000Z-222", "--since")).rejects.toThrow(/ambiguous/);
    await expect(store.resolve("nope", "--since")).rejects.toBeInstanceOf(UserInputError);
    await store.close();
  });

  it("answers a per-control trend oldest first, from a given time on", async () => {
    const { store } = await fresh();
    for (let day = 1; day <= 5; day++) {
      const failing = Array.from({ length: day }, (_, i) => finding("CG-HYG-001", "fail", `corp-ad:u${i}`));
      await store.record(record(`2026110${day}T020000Z-00000${day}`, `2026-11-0${day}T02:00:00.000Z`, [...failing, finding("CG-HYG-004", "fail", "corp-ad:p")]));
    }
    const trend = await controlTrend(store, "CG-HYG-001", "2026-11-03T00:00:00Z");
    expect(trend.map((p) => [p.startedAt, p.failed])).toEqual([
      ["2026-11-03T02:00:00.000Z", 3],
      ["2026-11-04T02:00:00.000Z", 4],
      ["2026-11-05T02:00:00.000Z", 5],
    ]);
    expect((await controlTrend(store, "CG-HYG-004")).length).toBe(5);
    await store.close();
  });

  it("prunes by count and by age, with the scans' control rows", async () => {
    const { store } = await fresh();
    for (let day = 1; day <= 6; day++) await store.record(record(`2026110${day}T020000Z-00000${day}`, `2026-11-0${day}T02:00:00.000Z`, [finding("CG-HYG-001", "fail", "corp-ad:a")]));
    expect(await store.prune({ keep: 4 })).toBe(2);
    expect(await store.prune({ before: "2026-11-04T00:00:00Z" })).toBe(1);
    expect((await store.list()).map((s) => s.id)).toEqual(["20261106T020000Z-000006", "20261105T020000Z-000005", "20261104T020000Z-000004"]);
    expect((await controlTrend(store, "CG-HYG-001")).length).toBe(3);
    const orphans = await store.connection.all("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM scan_controls WHERE scan_id NOT IN (SELECT id FROM scans)");
    expect(Number(orphans[0].n)).toBe(0);
    await store.close();
  });

  it("is what `credgov history list` and `show` read", async () => {
    const { store, where } = await fresh();
    await store.record(record("20261101T020000Z-cccccc", "2026-11-01T02:00:00.000Z", [finding("CG-HYG-001", "fail", "corp-ad:a")]));
    await store.close();
    const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
    const { stdout } = await run(process.execPath, [bin, "history", "list", "--history", where, "--json"]);
    expect((JSON.parse(stdout) as { id: string }[]).map((s) => s.id)).toEqual(["20261101T020000Z-cccccc"]);
    const show = await run(process.execPath, [bin, "history", "show", "last", "--history", where]);
    expect(show.stdout).toMatch(/CG-HYG-001\s+high\s+1/);
  }, 60_000);

  it("loses nothing when two processes record scans at the same time", async () => {
    const where = await target();
    const writer = new URL("./record-scans-child.ts", import.meta.url).pathname;
    // Both start with no schema: the migration itself must also be race-free.
    await Promise.all([run(process.execPath, [writer, where, "alpha", "15"]), run(process.execPath, [writer, where, "beta", "15"])]);
    const store = await openHistory({ target: where, field: "--history" });
    expect(await store.count()).toBe(30);
    const ids = (await store.list(100)).map((s) => s.id);
    expect(ids.filter((id) => id.endsWith("alpha")).length).toBe(15);
    expect(ids.filter((id) => id.endsWith("beta")).length).toBe(15);
    expect((await controlTrend(store, "CG-HYG-001")).length).toBe(30);
    await store.close();
  }, 60_000);
});

it("rejects a PostgreSQL URL that holds a password", async () => {
  await expect(openHistory({ target: "postgres://credgov:hunter2@127.0.0.1:1/x", field: "history.url" })).rejects.toThrow(/passwordEnv/);
  await expect(openHistory({ target: "postgres://credgov:hunter2@127.0.0.1:1/x", field: "history.url" })).rejects.not.toThrow(/hunter2/);
});
