// The rotation plan: what `credgov rotate plan` writes and `credgov rotate apply` runs, exactly.
// It holds no secret. Its approval is the SHA-256 of the plan file's bytes, so any change to an
// item, its order or its sink location after approval makes `apply` refuse it.
import { createHash } from "node:crypto";
import type { CredentialType } from "../snapshot/types.ts";

/** Directory or API that can set a new secret for a credential (one Rotator each). */
export type RotatorKind = "ad" | "ldap" | "entra" | "github";

/** Where a rotated secret is delivered: one SecretSink kind and a location inside it. */
export interface SinkLocation {
  kind: "age-file" | "vault-kv2";
  /** age-file: relative path under the store folder; vault-kv2: `mount/path` of the secret. */
  location: string;
}

/** Limits on the generated secret, derived from the target's effective policy in the snapshot
 *  and the configured minimums (see secret-constraints.ts). */
export interface SecretConstraints {
  minLength: number;
  /** The directory's maximum (AD: 256 UTF-16 units); absent means no known maximum. */
  maxLength?: number;
  /** Character classes the secret must contain at least one of each. */
  requiredClasses: Array<"lower" | "upper" | "digit" | "symbol">;
  /** Case-insensitive substrings that must not occur (AD complexity: the account name and its
   *  display-name tokens of 3+ characters). */
  forbiddenSubstrings: string[];
  /** Id of the snapshot password policy the limits came from, for the report. */
  policy?: string | null;
}

/** One credential to rotate. Everything a rotator and a sink need to act, no secret. */
export interface PlanItem {
  /** Stable within the plan ("0001"...); journal records and events refer to it. */
  id: string;
  /** Execution order (1-based); items of one source run in this order, `concurrency` at a time. */
  order: number;
  /** Snapshot credential id (e.g. `corp-ad:<guid>:password`). */
  credential: string;
  credentialType: CredentialType;
  account: PlanAccount;
  source: { id: string; kind: string; endpoint: string };
  rotator: RotatorKind;
  sink: SinkLocation;
  /** Control ids that selected the item (or `selector:<expr>` for a mass reset). */
  reasons: string[];
  constraints: SecretConstraints;
  /** Other accounts of the same correlated identity (e.g. the Entra account an AD account
   *  syncs to): the rotation is complete only when each of them agrees (see report). */
  linkedAccounts: LinkedAccount[];
}

/** An account of the same identity in another directory. */
export interface LinkedAccount {
  id: string;
  source: string;
  kind: string;
  name: string;
  /** How the identities were correlated (objectGuid-immutableId, upn, ...). */
  via: string;
  /** The other directory takes its password from this one (Entra password hash sync of an AD
   *  account): the rotation is complete only once that directory shows the change. */
  sharesPassword: boolean;
}

/** The account facts rotators use, copied from the snapshot so apply needs no snapshot. */
export interface PlanAccount {
  id: string;
  name: string;
  kind: string;
  enabled: boolean;
  dn?: string;
  samAccountName?: string;
  userPrincipalName?: string;
  uid?: string;
  /** Cloud native ids (application object id, repository, key id) for cloud rotators. */
  nativeIds?: Record<string, string | number>;
  gmsa?: boolean;
  laps?: boolean;
  passwordLastSet?: string | null;
}

/** A selected credential the plan will not rotate, and why (gMSA, LAPS, disabled, no rotator). */
export interface SkippedItem {
  credential: string;
  account: string;
  name: string;
  source: string;
  reasons: string[];
  skip: string;
}

export interface Plan {
  planVersion: 1;
  createdAt: string;
  generator: { name: "credgov"; version: string };
  /** What the plan was built from (auditors trace an item back to its finding). */
  input: {
    snapshot: string;
    snapshotGeneratedAt: string;
    findings?: string;
    controls?: string[];
    subjects?: string[];
    accounts?: string;
  };
  items: PlanItem[];
  skipped: SkippedItem[];
}

/** The approval token: lower-case hex SHA-256 of the plan file exactly as written. */
export function planDigest(bytes: Uint8Array | string): string {
  return createHash("sha256").update(bytes).digest("hex");
}
