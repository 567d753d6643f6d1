// Records of the rotation journal (one JSON object per line, append-only, fsync'd per record;
// journal.ts writes and replays them). Together they say, per plan item, the last state that
// is durable in the directory and the sink, so `rotate resume` knows where to pick up.
// No record ever holds a secret: `fingerprint` is HMAC-SHA256 keyed with the run's random salt
// (secrets are 128+ random bits, so it cannot be inverted; it only tells two secrets apart).

/**
 * planned → generated → stored-pending (sink) → applied (directory) → verified (authenticated
 * with it) → promoted (sink current) → committed. `failed` records the step that failed and the
 * last good state; `skipped` items were never attempted (gMSA, LAPS, no rotator).
 */
export type ItemState = "planned" | "generated" | "stored-pending" | "applied" | "verified" | "promoted" | "committed" | "failed" | "skipped";

/** The order of the forward states; a later one implies every earlier one happened. */
export const forwardStates = ["planned", "generated", "stored-pending", "applied", "verified", "promoted", "committed"] as const;
export type ForwardState = (typeof forwardStates)[number];

/** First line: the run that owns the journal. */
export interface RunRecord {
  type: "run";
  journalVersion: 1;
  /** SHA-256 of the plan file that was approved; resume refuses another plan. */
  planDigest: string;
  /** Plan file path as given to apply (resume reads the plan from there). */
  plan: string;
  startedAt: string;
  /** Random per-run salt of the secret fingerprints (hex). */
  fingerprintSalt: string;
  host: string;
  pid: number;
}

export interface ItemRecord {
  type: "item";
  item: string;
  state: ItemState;
  at: string;
  /** 1 for the first attempt, +1 for each resume that re-drives the item. */
  attempt: number;
  /** Keyed fingerprint of the secret this attempt works with (from "generated" on). */
  fingerprint?: string;
  /** Sink version holding the pending secret (from "stored-pending" on). */
  sinkVersion?: number;
  /** Rotator's non-secret reference (Entra keyId...). */
  ref?: string;
  /** verified: how; resume: which secret was found to work ("pending" | "previous"). */
  detail?: string;
  /** failed: the last durable forward state, the step that failed and why. */
  lastGood?: ForwardState;
  error?: { step: string; message: string; code?: string; transient?: boolean };
}

/** A resume of the run (or the first apply) started or ended. */
export interface SessionRecord {
  type: "session";
  event: "start" | "end";
  at: string;
  /** "apply" or "resume". */
  command: "apply" | "resume";
  pid: number;
  /** end: why the session stopped. */
  outcome?: "completed" | "stopped-after-failures" | "interrupted";
  counts?: Partial<Record<ItemState, number>>;
}

export type JournalRecord = RunRecord | ItemRecord | SessionRecord;
