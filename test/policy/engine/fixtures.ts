// Fixture snapshots under test/fixtures/snapshots/ and one evaluation per snapshot, shared by
// the engine tests (compiling the library takes seconds; the cache makes reruns fast).
import { readFileSync } from "node:fs";
import { loadCatalog } from "../../../src/policy/catalog/load.ts";
import { evaluateSnapshot, type EvaluateOptions, type Evaluation } from "../../../src/policy/engine/index.ts";
import type { Snapshot } from "../../../src/snapshot/types.ts";

export function loadSnapshotFixture(name: string): Snapshot {
  return JSON.parse(readFileSync(new URL(`../../fixtures/snapshots/${name}.json`, import.meta.url), "utf8")) as Snapshot;
}

export async function evaluateFixture(name: string, options: Partial<EvaluateOptions> = {}): Promise<Evaluation & { warnings: string[] }> {
  const warnings: string[] = [];
  const evaluation = await evaluateSnapshot(loadSnapshotFixture(name), { catalog: loadCatalog(), warn: (m) => warnings.push(m), ...options });
  return { ...evaluation, warnings };
}
