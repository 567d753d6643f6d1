// PostgreSQL through node-postgres (pg), for teams recording scans from many machines. One
// client: the CLI records one scan at a time. Writers take a transaction-scoped advisory lock,
// so migrations and concurrent recordings serialise.
import pg from "pg";
import type { SqlConnection, SqlExecutor, Row } from "./sql-connection.ts";

// Any constant both credgov processes agree on: "credgov" as a 63-bit number.
const lockKey = "7166033339131327862";

export async function openPostgres(url: string, password?: string): Promise<SqlConnection> {
  const client = new pg.Client({ connectionString: url, ...(password !== undefined ? { password } : {}), application_name: "credgov" });
  await client.connect();
  // Surface server-side errors in the middle of idle time as a rejected query, not a crash.
  client.on("error", () => {});
  const executor: SqlExecutor = {
    all: async (sql, params = []) => (await client.query(numbered(sql), params as unknown[])).rows as Row[],
    run: async (sql, params = []) => (await client.query(numbered(sql), params as unknown[])).rowCount ?? 0,
  };
  return {
    dialect: "postgres",
    ...executor,
    async transaction(body) {
      await client.query("BEGIN");
      try {
        await client.query(`SELECT pg_advisory_xact_lock(${lockKey})`);
        const result = await body(executor);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      }
    },
    close: () => client.end(),
  };
}

/** `?` placeholders (shared SQL) -> `$1, $2, ...`; the store's SQL has no `?` in literals. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
