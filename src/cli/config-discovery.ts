// Which credgov.yaml a command reads, conftest-style: --config, else $CREDGOV_CONFIG, else
// ./credgov.yaml when it exists.
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface DiscoveredConfig {
  path: string;
  from: "--config" | "CREDGOV_CONFIG" | "./credgov.yaml";
}

export const defaultConfigName = "credgov.yaml";

export function discoverConfig(flag: string | undefined, env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): DiscoveredConfig | undefined {
  if (flag) return { path: flag, from: "--config" };
  if (env.CREDGOV_CONFIG) return { path: env.CREDGOV_CONFIG, from: "CREDGOV_CONFIG" };
  if (existsSync(join(cwd, defaultConfigName))) return { path: defaultConfigName, from: "./credgov.yaml" };
  return undefined;
}
