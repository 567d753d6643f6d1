// Generated from schemas/credgov.config.schema.json by `npm run gen:types`. Do not edit by hand.

/**
 * Name of the environment variable holding the secret (never the secret itself).
 *
 * This interface was referenced by `CredgovConfigFile`'s JSON-Schema
 * via the `definition` "EnvName".
 */
export type EnvName = string;

/**
 * Sources to collect, thresholds the policies use, extra policies, exceptions, output and explicit identity links. Secrets are never written here: name the environment variable that holds them (passwordEnv, clientSecretEnv, tokenEnv, privateKeyEnv).
 */
export interface CredgovConfigFile {
  $schema?: string;
  version?: 1;
  /**
   * At most 1000 sources: each is collected in memory before the merge, and a run of thousands (one export listed over and over) would exhaust it.
   *
   * @minItems 1
   * @maxItems 1000
   */
  sources: [Source, ...Source[]];
  thresholds?: Thresholds;
  policies?: {
    /**
     * Extra directories of Rego policies, evaluated with the built-in library.
     */
    dirs?: string[];
    /**
     * A bundle built by `opa build -t wasm` to use instead of compiling policies.
     */
    bundle?: string;
    /**
     * Evaluate the built-in policy library.
     */
    builtin?: boolean;
    /**
     * Deadline of one policy package's evaluation (default 10m, at most 24h); past it the package's controls are error. --eval-timeout overrides it.
     */
    evalTimeout?: string;
    /**
     * Memory ceiling of a policy evaluation in MiB, 16 to 4096 (default 4096); past it the package's controls are error. --eval-memory overrides it.
     */
    evalMemory?: number;
  };
  exceptions?: {
    /**
     * YAML file of accepted exceptions (control, subject, reason, expires).
     */
    file: string;
  };
  output?: {
    dir?: string;
    formats?: ("json" | "sarif" | "junit" | "md" | "github" | "pdf" | "html" | "manifest")[];
    failOn?: "critical" | "high" | "medium" | "low" | "info" | "none";
  };
  /**
   * Scan history: every scan is recorded (ids, times, hashes, source statuses, counts, failing findings, optionally the snapshot). An SQLite file by default; PostgreSQL when url is given.
   */
  history?: {
    /**
     * Record every scan.
     */
    enabled?: boolean;
    /**
     * SQLite database file (default .credgov/history.db beside this config).
     */
    path?: string;
    /**
     * PostgreSQL connection URL, for teams scanning from several machines.
     */
    url?: string;
    passwordEnv?: EnvName;
    /**
     * Keep each scan's snapshot (gzip) so `drift --since` can show object-level changes.
     */
    keepSnapshots?: boolean;
  };
  rotation?: Rotation;
  correlation?: {
    /**
     * Explicit links between accounts the automatic keys cannot join (e.g. a GitHub login with no SAML identity).
     */
    links?: {
      /**
       * Account ids '<source>:<native id>' as in the snapshot.
       *
       * @minItems 2
       */
      accounts: [string, string, ...string[]];
      reason?: string;
    }[];
  };
}
/**
 * This interface was referenced by `CredgovConfigFile`'s JSON-Schema
 * via the `definition` "Source".
 */
export interface Source {
  /**
   * Stable id used in account ids and settings (letters, digits, . _ -; at most 64: it starts every account, credential and reset path id of the source).
   */
  id: string;
  kind: "ad" | "ldap" | "entra" | "github";
}
/**
 * This interface was referenced by `CredgovConfigFile`'s JSON-Schema
 * via the `definition` "Thresholds".
 */
export interface Thresholds {
  rotationDays?: number;
  maxSecretLifetimeDays?: number;
  syncWindowHours?: number;
  krbtgtMaxAgeDays?: number;
  minPasswordLength?: number;
  privilegedPasswordMaxAgeDays?: number;
}
/**
 * Central rotation (credgov rotate): where new secrets are delivered, how fast apply runs, hooks, and which failing controls make `credgov scan` write a plan.
 *
 * This interface was referenced by `CredgovConfigFile`'s JSON-Schema
 * via the `definition` "Rotation".
 */
export interface Rotation {
  /**
   * Where rotated secrets are delivered: age-encrypted files (default) or Vault / OpenBao KV v2.
   */
  sink?:
    | {
        kind: "age-file";
        /**
         * Store folder: one sub-folder per credential, one .age file per version.
         */
        dir: string;
        /**
         * age public keys (age1...) every version is encrypted to.
         *
         * @minItems 1
         */
        recipients: [string, ...string[]];
        /**
         * Name of the environment variable holding the secret (never the secret itself).
         */
        identityEnv?: string;
      }
    | {
        kind: "vault-kv2";
        /**
         * KV v2 mount path (e.g. secret).
         */
        mount: string;
        /**
         * Path under the mount before <source>/<account>.
         */
        prefix?: string;
        timeoutMs?: number;
      };
  /**
   * Shortest secret generated, whatever the effective policy allows.
   */
  minimumLength?: number;
  /**
   * Items of one source rotated at once.
   */
  concurrency?: number;
  /**
   * Password writes per second per source; 0 = unlimited.
   */
  ratePerSecond?: number;
  /**
   * Stop after this many consecutive failures; 0 = never.
   */
  stopAfterFailures?: number;
  /**
   * Folder for plans, journals and rotation reports written by scan hooks.
   */
  dir?: string;
  /**
   * Failing controls that make `credgov scan` write a rotation plan, and what to do with it.
   */
  triggers?: {
    /**
     * @minItems 1
     */
    controls: [string, ...string[]];
    /**
     * plan: write it; notify: write it and fire hooks; apply: also apply it (up to maxItems).
     */
    action: "plan" | "notify" | "apply";
    /**
     * apply: most items rotated per scan run; a larger plan is only written and notified.
     */
    maxItems?: number;
  }[];
  hooks?: (
    | {
        kind: "webhook";
        url: string;
        /**
         * Name of the environment variable holding the secret (never the secret itself).
         */
        secretEnv?: string;
        timeoutMs?: number;
        retries?: number;
        events?: ("plan.created" | "item.committed" | "item.failed" | "run.completed")[];
      }
    | {
        kind: "exec";
        /**
         * Program and arguments, run without a shell; the event is JSON on stdin.
         *
         * @minItems 1
         */
        argv: [string, ...string[]];
        timeoutMs?: number;
        events?: ("plan.created" | "item.committed" | "item.failed" | "run.completed")[];
      }
  )[];
}
/**
 * This interface was referenced by `CredgovConfigFile`'s JSON-Schema
 * via the `definition` "Tls".
 */
export interface Tls {
  caFile?: string;
  rejectUnauthorized?: boolean;
}
/**
 * This interface was referenced by `CredgovConfigFile`'s JSON-Schema
 * via the `definition` "SourceBase".
 */
export interface SourceBase {
  /**
   * Stable id used in account ids and settings (letters, digits, . _ -; at most 64: it starts every account, credential and reset path id of the source).
   */
  id: string;
  kind: "ad" | "ldap" | "entra" | "github";
}
/**
 * Active Directory (kind ad) or another LDAP directory (kind ldap): a live server (url) or an LDIF export (file).
 *
 * This interface was referenced by `CredgovConfigFile`'s JSON-Schema
 * via the `definition` "DirectorySource".
 */
export interface DirectorySource {
  id?: unknown;
  kind?: unknown;
  /**
   * ldap://host:389 or ldaps://host:636.
   */
  url?: string;
  /**
   * LDIF as `ldapsearch -LLL` writes it.
   */
  file?: string;
  baseDN?: string;
  bindDN?: string;
  passwordEnv?: EnvName;
  startTLS?: boolean;
  tls?: Tls;
  pageSize?: number;
  timeoutMs?: number;
  /**
   * kind ad, live: ask for member and memberOf in ranges of this many values (AD range retrieval). Without it whole attributes are asked for and the ranges the DC answers with (MaxValRange, 1500 values by default) are followed up either way.
   */
  valueRangeSize?: number;
  /**
   * kind ldap: attributes naming an entry's owner (e.g. owner, manager, seeAlso).
   */
  ownerAttributes?: string[];
  /**
   * OU names (any level, e.g. Service Accounts) or full OU DNs whose accounts are service accounts. Default: Service Accounts, ServiceAccounts, Services.
   */
  serviceOUs?: string[];
  /**
   * Name globs (* = any run, ? = one character, case-insensitive) of service accounts. Default: svc-*, svc_*, svc.*, *-svc, *_svc, sa-*, srv-*.
   */
  serviceAccountPatterns?: string[];
  /**
   * kind ldap: DN of the ppolicy default policy (slapd ppolicy_default / olcPPolicyDefault), for accounts without pwdPolicySubentry.
   */
  defaultPolicyDN?: string;
  /**
   * kind ldap: names (cn) or DNs of groups whose members are privileged. Default: admins, administrators, ldap-admins, wheel.
   */
  adminGroups?: string[];
}
/**
 * Entra ID: live Microsoft Graph (an @azure/identity credential; tenantId/clientId or AZURE_TENANT_ID/AZURE_CLIENT_ID) or Graph exports (dir).
 *
 * This interface was referenced by `CredgovConfigFile`'s JSON-Schema
 * via the `definition` "EntraSource".
 */
export interface EntraSource {
  id?: unknown;
  kind?: unknown;
  /**
   * Folder of Graph v1.0 response bodies (see docs/exports.md).
   */
  dir?: string;
  /**
   * Directory (tenant) id; default AZURE_TENANT_ID.
   */
  tenantId?: string;
  /**
   * Application (client) id; default AZURE_CLIENT_ID. With auth managedIdentity: a user-assigned identity's client id.
   */
  clientId?: string;
  /**
   * Sign-in method. Default: from the settings given (clientSecretEnv, certificate, federatedTokenFile), else from AZURE_CLIENT_SECRET, AZURE_CLIENT_CERTIFICATE_PATH or AZURE_FEDERATED_TOKEN_FILE.
   */
  auth?: "clientSecret" | "certificate" | "workloadIdentity" | "managedIdentity";
  clientSecretEnv?: EnvName;
  certificate?: {
    /**
     * PEM file holding the certificate and its private key.
     */
    file: string;
    passwordEnv?: EnvName;
  };
  /**
   * Workload identity federation: file holding the CI's OIDC token (default AZURE_FEDERATED_TOKEN_FILE).
   */
  federatedTokenFile?: string;
  /**
   * Microsoft Entra authority: https://login.microsoftonline.us (US Government), https://login.chinacloudapi.cn (China, 21Vianet); default AZURE_AUTHORITY_HOST.
   */
  authorityHost?: string;
  /**
   * Microsoft Graph endpoint: https://graph.microsoft.us, https://dod-graph.microsoft.us, https://microsoftgraph.chinacloudapi.cn.
   */
  graphBaseUrl?: string;
  /**
   * Graph requests in flight at once.
   */
  concurrency?: number;
  /**
   * Retries of a throttled (429) or unavailable (503, 504) request, after Retry-After or a backoff.
   */
  maxRetries?: number;
  /**
   * Backoff base when the server gives no Retry-After.
   */
  retryDelaySeconds?: number;
  timeoutMs?: number;
  /**
   * Rotation of application client secrets (credgov rotate).
   */
  rotation?: {
    /**
     * How long the old secret keeps working after the new one is promoted, before removePassword.
     */
    overlapSeconds?: number;
    /**
     * Lifetime of a new client secret.
     */
    lifetimeDays?: number;
  };
}
/**
 * A GitHub organisation: live REST/GraphQL (org + tokenEnv or app) or exports (dir).
 *
 * This interface was referenced by `CredgovConfigFile`'s JSON-Schema
 * via the `definition` "GithubSource".
 */
export interface GithubSource {
  id?: unknown;
  kind?: unknown;
  org?: string;
  /**
   * Folder of REST/GraphQL response bodies (see docs/exports.md).
   */
  dir?: string;
  tokenEnv?: EnvName;
  app?: {
    [k: string]: unknown;
  } & {
    appId: number | string;
    installationId: number;
    privateKeyEnv?: EnvName;
    /**
     * PEM file of the GitHub App's private key.
     */
    privateKeyFile?: string;
  };
  /**
   * REST API root: https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.
   */
  baseUrl?: string;
  /**
   * Repositories read at once.
   */
  concurrency?: number;
  /**
   * Waits for a primary or secondary rate limit per request before the call is reported as failed.
   */
  rateLimitRetries?: number;
  timeoutMs?: number;
}
