// The Rotator seam: one implementation per directory or API that can change a credential
// (AD, OpenLDAP here; Entra app secrets and GitHub Actions secrets / deploy keys beside them).
// The runner (runner.ts) owns ordering, the journal and the sink; a rotator only talks to its
// directory. It never logs, returns or throws the secret (errors name the account and step).
import type { PlanItem, RotatorKind, SecretConstraints } from "./plan.ts";

/** What authenticating with a candidate secret showed. */
export type Verification =
  /** The directory accepted the secret (a bind, a token request...). */
  | "works"
  /** The directory answered and rejected it (invalid credentials). */
  | "rejected"
  /** The credential cannot be tested by its holder (a write-only Actions secret): the runner
   *  then trusts a successful `set` and, on resume, sets the pending secret again. */
  | "unverifiable";

/** A non-secret reference a rotator may return from `set` (an Entra keyId, a deploy key id):
 *  journaled, shown in the report, passed back to `retire`. */
export interface SetResult {
  ref?: string;
}

export interface Rotator {
  readonly kind: RotatorKind;

  /**
   * Plan-time check, no I/O: `undefined` when this rotator can rotate the item, else the reason it
   * is skipped (e.g. "gMSA: the domain rotates it", "LAPS-managed", "disabled: cannot verify").
   */
  canRotate(item: PlanItem): string | undefined;

  /**
   * Limits the new secret must meet, from the item's effective policy (already in
   * `item.constraints`) tightened by what this directory imposes (AD: 256 characters, the
   * account-name rule). The runner generates the secret with a CSPRNG to these limits.
   * A rotator whose directory issues the secret itself (`issue`) may return them unchanged.
   */
  constraints(item: PlanItem): SecretConstraints;

  /**
   * Makes `secret` the credential's current value in the directory and removes any user step
   * (AD pwdLastSet=-1, OpenLDAP pwdReset cleared). Idempotent: setting the same secret twice is
   * safe, because resume may repeat it. Throws RotationError on failure.
   */
  set(item: PlanItem, secret: string): Promise<SetResult>;

  /**
   * Authenticates as the account with `secret` on a fresh connection (never the admin session).
   * Throws only when it cannot tell (server down): resume then asks again later.
   * Resume uses it to find which of the pending and the previous secret the directory holds
   * after a crash between "applied" and "verified".
   */
  verify(item: PlanItem, secret: string): Promise<Verification>;

  /**
   * Optional, for directories that create the secret (Entra addPassword): returns it instead of
   * the runner generating one, with the reference of the new key. The runner stores it pending
   * at once. Rotators without it get `set` with a generated secret.
   */
  issue?(item: PlanItem): Promise<{ secret: string; ref: string }>;

  /**
   * Optional, for credentials that coexist (Entra app secrets, deploy keys): removes the old key
   * after the new one is verified and promoted. `keepRef` is the new key's reference.
   */
  retire?(item: PlanItem, keepRef: string | undefined): Promise<void>;

  /** Closes connections; called once when the run ends. */
  close(): Promise<void>;
}

/** A failed rotation step with its context (never the secret). */
export class RotationError extends Error {
  readonly step: string;
  readonly code: string | undefined;
  /** Worth retrying later (network, busy server) rather than a refusal (policy, rights). */
  readonly transient: boolean;

  constructor(step: string, message: string, options: { code?: string; transient?: boolean; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "RotationError";
    this.step = step;
    this.code = options.code;
    this.transient = options.transient ?? false;
  }
}
