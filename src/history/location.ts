// Which history a command uses: --history (a file or postgres:// URL) over the config's
// history.url / history.path, over .credgov/history.db in the working directory.
import { resolve } from "node:path";
import { UserInputError } from "../errors.ts";
import type { CredgovConfig } from "../config/types.ts";
import { defaultHistoryPath } from "../config/defaults.ts";
import { isPostgresUrl, type HistoryLocation } from "./open.ts";

export function historyLocation(flag: string | undefined, config: CredgovConfig | undefined, env: NodeJS.ProcessEnv = process.env): HistoryLocation {
  if (flag !== undefined) return { target: isPostgresUrl(flag) ? flag : resolve(flag), field: "--history", password: password(config, env) };
  if (config?.history.url) return { target: config.history.url, field: "history.url", password: password(config, env) };
  if (config) return { target: config.history.path, field: "history.path" };
  // No flag, no config: history.path's default, named as that setting.
  return { target: resolve(defaultHistoryPath), field: "history.path" };
}

function password(config: CredgovConfig | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const name = config?.history.passwordEnv;
  if (!name) return undefined;
  const value = env[name];
  if (value === undefined || value === "") {
    throw new UserInputError(`environment variable ${name} is not set (it must hold the history database password)`, { file: config.file, field: "history.passwordEnv" });
  }
  return value;
}
