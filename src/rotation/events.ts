// Events the rotation hooks receive (webhook body, exec stdin): what happened to which
// credential, never a secret. `planDigest` ties every event to the approved plan.
import type { ItemState } from "./journal-record.ts";

export type RotationEvent =
  | {
      type: "plan.created";
      planDigest: string;
      plan: string;
      items: number;
      skipped: number;
      controls: string[];
      /** What the scan's rotation hooks do with it: plan only, notify, or auto-apply. */
      action: "plan" | "notify" | "apply";
      at: string;
    }
  | { type: "item.committed"; planDigest: string; item: string; account: string; source: string; credential: string; sinkVersion: number; at: string }
  | { type: "item.failed"; planDigest: string; item: string; account: string; source: string; credential: string; step: string; message: string; lastGood: string; at: string }
  | { type: "run.completed"; planDigest: string; outcome: "completed" | "stopped-after-failures"; counts: Partial<Record<ItemState, number>>; at: string };
