// Findings rendered by the report tests: real engine output for the collection-errors
// snapshot (fails, passes, errors, not_evaluated) with one excepted failure.
import { readFileSync } from "node:fs";
import type { Finding } from "../../src/policy/engine/finding.ts";

export function loadFindingsFixture(): Finding[] {
  return JSON.parse(readFileSync(new URL("./findings.fixture.json", import.meta.url), "utf8")) as Finding[];
}
