// What the rotation library needs from the command line (the loaded config, the environment,
// the version, where to log), shared by `rotate` and the rotation triggers of `scan`.
import type { CommandContext } from "./context.ts";
import { loadConfig } from "../config/load.ts";
import type { CredgovConfig } from "../config/types.ts";
import { packageVersion } from "../package-version.ts";
import type { RotationEnvironment } from "../rotation/rotate.ts";

export function rotationEnvironment(configPath: string | CredgovConfig, ctx: CommandContext): RotationEnvironment {
  const config = typeof configPath === "string" ? loadConfig(configPath) : configPath;
  return { config, env: process.env, version: packageVersion, log: (m) => ctx.output.info(m), warn: (m) => ctx.output.warn(m) };
}
