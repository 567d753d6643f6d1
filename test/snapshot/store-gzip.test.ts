// snapshot.json.gz: written gzip-compressed when the path ends in .gz, and read back (streamed,
// whatever its size) into the same snapshot; a corrupt one is an input error naming the file.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { UserInputError } from "../../src/errors.ts";
import { main } from "../../src/cli/main.ts";
import { readFileBytes } from "../../src/io/read-file-bytes.ts";
import { readSnapshot, writeSnapshot } from "../../src/snapshot/store.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";

const dir = mkdtempSync(join(tmpdir(), "credgov-snapshot-gz-"));
const fixture = JSON.parse(readFileSync(new URL("../fixtures/snapshots/all-controls.json", import.meta.url), "utf8")) as Snapshot;

describe("snapshot.json.gz", () => {
  it("is written gzipped and read back as the same snapshot", async () => {
    const plain = join(dir, "snapshot.json");
    const gz = join(dir, "snapshot.json.gz");
    await writeSnapshot(plain, fixture);
    await writeSnapshot(gz, fixture);
    const compressed = readFileSync(gz);
    expect([compressed[0], compressed[1]]).toEqual([0x1f, 0x8b]);
    expect(compressed.length).toBeLessThan(readFileSync(plain).length / 3);
    // The same text as the uncompressed file, byte for byte.
    expect(gunzipSync(compressed).equals(readFileSync(plain))).toBe(true);
    expect(await readSnapshot(gz)).toEqual(fixture);
    expect((await readFileBytes(gz)).equals(readFileSync(plain))).toBe(true);
  });

  it("is evaluated by credgov evaluate like the uncompressed snapshot", async () => {
    const gz = join(dir, "eval.json.gz");
    await writeSnapshot(gz, fixture);
    const code = await main([process.execPath, "credgov", "evaluate", "--quiet", "--snapshot", gz, "--out", join(dir, "eval"), "--fail-on", "none"]);
    expect(code).toBe(0);
    const findings = JSON.parse(readFileSync(join(dir, "eval", "findings.json"), "utf8")) as { findings?: { status: string }[] } | { status: string }[];
    const list = Array.isArray(findings) ? findings : (findings.findings ?? []);
    expect(list.filter((f) => f.status === "fail").length).toBeGreaterThan(10);
    expect(list.filter((f) => f.status === "error")).toEqual([]);
  }, 120_000);

  it("reports a file that is not gzip as an input error naming it", async () => {
    const bad = join(dir, "bad.json.gz");
    writeFileSync(bad, JSON.stringify(fixture));
    const error = await readSnapshot(bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as UserInputError).format()).toMatch(/^.*bad\.json\.gz.*not a readable gzip file/);
  });
});
