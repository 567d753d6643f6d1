// The SecretSink seam: where a rotated secret is delivered to the systems that use it (an
// age-encrypted file store by default, Vault / OpenBao KV v2). A location holds numbered
// versions and three pointers: pending (written, not yet known to work), current (what
// consumers read) and previous (the one before current, kept for rollback and resume).
// The runner writes pending before the directory changes and promotes it only after the
// directory accepted it, so a crash at any point leaves a working secret retrievable here.

/** One stored secret. `version` is the sink's own version id (a number for both sinks). */
export interface StoredSecret {
  version: number;
  secret: string;
}

export type SinkPointer = "pending" | "current" | "previous";

export interface SinkVersionInfo {
  version: number;
  createdAt: string;
  role: "pending" | "current" | "previous" | "superseded";
}

/** Non-secret facts stored beside a version, so a reader can trace it to the run. */
export interface PendingMetadata {
  planDigest: string;
  item: string;
  /** Keyed fingerprint of the secret (journal.ts), never the secret. */
  fingerprint: string;
}

export interface SecretSink {
  readonly kind: "age-file" | "vault-kv2";

  /**
   * Stores `secret` as a new version and marks it pending (current is unchanged). Returns the
   * version. Durable when the promise resolves. Throws SinkError on failure.
   */
  putPending(location: string, secret: string, metadata: PendingMetadata): Promise<number>;

  /**
   * Makes `version` current and the old current previous; clears pending. Idempotent: promoting
   * the version that is already current changes nothing (resume may repeat it).
   */
  promote(location: string, version: number): Promise<void>;

  /**
   * The secret a pointer names: `pending` (waiting, if any), `current` (what consumers use now)
   * or `previous` (what current was before the last promotion).
   */
  read(location: string, pointer: SinkPointer): Promise<StoredSecret | undefined>;

  listVersions(location: string): Promise<SinkVersionInfo[]>;
}

/** A sink operation that failed, with the location and the step (never the secret). */
export class SinkError extends Error {
  readonly location: string;
  readonly step: string;
  readonly code: string | undefined;
  readonly transient: boolean;

  constructor(location: string, step: string, message: string, options: { code?: string; transient?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SinkError";
    this.location = location;
    this.step = step;
    this.code = options.code;
    this.transient = options.transient ?? false;
  }
}
