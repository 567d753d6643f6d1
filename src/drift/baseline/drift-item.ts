// One difference between the declared baseline and the collected estate.
import type { BaselineLocation } from "./types.ts";

export interface DriftSubject {
  kind: string;
  id: string;
  name: string;
}

export interface DriftItem {
  /** Stable across runs: source, baseline field and subject. */
  key: string;
  /** drift: the estate differs; unknown: the value was not collected, so it cannot be judged. */
  status: "drift" | "unknown";
  source: string;
  /** The baseline field, as written: `passwordPolicies[0].minLength`, `settings.ssprEnabled`. */
  setting: string;
  expected: unknown;
  actual: unknown;
  subject: DriftSubject;
  message: string;
  evidence: Record<string, unknown>;
  baseline: BaselineLocation;
}
