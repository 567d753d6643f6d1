// Which Rotator serves which directory kind: one static table, so adding a directory is adding
// a file and a line here. A rotator is built from its source's config entry without I/O
// (connections open on first use), so planning can ask `canRotate` offline.
import type { SourceConfigEntry } from "../../config/types.ts";
import type { RotatorKind } from "../plan.ts";
import type { Rotator } from "../rotator.ts";
import { AdRotator } from "./ad.ts";
import { LdapRotator } from "./ldap.ts";
import { entraAppSecretRotator } from "./entra-app-secret.ts";
import { githubRotator } from "./github.ts";

export interface RotatorContext {
  source: SourceConfigEntry;
  /** Directory of the config file (relative tls.caFile and similar resolve against it). */
  configDir: string;
  env: NodeJS.ProcessEnv;
}

export type RotatorFactory = (context: RotatorContext) => Rotator;

/** `undefined`: no rotator for that kind in this build (plan items are skipped with that reason). */
export const rotatorFactories: Record<RotatorKind, RotatorFactory | undefined> = {
  ad: (context) => new AdRotator(context),
  ldap: (context) => new LdapRotator(context),
  entra: (context) => entraAppSecretRotator(context),
  github: (context) => githubRotator(context),
};
