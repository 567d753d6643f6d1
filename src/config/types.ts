// The loaded configuration after schema validation, defaults and path resolution.
// Mirrors schemas/credgov.config.schema.json (the published contract editors validate against).

export type SourceKind = "ad" | "ldap" | "entra" | "github";

export interface TlsConfig {
  caFile?: string;
  rejectUnauthorized: boolean;
}

interface SourceCommon {
  id: string;
  kind: SourceKind;
  [setting: string]: unknown;
}

export interface DirectorySourceConfig extends SourceCommon {
  kind: "ad" | "ldap";
  url?: string;
  file?: string;
  baseDN?: string;
  bindDN?: string;
  passwordEnv?: string;
  startTLS: boolean;
  tls: TlsConfig;
  pageSize: number;
  timeoutMs: number;
  ownerAttributes?: string[];
}

export interface EntraSourceConfig extends SourceCommon {
  kind: "entra";
  dir?: string;
  tenantId?: string;
  clientId?: string;
  auth?: "clientSecret" | "certificate" | "workloadIdentity" | "managedIdentity";
  clientSecretEnv?: string;
  certificate?: { file: string; passwordEnv?: string };
  federatedTokenFile?: string;
  authorityHost?: string;
  graphBaseUrl: string;
  concurrency?: number;
  maxRetries?: number;
  retryDelaySeconds?: number;
  timeoutMs: number;
  rotation?: { overlapSeconds?: number; lifetimeDays?: number };
}

export interface GithubSourceConfig extends SourceCommon {
  kind: "github";
  org?: string;
  dir?: string;
  tokenEnv?: string;
  app?: { appId: number | string; installationId: number; privateKeyEnv?: string; privateKeyFile?: string };
  baseUrl: string;
  concurrency?: number;
  rateLimitRetries?: number;
  timeoutMs: number;
}

export type SourceConfigEntry = DirectorySourceConfig | EntraSourceConfig | GithubSourceConfig;

export interface Thresholds {
  rotationDays: number;
  maxSecretLifetimeDays: number;
  syncWindowHours: number;
  krbtgtMaxAgeDays: number;
  minPasswordLength: number;
  privilegedPasswordMaxAgeDays: number;
}

export interface CorrelationLinkConfig {
  accounts: string[];
  reason?: string;
}

export interface HistoryConfig {
  enabled: boolean;
  /** SQLite file, resolved against the config's folder (ignored when url is set). */
  path: string;
  url?: string;
  passwordEnv?: string;
  keepSnapshots: boolean;
}

export interface CredgovConfig {
  /** Absolute path of the config file. */
  file: string;
  /** Directory every relative path in the file was resolved against. */
  dir: string;
  sources: SourceConfigEntry[];
  thresholds: Thresholds;
  policies: { dirs: string[]; bundle?: string; builtin: boolean };
  exceptions?: { file: string };
  output: { dir: string; formats?: string[]; failOn?: string };
  correlation: { links: CorrelationLinkConfig[] };
  history: HistoryConfig;
  /** The `rotation:` section as validated; src/rotation/rotation-config.ts applies its defaults. */
  rotation?: Record<string, unknown>;
}
