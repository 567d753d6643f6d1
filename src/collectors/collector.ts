// The contract every collector meets: a transport (live server or export files) feeding a
// normalizer shared by both, so a file export and a live server give the same snapshot part.
import type { SourcePart } from "../snapshot/source-part.ts";

/** One configured source as the config loader hands it over (already schema-validated). */
export interface SourceConfig {
  id: string;
  kind: "ad" | "ldap" | "entra" | "github";
  /** Any kind-specific settings (url, baseDN, file, dir, ...), exactly as in credgov.yaml. */
  [setting: string]: unknown;
}

/** Progress reporting for long collections; the CLI renders it (or not, when not a TTY). */
export interface CollectionProgress {
  /** A new step with an optional known total (e.g. entries expected). */
  step(name: string, total?: number): void;
  /** Items processed in the current step. */
  tick(count?: number): void;
}

export interface CollectorContext {
  source: SourceConfig;
  /** Directory of the config file: relative `file:`/`dir:` paths resolve against it. */
  configDir: string;
  env: NodeJS.ProcessEnv;
  progress: CollectionProgress;
  /** Verbose diagnostics (never secrets). */
  log: (message: string) => void;
  signal?: AbortSignal;
}

export interface Collector {
  /** Collects one source. Expected failures (unreachable server, HTTP 403, missing export file)
   *  are recorded in `source.errors` with status `partial`/`error`, not thrown. Malformed input
   *  files throw UserInputError naming the file and position. */
  collect(context: CollectorContext): Promise<SourcePart>;
}
