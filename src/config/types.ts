// The configuration types. The shapes come from schemas/credgov.config.schema.json (generated
// into schema-types.ts); this file narrows them per source kind and states which settings the
// loader (apply-defaults.ts) always fills in.
import type * as File from "./schema-types.ts";

export type SourceKind = File.SourceBase["kind"];

/** The settings a source of kind K may have, as written in credgov.yaml (what collectors read). */
export type SourceSettingsOf<K extends SourceKind> = K extends SourceKind
  ? { id: string; kind: K } & Omit<K extends "ad" | "ldap" ? File.DirectorySource : K extends "entra" ? File.EntraSource : File.GithubSource, "id" | "kind">
  : never;

/** A source after loading: paths absolute, and the settings with a default always present. */
type Loaded<K extends SourceKind, Defaulted extends keyof SourceSettingsOf<K>> = SourceSettingsOf<K> & Required<Pick<SourceSettingsOf<K>, Defaulted>>;

export type TlsConfig = File.Tls & { rejectUnauthorized: boolean };
export type DirectorySourceConfig = (Loaded<"ad", "startTLS" | "pageSize" | "timeoutMs"> | Loaded<"ldap", "startTLS" | "pageSize" | "timeoutMs">) & { tls: TlsConfig };
export type EntraSourceConfig = Loaded<"entra", "graphBaseUrl" | "timeoutMs">;
export type GithubSourceConfig = Loaded<"github", "baseUrl" | "timeoutMs">;
export type SourceConfigEntry = DirectorySourceConfig | EntraSourceConfig | GithubSourceConfig;

export type Thresholds = Required<File.Thresholds>;

export type CorrelationLinkConfig = NonNullable<NonNullable<File.CredgovConfigFile["correlation"]>["links"]>[number];

/** Scan history settings; the loader fills in enabled, path (absolute) and keepSnapshots. */
export type HistoryConfig = NonNullable<File.CredgovConfigFile["history"]> & { enabled: boolean; path: string; keepSnapshots: boolean };

export interface CredgovConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Directory every relative path in the file was resolved against. */
  dir: string;
  sources: SourceConfigEntry[];
  thresholds: Thresholds;
  /** evalTimeout, evalMemory: the evaluation limits (--eval-timeout, --eval-memory win). */
  policies: { dirs: string[]; bundle?: string; builtin: boolean; evalTimeout?: string; evalMemory?: number };
  exceptions?: { file: string };
  output: { dir: string; formats?: NonNullable<File.CredgovConfigFile["output"]>["formats"]; failOn?: NonNullable<File.CredgovConfigFile["output"]>["failOn"] };
  correlation: { links: CorrelationLinkConfig[] };
  history: HistoryConfig;
  /** The `rotation:` section as validated; src/rotation/rotation-config.ts applies its defaults. */
  rotation?: Record<string, unknown>;
}
