import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/errors.ts";
import { readSnapshotHeader } from "../../../src/report/evidence/snapshot-header.ts";

const fixture = fileURLToPath(new URL("../../fixtures/snapshots/collection-errors.json", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "credgov-header-"));

describe("readSnapshotHeader", () => {
  it("gives the same generatedAt, generator and sources as parsing the whole file", async () => {
    const full = JSON.parse(readFileSync(fixture, "utf8")) as Record<string, unknown>;
    expect(await readSnapshotHeader(fixture)).toEqual({ generatedAt: full.generatedAt, generator: full.generator, sources: full.sources });
  });

  it("reads values that span read chunks, with braces, brackets, quotes and escapes inside strings", async () => {
    const tricky = 'a "quoted" } ] { [ \\ value, with commas';
    const sources = Array.from({ length: 12000 }, (_, i) => ({ id: `s${i}`, endpoint: tricky, queries: [{ call: `GET /x?$filter=a eq '${i}'`, resultCount: i }] }));
    const file = join(work, "big.json");
    expect(JSON.stringify(sources).length).toBeGreaterThan(1 << 20); // more than one read chunk
    // Key order differs from credgov's writer on purpose; accounts come last and are large.
    writeFileSync(file, `{"schemaVersion":1,"sources":${JSON.stringify(sources)},"generator":{"name":"credgov","version":"1"},\n"generatedAt" : "2026-01-01T00:00:00Z","accounts":[${'{"id":"x"},'.repeat(200000)}{"id":"y"}]}`);
    const header = await readSnapshotHeader(file);
    expect(header.sources).toEqual(sources);
    expect(header.generatedAt).toBe("2026-01-01T00:00:00Z");
    expect(header.generator).toEqual({ name: "credgov", version: "1" });
  });

  it("reads a snapshot.json.gz, and names a file that is not gzip", async () => {
    const gz = join(work, "snapshot.json.gz");
    writeFileSync(gz, gzipSync(readFileSync(fixture)));
    expect(await readSnapshotHeader(gz)).toEqual(await readSnapshotHeader(fixture));
    const fake = join(work, "fake.json.gz");
    writeFileSync(fake, readFileSync(fixture));
    await expect(readSnapshotHeader(fake)).rejects.toMatchObject({ message: expect.stringContaining("not a readable gzip file") });
  });

  it("names the file and the missing field", async () => {
    const file = join(work, "partial.json");
    writeFileSync(file, '{"generatedAt":"2026-01-01T00:00:00Z","sources":[]}');
    await expect(readSnapshotHeader(file)).rejects.toThrow(UserInputError);
    await expect(readSnapshotHeader(file)).rejects.toMatchObject({ message: expect.stringContaining('"generator"') });
  });
});
