// Scan history over either database: record a scan, list and show scans, resolve `last` or an
// id, read back a scan's failing findings and snapshot, a per-control trend, and retention.
import { gunzipSync } from "node:zlib";
import { UserInputError } from "../errors.ts";
import type { FailingFinding } from "../drift/finding-diff.ts";
import { decodeFailing, encodeFailing } from "./failing-codec.ts";
import { migrationsFor, schemaTable } from "./migrations.ts";
import type { ControlRecord, ScanRecord, ScanSummary } from "./scan-record.ts";
import type { Row, SqlConnection } from "./sql-connection.ts";

export interface ControlCounts {
  controlId: string;
  severity: string;
  failed: number;
  excepted: number;
  passed: number;
  errors: number;
  notEvaluated: number;
}

export interface ScanDetail extends ScanSummary {
  controls: ControlCounts[];
}

export interface TrendPoint {
  scanId: string;
  startedAt: string;
  failed: number;
  excepted: number;
  passed: number;
  errors: number;
  notEvaluated: number;
}

export interface PruneOptions {
  /** Keep the most recent N scans. */
  keep?: number;
  /** Delete scans started before this time (ISO 8601). */
  before?: string;
}

const summaryColumns =
  "id, started_at, finished_at, tool_version, host, config_sha256, policy_sha256, snapshot_sha256, snapshot_generated_at, exit_code, sources, counts, snapshot_size";

export class HistoryStore {
  readonly connection: SqlConnection;
  /** Where the history lives, without credentials: shown to people and written in reports. */
  readonly location: string;

  private constructor(connection: SqlConnection, location: string) {
    this.connection = connection;
    this.location = location;
  }

  /** Opens a store and brings its schema up to date (migrations run once, under the write lock). */
  static async open(connection: SqlConnection, location: string): Promise<HistoryStore> {
    const store = new HistoryStore(connection, location);
    await store.migrate();
    return store;
  }

  private async migrate(): Promise<void> {
    await this.connection.transaction(async (tx) => {
      await tx.run(schemaTable);
      const applied = new Set((await tx.all("SELECT version FROM credgov_schema")).map((r) => Number(r.version)));
      for (const migration of migrationsFor(this.connection.dialect)) {
        if (applied.has(migration.version)) continue;
        for (const statement of migration.statements) await tx.run(statement);
        await tx.run("INSERT INTO credgov_schema (version, description, applied_at) VALUES (?, ?, ?)", [migration.version, migration.description, new Date().toISOString()]);
      }
    });
  }

  async schemaVersion(): Promise<number> {
    const rows = await this.connection.all("SELECT MAX(version) AS v FROM credgov_schema");
    return Number(rows[0]?.v ?? 0);
  }

  async record(scan: ScanRecord): Promise<void> {
    // Compress before taking the lock: the lock is held only for the inserts.
    const controls = scan.controls.map((c) => ({ ...c, blob: encodeFailing(c.failing) }));
    await this.connection.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO scans (${summaryColumns}, snapshot_gz) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          scan.id,
          scan.startedAt,
          scan.finishedAt,
          scan.toolVersion,
          scan.host,
          scan.configSha256,
          scan.policySha256,
          scan.snapshotSha256,
          scan.snapshotGeneratedAt,
          scan.exitCode,
          JSON.stringify(scan.sources),
          JSON.stringify(scan.counts),
          scan.snapshotGzip ? scan.snapshotGzip.byteLength : null,
          scan.snapshotGzip ?? null,
        ],
      );
      for (const c of controls) {
        await tx.run(
          "INSERT INTO scan_controls (control_id, scan_id, severity, failed, excepted, passed, errors, not_evaluated, failing) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          [c.controlId, scan.id, c.severity, c.failed, c.excepted, c.passed, c.errors, c.notEvaluated, c.blob],
        );
      }
    });
  }

  /** Most recent first. */
  async list(limit = 50): Promise<ScanSummary[]> {
    const rows = await this.connection.all(`SELECT ${summaryColumns} FROM scans ORDER BY started_at DESC, id DESC LIMIT ?`, [limit]);
    return rows.map(summaryFromRow);
  }

  async count(): Promise<number> {
    const rows = await this.connection.all("SELECT CAST(COUNT(*) AS INTEGER) AS n FROM scans");
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * `last` (the most recent scan, other than `excluding`), a full id, or an unambiguous id prefix.
   * Unknown or ambiguous references are input errors naming the flag.
   */
  async resolve(reference: string, field: string, excluding?: string): Promise<ScanSummary> {
    if (reference === "last") {
      const rows = await this.connection.all(`SELECT ${summaryColumns} FROM scans WHERE id <> ? ORDER BY started_at DESC, id DESC LIMIT 1`, [excluding ?? ""]);
      if (rows.length === 0) throw new UserInputError(`no earlier scan is recorded in the history (${this.location})`, { field });
      return summaryFromRow(rows[0]);
    }
    const rows = await this.connection.all(`SELECT ${summaryColumns} FROM scans WHERE id = ? OR id LIKE ? ORDER BY started_at DESC LIMIT 2`, [reference, `${reference.replace(/[%_\\]/g, "")}%`]);
    const exact = rows.find((r) => r.id === reference);
    if (exact) return summaryFromRow(exact);
    if (rows.length === 0) throw new UserInputError(`no scan ${reference} in the history (${this.location}); see \`credgov history list\``, { field });
    if (rows.length > 1) throw new UserInputError(`scan id prefix ${reference} is ambiguous; give more of the id`, { field });
    return summaryFromRow(rows[0]);
  }

  async show(id: string): Promise<ScanDetail> {
    const summary = await this.resolve(id, "SCAN_ID");
    const rows = await this.connection.all(
      "SELECT control_id, severity, failed, excepted, passed, errors, not_evaluated FROM scan_controls WHERE scan_id = ? ORDER BY control_id",
      [summary.id],
    );
    return { ...summary, controls: rows.map(countsFromRow) };
  }

  async failing(scanId: string): Promise<FailingFinding[]> {
    const rows = await this.connection.all("SELECT control_id, severity, failing FROM scan_controls WHERE scan_id = ? ORDER BY control_id", [scanId]);
    return rows.flatMap((r) => decodeFailing(String(r.control_id), String(r.severity), r.failing as Uint8Array));
  }

  /** The scan's snapshot.json bytes, when history kept it. */
  async snapshot(scanId: string): Promise<Uint8Array | undefined> {
    const rows = await this.connection.all("SELECT snapshot_gz FROM scans WHERE id = ?", [scanId]);
    const blob = rows[0]?.snapshot_gz as Uint8Array | null | undefined;
    return blob ? new Uint8Array(gunzipSync(blob)) : undefined;
  }

  /** One control's counts per scan, oldest first, from `since` (ISO 8601) on. */
  async controlTrend(controlId: string, since?: string): Promise<TrendPoint[]> {
    const rows = await this.connection.all(
      `SELECT s.id, s.started_at, c.failed, c.excepted, c.passed, c.errors, c.not_evaluated
         FROM scan_controls c JOIN scans s ON s.id = c.scan_id
        WHERE c.control_id = ? AND s.started_at >= ?
        ORDER BY s.started_at, s.id`,
      [controlId, since ?? ""],
    );
    return rows.map((r) => ({
      scanId: String(r.id),
      startedAt: String(r.started_at),
      failed: Number(r.failed),
      excepted: Number(r.excepted),
      passed: Number(r.passed),
      errors: Number(r.errors),
      notEvaluated: Number(r.not_evaluated),
    }));
  }

  /** Deletes scans outside the retention; returns how many were deleted. */
  async prune(options: PruneOptions): Promise<number> {
    return this.connection.transaction(async (tx) => {
      const doomed = new Set<string>();
      if (options.keep !== undefined) {
        const rows = await tx.all("SELECT id FROM scans ORDER BY started_at DESC, id DESC");
        for (const r of rows.slice(options.keep)) doomed.add(String(r.id));
      }
      if (options.before !== undefined) {
        for (const r of await tx.all("SELECT id FROM scans WHERE started_at < ?", [options.before])) doomed.add(String(r.id));
      }
      for (const id of doomed) {
        await tx.run("DELETE FROM scan_controls WHERE scan_id = ?", [id]);
        await tx.run("DELETE FROM scans WHERE id = ?", [id]);
      }
      return doomed.size;
    });
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

function summaryFromRow(r: Row): ScanSummary {
  return {
    id: String(r.id),
    startedAt: String(r.started_at),
    finishedAt: String(r.finished_at),
    toolVersion: String(r.tool_version),
    host: (r.host as string | null) ?? null,
    configSha256: (r.config_sha256 as string | null) ?? null,
    policySha256: (r.policy_sha256 as string | null) ?? null,
    snapshotSha256: String(r.snapshot_sha256),
    snapshotGeneratedAt: String(r.snapshot_generated_at),
    exitCode: Number(r.exit_code),
    sources: JSON.parse(String(r.sources)) as ScanSummary["sources"],
    counts: JSON.parse(String(r.counts)) as ScanSummary["counts"],
    hasSnapshot: r.snapshot_size !== null && r.snapshot_size !== undefined,
  };
}

function countsFromRow(r: Row): ControlCounts {
  return {
    controlId: String(r.control_id),
    severity: String(r.severity),
    failed: Number(r.failed),
    excepted: Number(r.excepted),
    passed: Number(r.passed),
    errors: Number(r.errors),
    notEvaluated: Number(r.not_evaluated),
  };
}

export type { ControlRecord };
