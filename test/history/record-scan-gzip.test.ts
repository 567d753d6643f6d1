// A scan whose snapshot is a snapshot.json.gz is recorded like one from snapshot.json: the
// hash is the snapshot JSON's, and the kept snapshot is the JSON (gzipped once by history),
// which a later drift can index.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { indexSnapshot, indexSnapshotBytes } from "../../src/drift/snapshot-index.ts";
import { openHistory } from "../../src/history/open.ts";
import { recordScan } from "../../src/history/record-scan.ts";
import { writeSnapshot } from "../../src/snapshot/store.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";

const dir = mkdtempSync(join(tmpdir(), "credgov-history-gz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const snapshot = JSON.parse(readFileSync(new URL("../fixtures/snapshots/all-controls.json", import.meta.url), "utf8")) as Snapshot;

describe("recording a scan of a snapshot.json.gz", () => {
  it("hashes and keeps the snapshot JSON, as for snapshot.json", async () => {
    const plain = join(dir, "snapshot.json");
    const gz = join(dir, "snapshot.json.gz");
    await writeSnapshot(plain, snapshot);
    await writeSnapshot(gz, snapshot);
    expect(readFileSync(gz).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    const store = await openHistory({ target: join(dir, "history.db"), field: "--history" });
    try {
      const common = { startedAt: new Date("2026-11-01T00:00:00Z"), finishedAt: new Date("2026-11-01T00:01:00Z"), snapshot, findings: [], policySha256: null, exitCode: 0, toolVersion: "test", keepSnapshot: true };
      const a = await recordScan(store, { ...common, snapshotFile: plain });
      const b = await recordScan(store, { ...common, snapshotFile: gz, startedAt: new Date("2026-11-02T00:00:00Z") });
      expect(b.snapshotSha256).toBe(a.snapshotSha256);
      const kept = (await store.snapshot(b.id))!;
      expect(Buffer.from(kept).equals(readFileSync(plain))).toBe(true);
      expect(await indexSnapshotBytes(kept)).toEqual(indexSnapshot(snapshot));
    } finally {
      await store.close();
    }
  });
});
