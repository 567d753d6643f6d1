// SQLite through node:sqlite, built into Node 24: no native addon to compile or ship, and the
// synchronous API suits a CLI that records one scan at a time. WAL lets readers proceed while a
// scan records; busy_timeout makes a second writer wait for the lock instead of failing.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { SqlConnection, SqlExecutor, SqlValue, Row } from "./sql-connection.ts";

const busyTimeoutMs = 30_000;

// node:sqlite is stable in use but still announces itself with an ExperimentalWarning on load, which
// every scan (history is on by default) would print on stderr. It is loaded on first use, with that one
// warning withheld; every other warning still reaches the user.
let sqlite: typeof import("node:sqlite") | undefined;
function loadSqlite(): typeof import("node:sqlite") {
  if (sqlite) return sqlite;
  const emitWarning = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === "string" ? warning : warning.message;
    if (text.startsWith("SQLite is an experimental feature")) return;
    (emitWarning as (...args: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    sqlite = process.getBuiltinModule("node:sqlite");
  } finally {
    process.emitWarning = emitWarning;
  }
  return sqlite;
}

const SQLITE_BUSY = 5;
/**
 * Switches the file to WAL. Two processes opening a new history at the same moment (two scheduled
 * scans) race for the lock this takes, and SQLite answers SQLITE_BUSY at once instead of calling
 * the busy handler (measured: 59 of 60 such races failed with "database is locked"). The switch
 * is retried, with short pauses, for as long as busy_timeout would have waited.
 */
function useWriteAheadLog(db: import("node:sqlite").DatabaseSync): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (let pauseMs = 5; ; pauseMs = Math.min(pauseMs * 2, 100)) {
    try {
      db.exec("PRAGMA journal_mode = WAL");
      return;
    } catch (error) {
      if ((error as { errcode?: number }).errcode !== SQLITE_BUSY || Date.now() + pauseMs > deadline) throw error;
      // A synchronous pause: opening is synchronous, and the other process holds the lock for milliseconds.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pauseMs);
    }
  }
}

export function openSqlite(file: string): SqlConnection {
  if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
  const { DatabaseSync } = loadSqlite();
  const db = new DatabaseSync(file, { timeout: busyTimeoutMs });
  useWriteAheadLog(db);
  db.exec("PRAGMA synchronous = NORMAL");
  db.exec("PRAGMA foreign_keys = ON");
  const executor: SqlExecutor = {
    all: (sql, params = []) => Promise.resolve(db.prepare(sql).all(...(params as SqlValue[])) as Row[]),
    run: (sql, params = []) => Promise.resolve(Number(db.prepare(sql).run(...(params as SqlValue[])).changes)),
  };
  let depth = 0;
  return {
    dialect: "sqlite",
    ...executor,
    async transaction(body) {
      if (depth > 0) return body(executor);
      db.exec("BEGIN IMMEDIATE");
      depth++;
      try {
        const result = await body(executor);
        db.exec("COMMIT");
        return result;
      } catch (error) {
        db.exec("ROLLBACK");
        throw error;
      } finally {
        depth--;
      }
    },
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}
