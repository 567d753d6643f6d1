// The little the history store needs from a database: queries with `?` placeholders, and a
// transaction that holds the database's write lock for its whole body (so two scans recording
// at once serialise instead of losing rows).
import type { Dialect } from "./migrations.ts";

export type SqlValue = string | number | null | Uint8Array;
export type Row = Record<string, unknown>;

export interface SqlExecutor {
  all(sql: string, params?: readonly SqlValue[]): Promise<Row[]>;
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface SqlConnection extends SqlExecutor {
  readonly dialect: Dialect;
  /** Runs `body` holding the write lock (SQLite BEGIN IMMEDIATE; PostgreSQL an advisory lock). */
  transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
