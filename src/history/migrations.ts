// One schema for both stores; each migration is plain SQL with the few type names that differ
// between SQLite and PostgreSQL filled in per dialect. Applied in order, each once, recorded in
// credgov_schema; never edit a released migration, add the next one.
export type Dialect = "sqlite" | "postgres";

export interface Migration {
  version: number;
  description: string;
  statements: string[];
}

const types: Record<Dialect, Record<string, string>> = {
  sqlite: { blob: "BLOB", bigint: "INTEGER" },
  postgres: { blob: "BYTEA", bigint: "BIGINT" },
};

const source: { version: number; description: string; statements: string[] }[] = [
  {
    version: 1,
    description: "scans, and per-control counts with the failing subjects of each scan",
    statements: [
      `CREATE TABLE scans (
        id TEXT PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        tool_version TEXT NOT NULL,
        host TEXT,
        config_sha256 TEXT,
        policy_sha256 TEXT,
        snapshot_sha256 TEXT NOT NULL,
        snapshot_generated_at TEXT NOT NULL,
        exit_code INTEGER NOT NULL,
        sources TEXT NOT NULL,
        counts TEXT NOT NULL,
        snapshot_size {bigint},
        snapshot_gz {blob}
      )`,
      "CREATE INDEX scans_started_at ON scans (started_at, id)",
      // Keyed by control first: a trend reads one control's rows, a few hundred for a year.
      // The failing list is the last column, so reading the counts never touches it.
      `CREATE TABLE scan_controls (
        control_id TEXT NOT NULL,
        scan_id TEXT NOT NULL REFERENCES scans (id) ON DELETE CASCADE,
        severity TEXT NOT NULL,
        failed INTEGER NOT NULL,
        excepted INTEGER NOT NULL,
        passed INTEGER NOT NULL,
        errors INTEGER NOT NULL,
        not_evaluated INTEGER NOT NULL,
        failing {blob} NOT NULL,
        PRIMARY KEY (control_id, scan_id)
      )`,
      "CREATE INDEX scan_controls_scan ON scan_controls (scan_id)",
    ],
  },
];

export function migrationsFor(dialect: Dialect): Migration[] {
  return source.map((m) => ({ ...m, statements: m.statements.map((s) => s.replace(/\{(\w+)\}/g, (_, name: string) => types[dialect][name])) }));
}

export const schemaTable = "CREATE TABLE IF NOT EXISTS credgov_schema (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)";
