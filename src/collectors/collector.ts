// The contract every collector meets: a transport (live server or export files) feeding a
// normalizer shared by both, so a file export and a live server give the same snapshot part.
import type { SourceKind, SourceSettingsOf } from "../config/types.ts";
import type { SourcePart } from "../snapshot/source-part.ts";

/** Progress reporting for long collections; the CLI renders it (or not, when not a TTY). */
export interface CollectionProgress {
  /** A new step with an optional known total (e.g. entries expected). */
  step(name: string, total?: number): void;
  /** Items processed in the current step. */
  tick(count?: number): void;
}

export interface CollectorContext<K extends SourceKind = SourceKind> {
  /** The source's settings (schema-validated; loaded configs also carry the defaults). */
  source: SourceSettingsOf<K>;
  /** Directory of the config file: relative `file:`/`dir:` paths resolve against it. */
  configDir: string;
  env: NodeJS.ProcessEnv;
  progress: CollectionProgress;
  /** Verbose diagnostics (never secrets). */
  log: (message: string) => void;
  signal?: AbortSignal;
}

/** Collects sources of kind K; the registry (registry.ts) holds one per kind. */
export interface Collector<K extends SourceKind = SourceKind> {
  /** Collects one source. Expected failures (unreachable server, HTTP 403, missing export file)
   *  are recorded in `source.errors` with status `partial`/`error`, not thrown. Malformed input
   *  files throw UserInputError naming the file and position. */
  collect(context: CollectorContext<K>): Promise<SourcePart>;
}
