// Defaults applied after validation. The schema carries the same values as `default`
// annotations for editors; a test keeps the two in step.
import type { Thresholds } from "./types.ts";

export const defaultThresholds: Thresholds = {
  rotationDays: 90,
  maxSecretLifetimeDays: 180,
  syncWindowHours: 24,
  krbtgtMaxAgeDays: 180,
  minPasswordLength: 14,
  privilegedPasswordMaxAgeDays: 365,
};

export const defaultDirectorySource = {
  startTLS: false,
  pageSize: 1000,
  timeoutMs: 30_000,
  tlsRejectUnauthorized: true,
};

export const defaultGraphBaseUrl = "https://graph.microsoft.com";
export const defaultGithubBaseUrl = "https://api.github.com";
export const defaultTimeoutMs = 30_000;
export const defaultOutputDir = "reports";
/** Scan history (SQLite) when the config names none, beside the config. */
export const defaultHistoryPath = ".credgov/history.db";
