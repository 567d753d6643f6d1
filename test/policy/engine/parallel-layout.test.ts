// Locating a snapshot's elements with the batch workers' help gives the layout one thread
// finds, whatever the document looks like where a chunk starts: credgov's one element per
// line (the workers' guesses hold), pretty-printed JSON (nested objects begin lines), one
// line without any newline (no guess at all), braces and escaped newlines inside strings; and
// the digests of the elements' members that link subjects are those one thread takes.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildEstate, writeEstate } from "../../../bench/estate/generate.ts";
import { main } from "../../../src/cli/main.ts";
import { jsonObjectLayout, windowBytes, type JsonObjectLayout } from "../../../src/io/json-layout.ts";
import { MemberDigestRecorder, type MemberDigests } from "../../../src/io/member-digests.ts";
import { readFileBytes } from "../../../src/io/read-file-bytes.ts";
import { startBatchPool } from "../../../src/policy/engine/sharded-evaluation.ts";
import { subjectArrays, subjectDigestOptions, subjectReferences } from "../../../src/policy/engine/subject-batches.ts";

const TIMEOUT = 300_000;
const arrays = new Set<string>(subjectArrays);
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Members, element ranges and their members' digests as plain arrays, to compare. */
function plain(layout: JsonObjectLayout) {
  const digests = (d: MemberDigests) => {
    const n = d.count * d.names;
    return [[...d.kinds.subarray(0, n)], [...d.first.subarray(0, n)], [...d.second.subarray(0, n)], [...d.unread.subarray(0, d.count)], [...d.list]];
  };
  return {
    members: layout.members,
    elements: [...layout.elements].map(([key, r]) => [key, [...r.starts.subarray(0, r.count)], [...r.ends.subarray(0, r.count)], digests(r.records as MemberDigests)]),
  };
}

/** The layout located by the batch pool's two workers and this thread, in chunks of each size. */
async function locatedInChunks(bytes: Uint8Array, chunkSizes: number[]): Promise<{ helped: number; chunks: number }[]> {
  const expected = plain(jsonObjectLayout(bytes, arrays, windowBytes, new MemberDigestRecorder(subjectReferences, subjectDigestOptions)));
  const out = [];
  for (const chunkBytes of chunkSizes) {
    // The pool's workers locate before they get a library to evaluate.
    const pool = startBatchPool(bytes, { workers: 2 });
    try {
      // Workers ready before the first chunk: on a document this small this thread would
      // otherwise have located every chunk before they start.
      await pool.workers;
      const located = await pool.layout(arrays, { chunkBytes, digests: { names: subjectReferences, options: subjectDigestOptions } });
      expect(plain(located.layout)).toEqual(expected);
      out.push({ helped: located.helped, chunks: located.chunks });
    } finally {
      await pool.close();
    }
  }
  return out;
}

describe("parallel layout", () => {
  it(
    "takes the workers' parts of a snapshot credgov wrote, and gives the one-thread layout",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "credgov-parallel-layout-"));
      dirs.push(dir);
      await writeEstate(buildEstate({ people: 300, seed: 5, now: new Date("2026-11-01T00:00:00Z"), demo: true }), dir);
      const out = join(dir, "snapshot.json");
      expect(await main([process.execPath, "credgov", "collect", "--quiet", "--config", join(dir, "credgov.yaml"), "--out", out])).toBe(0);
      const bytes = await readFileBytes(out, { shared: true });
      const runs = await locatedInChunks(bytes, [2048, 30_000, 1 << 20]);
      // Many chunks, some of them the workers' (their guess held).
      expect(runs[0]!.chunks).toBeGreaterThan(50);
      expect(runs[0]!.helped).toBeGreaterThan(0);
    },
    TIMEOUT,
  );

  it(
    "gives the one-thread layout of pretty-printed JSON, of one line, and of strings with braces and escaped newlines",
    async () => {
      const pretty = readFileSync(new URL("../../fixtures/snapshots/all-controls.json", import.meta.url));
      await locatedInChunks(pretty, [97, 512, 4096]);
      const parsed = JSON.parse(pretty.toString("utf8")) as Record<string, unknown>;
      const compact = await locatedInChunks(Buffer.from(JSON.stringify(parsed)), [97, 4096]);
      expect(compact.every((r) => r.helped === 0)).toBe(true);
      const tricky = {
        sources: [{ id: "s\n{x" }],
        accounts: Array.from({ length: 60 }, (_, k) => ({ id: `a${k}`, note: `\n    {"id":"fake${k}"},\n`, nested: [{ a: [{ b: k }] }] })),
        credentials: [],
        identities: Array.from({ length: 40 }, (_, k) => ({ id: `i${k}`, accounts: [`a${k}`] })),
        settings: { deep: [{ x: "{" }] },
      };
      // Elements one per line, nested objects on lines of their own: some guesses hold, some do not.
      const lines = `{\n  "sources": ${JSON.stringify(tricky.sources)},\n  "accounts": [\n${tricky.accounts.map((a) => `    ${JSON.stringify(a, null, 1).replaceAll("\n", "\n      ")}`).join(",\n")}\n  ],\n  "credentials": [],\n  "identities": [\n${tricky.identities.map((i) => `    ${JSON.stringify(i)}`).join(",\n")}\n  ],\n  "settings": ${JSON.stringify(tricky.settings, null, 2)}\n}\n`;
      expect(JSON.parse(lines)).toEqual(tricky);
      await locatedInChunks(Buffer.from(lines), [31, 64, 200, 1000]);
    },
    TIMEOUT,
  );
});
