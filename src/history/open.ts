// Opens the history named by the config or a flag: a postgres:// URL -> PostgreSQL, anything
// else -> an SQLite file. Connection failures are input errors naming where it pointed.
import { statSync } from "node:fs";
import { resolve } from "node:path";
import { pathErrorReason } from "../io/path-errors.ts";
import { UserInputError } from "../errors.ts";
import { urlPasswordPart, withoutUrlPassword } from "../config/url-password.ts";
import { HistoryStore } from "./history-store.ts";
import { openPostgres } from "./postgres-connection.ts";
import { openSqlite } from "./sqlite-connection.ts";

export interface HistoryLocation {
  /** SQLite file path or postgres:// URL (without a password). */
  target: string;
  /** PostgreSQL password, read from the environment variable the config names. */
  password?: string;
  /** Which setting named it, for error messages (`history.url`, `--history`). */
  field: string;
}

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

export interface OpenOptions {
  /** Reading only (report --history, history list ...): a missing SQLite file is an error, never created. */
  mustExist?: boolean;
}

export async function openHistory(location: HistoryLocation, options: OpenOptions = {}): Promise<HistoryStore> {
  if (isPostgresUrl(location.target)) {
    const shown = withoutUrlPassword(location.target);
    const inlinePassword = urlPasswordPart(location.target);
    if (inlinePassword) {
      throw new UserInputError(`the URL holds a password (${inlinePassword}); put it in an environment variable named by history.passwordEnv`, { field: location.field });
    }
    let connection;
    try {
      connection = await openPostgres(location.target, location.password);
    } catch (error) {
      throw new UserInputError(`cannot connect to the history database ${shown}: ${error instanceof Error ? error.message : String(error)}`, { field: location.field });
    }
    try {
      return await HistoryStore.open(connection, shown);
    } catch (error) {
      await connection.close().catch(() => {});
      throw new UserInputError(`cannot prepare the history database ${shown}: ${error instanceof Error ? error.message : String(error)}`, { field: location.field });
    }
  }
  const file = resolve(location.target);
  if (options.mustExist) assertHistoryFile(file, location);
  let connection;
  try {
    connection = openSqlite(file);
    return await HistoryStore.open(connection, file);
  } catch (error) {
    connection?.close().catch(() => {});
    throw new UserInputError(`cannot open the history database: ${error instanceof Error ? error.message : String(error)}`, { file, field: location.field });
  }
}

function assertHistoryFile(file: string, location: HistoryLocation): void {
  try {
    if (statSync(file).isFile()) return;
    throw new UserInputError("is not a history database file (a folder or a device)", { file: location.target, field: location.field });
  } catch (error) {
    if (error instanceof UserInputError) throw error;
    const reason = pathErrorReason(error) ?? String(error);
    throw new UserInputError(`no scan history here: ${reason} (scans are recorded by credgov scan)`, { file: location.target, field: location.field });
  }
}
