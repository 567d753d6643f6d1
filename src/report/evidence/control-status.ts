// Combining results: a framework requirement or an NIST function is as bad as the worst
// control mapped to it (an excepted fail ranks below an error: the risk was accepted).
import type { ControlStatus } from "./model.ts";

const statusRank: Record<ControlStatus, number> = { fail: 5, error: 4, not_evaluated: 3, excepted: 2, pass: 1, not_applicable: 0 };

export function worstStatus(statuses: Iterable<ControlStatus>): ControlStatus | null {
  let worst: ControlStatus | null = null;
  for (const s of statuses) if (worst === null || statusRank[s] > statusRank[worst]) worst = s;
  return worst;
}

export const statusLabel: Record<ControlStatus, string> = {
  fail: "FAIL",
  error: "ERROR",
  not_evaluated: "NOT EVALUATED",
  excepted: "EXCEPTED",
  pass: "PASS",
  not_applicable: "N/A",
};
