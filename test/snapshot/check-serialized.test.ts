// The element-by-element validation `credgov evaluate` runs on a snapshot's bytes (a 1M-account
// snapshot is never held parsed) finds what validateSnapshot + checkIntegrity find on the
// parsed snapshot.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { checkSerializedSnapshot, SerializedSnapshotSyntaxError } from "../../src/snapshot/check-serialized.ts";
import { checkIntegrity } from "../../src/snapshot/integrity.ts";
import { snapshotText } from "../../src/snapshot/store.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";
import { validateSnapshot } from "../../src/snapshot/validate.ts";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/snapshots/${name}`, import.meta.url), "utf8")) as Snapshot;
const bytes = (snapshot: unknown) => Buffer.from([...snapshotText(snapshot as Snapshot)].join(""));
const sorted = (problems: { pointer: string; message: string }[]) => [...problems].sort((a, b) => (a.pointer + a.message < b.pointer + b.message ? -1 : 1));

describe("checkSerializedSnapshot", () => {
  it.each(["all-controls.json", "collection-errors.json"])("accepts %s, with its small members parsed and its arrays counted", (name) => {
    const snapshot = fixture(name);
    const checked = checkSerializedSnapshot(bytes(snapshot));
    expect(checked.schema).toEqual([]);
    expect(checked.integrity).toEqual([]);
    expect(checked.head.sources).toEqual(snapshot.sources);
    expect(checked.head.settings).toEqual(snapshot.settings);
    expect(checked.head.accounts).toEqual([]);
    expect(checked.counts.accounts).toBe(snapshot.accounts.length);
    expect(checked.counts.resetPaths).toBe(snapshot.resetPaths.length);
  });

  it("reports the schema problems validateSnapshot reports, in elements and in the small members", () => {
    const bad = fixture("all-controls.json") as unknown as { accounts: Record<string, unknown>[]; credentials: Record<string, unknown>[]; sources: Record<string, unknown>[]; generatedAt: unknown };
    bad.accounts[3].kind = "robot";
    bad.accounts[7].lastLogon = "yesterday";
    bad.credentials[1].secretValue = "x";
    delete bad.sources[0].status;
    bad.generatedAt = 12;
    const expected = validateSnapshot(bad);
    expect(expected.length).toBeGreaterThanOrEqual(5);
    const checked = checkSerializedSnapshot(bytes(bad));
    expect(sorted(checked.schema)).toEqual(sorted(expected));
    expect(checked.integrity).toEqual([]);
  });

  it("reports the integrity problems checkIntegrity reports, in the same order", () => {
    const snapshot = fixture("all-controls.json");
    snapshot.accounts.push({ ...snapshot.accounts[0] });
    snapshot.resetPaths[0].target = "nowhere:nobody";
    snapshot.credentials[2].account = "nowhere:ghost";
    snapshot.identities[0].accounts.push("gh:ghost");
    snapshot.accounts[1].passwordPolicy = "no-such-policy";
    const expected = checkIntegrity(snapshot);
    expect(expected.length).toBe(5);
    expect(checkSerializedSnapshot(bytes(snapshot)).integrity).toEqual(expected);
  });

  it("refuses malformed JSON and a key repeated inside an element (the caller then says where)", () => {
    const text = bytes(fixture("all-controls.json")).toString("utf8");
    const truncated = Buffer.from(text.slice(0, Math.floor(text.length / 2)));
    expect(() => checkSerializedSnapshot(truncated)).toThrow(SerializedSnapshotSyntaxError);
    const repeated = Buffer.from(text.replace('"enabled":true', '"enabled":true,"enabled":false'));
    expect(repeated.equals(Buffer.from(text))).toBe(false);
    expect(() => checkSerializedSnapshot(repeated)).toThrow(/repeated key/);
    const brokenElement = Buffer.from(text.replace('"enabled":true', '"enabled":tru'));
    expect(() => checkSerializedSnapshot(brokenElement)).toThrow(SerializedSnapshotSyntaxError);
  });
});
