// The earlier snapshot indexed line by line (credgov's layout) holds exactly what indexing the
// parsed snapshot holds; any other layout falls back to parsing.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { diffWithIndex } from "../../src/drift/object-diff.ts";
import { indexSnapshot, indexSnapshotBytes, indexSnapshotFile, indexSnapshotLines } from "../../src/drift/snapshot-index.ts";
import { writeSnapshot } from "../../src/snapshot/store.ts";
import { estate } from "./estate-fixture.ts";

const dir = mkdtempSync(join(tmpdir(), "credgov-index-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("snapshot index", () => {
  it("reads credgov's one-element-per-line layout without parsing the document, to the same index", async () => {
    const snapshot = estate();
    snapshot.accounts[0].name = 'svc-"quoted" ünïcode';
    snapshot.accounts[1].id = 'corp-ad:with\\"escape';
    const file = join(dir, "s.json");
    await writeSnapshot(file, snapshot);
    const lines = await indexSnapshotLines([readFileSync(file, "utf8")]);
    expect(lines).toBeDefined();
    expect(lines).toEqual(indexSnapshot(snapshot));
    expect(await indexSnapshotBytes(readFileSync(file))).toEqual(indexSnapshot(snapshot));
    // Split at awkward places: chunk boundaries inside lines and inside multi-byte characters.
    const text = readFileSync(file, "utf8");
    const pieces = Array.from({ length: Math.ceil(text.length / 7) }, (_, i) => text.slice(i * 7, i * 7 + 7));
    expect(await indexSnapshotLines(pieces)).toEqual(indexSnapshot(snapshot));
  });

  it("falls back to parsing (and validating) any other layout", async () => {
    const file = join(dir, "pretty.json");
    writeFileSync(file, JSON.stringify(estate(), null, 2));
    expect(await indexSnapshotLines([readFileSync(file, "utf8")])).toBeUndefined();
    expect(await indexSnapshotFile(file)).toEqual(indexSnapshot(estate()));
    const broken = join(dir, "broken.json");
    writeFileSync(broken, JSON.stringify({ ...estate(), accounts: "none" }, null, 2));
    await expect(indexSnapshotFile(broken)).rejects.toThrow(/not a valid credgov snapshot/);
  });

  it("indexes a snapshot.json.gz line by line too", async () => {
    const file = join(dir, "s.json.gz");
    await writeSnapshot(file, estate());
    expect(await indexSnapshotFile(file)).toEqual(indexSnapshot(estate()));
  });

  it("gives the same diff as the parsed snapshot", async () => {
    const before = estate();
    const file = join(dir, "before.json");
    await writeSnapshot(file, before);
    const after = estate();
    after.accounts[0].enabled = false;
    after.resetPaths.pop();
    expect(diffWithIndex(await indexSnapshotFile(file), after)).toEqual(diffWithIndex(indexSnapshot(before), after));
    expect(diffWithIndex(await indexSnapshotFile(file), after).changes.map((c) => `${c.kind}:${c.change}`)).toEqual(["accounts:changed", "resetPaths:removed"]);
  });
});
