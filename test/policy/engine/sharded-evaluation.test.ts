// A snapshot evaluated in batches of subjects (worker threads, tallies, estate facts) gives
// exactly the findings of one evaluation of the whole snapshot: on the fixtures, the demo
// estate and a generated estate cut into many small batches.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildEstate, writeEstate } from "../../../bench/estate/generate.ts";
import { main } from "../../../src/cli/main.ts";
import { readFileBytes } from "../../../src/io/read-file-bytes.ts";
import { loadCatalog } from "../../../src/policy/catalog/load.ts";
import { evaluateSnapshot, type Evaluation } from "../../../src/policy/engine/index.ts";
import { mergeEstateFacts } from "../../../src/policy/engine/estate-facts.ts";
import { subjectArrays, subjectBatches, type SubjectBatches } from "../../../src/policy/engine/subject-batches.ts";
import { jsonObjectLayout } from "../../../src/io/json-layout.ts";
import type { Snapshot } from "../../../src/snapshot/types.ts";

const TIMEOUT = 300_000;
const catalog = loadCatalog();
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Batches cut from the digests the layout takes (member-digests.ts) are those cut by reading
 * each element's members from the snapshot's bytes (a layout without digests).
 */
function expectSameBatchesFromBytes(bytes: Uint8Array, batchSubjects: number): void {
  const picks = (batches: SubjectBatches) => Array.from({ length: batches.count }, (_, k) => Object.entries(batches.picked(k)).map(([name, ranges]) => [name, [...ranges!]]));
  const fromDigests = subjectBatches(bytes, batchSubjects);
  const fromBytes = subjectBatches(bytes, batchSubjects, { layout: jsonObjectLayout(bytes, new Set(subjectArrays)) });
  expect(fromDigests.count).toBeGreaterThan(1);
  expect(picks(fromDigests)).toEqual(picks(fromBytes));
}

async function wholeAndBatched(bytes: Uint8Array, batchSubjects: number): Promise<{ whole: Evaluation; batched: Evaluation; warnings: string[] }> {
  const sources = (JSON.parse(Buffer.from(bytes).toString("utf8")) as Snapshot).sources;
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  const whole = await evaluateSnapshot({ bytes, sources }, { catalog, batchSubjects: 0, warn });
  const batched = await evaluateSnapshot({ bytes, sources }, { catalog, batchSubjects, workers: 2, warn });
  return { whole, batched, warnings };
}

async function collected(config: string): Promise<Uint8Array> {
  const dir = mkdtempSync(join(tmpdir(), "credgov-sharded-"));
  dirs.push(dir);
  const out = join(dir, "snapshot.json");
  const code = await main([process.execPath, "credgov", "collect", "--quiet", "--config", config, "--out", out]);
  expect(code).toBe(0);
  // As the CLI reads it: in shared memory, which the batch workers read in place (the
  // fixtures above are plain buffers, which the engine copies into shared memory).
  const bytes = await readFileBytes(out, { shared: true });
  expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
  return bytes;
}

function statuses(evaluation: Evaluation): Set<string> {
  return new Set(evaluation.findings.map((f) => f.status));
}

describe("sharded evaluation", () => {
  for (const name of ["all-controls", "collection-errors"]) {
    it(
      `gives the findings of the whole evaluation on the ${name} fixture`,
      async () => {
        const bytes = readFileSync(new URL(`../../fixtures/snapshots/${name}.json`, import.meta.url));
        const { whole, batched, warnings } = await wholeAndBatched(bytes, 3);
        expect(whole.stats.batches).toBeUndefined();
        expect(batched.stats.batches).toBeGreaterThan(5);
        expect(batched.findings).toEqual(whole.findings);
        // Elements cut down to the keys the library names (not the default) change nothing either.
        const sources = (JSON.parse(bytes.toString("utf8")) as Snapshot).sources;
        const cut = await evaluateSnapshot({ bytes, sources }, { catalog, batchSubjects: 3, workers: 2, projectElements: true, warn: (m) => warnings.push(m) });
        expect(cut.findings).toEqual(whole.findings);
        expect(statuses(whole)).toEqual(new Set(name === "all-controls" ? ["fail", "pass", "not_applicable"] : ["fail", "pass", "error", "not_applicable", "not_evaluated"]));
        expect(warnings.filter((w) => !w.includes("is reported as error") && !w.includes("reported as error"))).toEqual([]);
        expectSameBatchesFromBytes(bytes, 3);
      },
      TIMEOUT,
    );
  }

  it(
    "gives the findings of the whole evaluation on the demo estate",
    async () => {
      const bytes = await collected(new URL("../../../examples/demo/credgov.yaml", import.meta.url).pathname);
      const { whole, batched } = await wholeAndBatched(bytes, 200);
      expect(batched.stats.batches).toBeGreaterThan(3);
      expect(batched.findings).toEqual(whole.findings);
      expect(whole.findings.filter((f) => f.status === "fail").length).toBeGreaterThan(50);
    },
    TIMEOUT,
  );

  it(
    "gives the findings of the whole evaluation on a generated estate cut into many batches",
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "credgov-sharded-estate-"));
      dirs.push(dir);
      const estate = buildEstate({ people: 800, seed: 11, now: new Date("2026-11-01T00:00:00Z"), demo: true });
      await writeEstate(estate, dir);
      const bytes = await collected(join(dir, "credgov.yaml"));
      const { whole, batched } = await wholeAndBatched(bytes, 500);
      expect(batched.stats.batches).toBeGreaterThan(5);
      expect(batched.findings).toEqual(whole.findings);
      // Cross-directory controls found identities to judge in the batches.
      expect(whole.findings.some((f) => f.controlId.startsWith("CG-FRAG-") && f.subject.kind === "identity" && f.status === "fail")).toBe(true);
      expectSameBatchesFromBytes(bytes, 50);
    },
    TIMEOUT,
  );

  it("keeps an identity, its accounts, their credentials and reset paths in one batch", () => {
    const snapshot = {
      schemaVersion: 1,
      sources: [],
      accounts: [{ id: "ad:a" }, { id: "entra:a" }, { id: "ad:b" }, { id: "gh:c" }, { id: "ad:d" }],
      credentials: [
        { id: "k1", account: "entra:a" },
        { id: "k2", account: "repo:x" },
        { id: "k3", account: "repo:x" },
        { id: "k4", account: "ad:d" },
      ],
      resetPaths: [{ id: "p1", target: "ad:a" }, { id: "p2", target: "ad:b" }],
      identities: [{ id: "person:a", accounts: ["ad:a", "entra:a", "gh:c"] }, { id: "ghost", accounts: ["nowhere"] }],
      settings: { "ad": { "x": "é\"}" } },
    };
    const batches = subjectBatches(Buffer.from(JSON.stringify(snapshot)), 2);
    const parts = Array.from({ length: batches.count }, (_, k) => JSON.parse(Buffer.from(batches.batch(k)).toString("utf8")) as typeof snapshot);
    const batchOf = (array: "accounts" | "credentials" | "resetPaths" | "identities", id: string) => parts.findIndex((p) => p[array].some((e) => e.id === id));
    expect(batchOf("accounts", "entra:a")).toBe(batchOf("accounts", "ad:a"));
    expect(batchOf("accounts", "gh:c")).toBe(batchOf("accounts", "ad:a"));
    expect(batchOf("identities", "person:a")).toBe(batchOf("accounts", "ad:a"));
    expect(batchOf("credentials", "k1")).toBe(batchOf("accounts", "ad:a"));
    expect(batchOf("resetPaths", "p1")).toBe(batchOf("accounts", "ad:a"));
    expect(batchOf("resetPaths", "p2")).toBe(batchOf("accounts", "ad:b"));
    expect(batchOf("credentials", "k4")).toBe(batchOf("accounts", "ad:d"));
    expect(batchOf("credentials", "k3")).toBe(batchOf("credentials", "k2"));
    expect(batchOf("identities", "ghost")).toBeGreaterThanOrEqual(0);
    // Every subject is in exactly one batch; everything else is in all of them.
    for (const array of ["accounts", "credentials", "resetPaths", "identities"] as const) {
      expect(parts.flatMap((p) => p[array].map((e) => e.id)).sort()).toEqual(snapshot[array].map((e) => e.id).sort());
    }
    for (const p of parts) expect(p.settings).toEqual(snapshot.settings);
    expect(batches.count).toBeGreaterThan(2);
    const estate = JSON.parse(Buffer.from(batches.estate()).toString("utf8")) as typeof snapshot;
    expect(estate).toEqual({ ...snapshot, accounts: [], credentials: [], resetPaths: [], identities: [] });
  });

  it("links subjects whose linking members come late in their elements, or are escaped, as those credgov writes first", () => {
    // The layout's digests cover an element's first members (member-digests.ts); past them,
    // and for a malformed element, batch cutting reads the element's bytes.
    const filler = { a: 1, b: [2], c: { d: "}" }, e: null, f: "x" };
    const snapshot = {
      sources: [],
      accounts: [{ ...filler, id: "ad:a" }, { id: "entra:a" }, { ...filler, id: "ad:b" }],
      credentials: [{ ...filler, id: "k1", account: "entra:a" }, { id: "k2", account: "ad:b" }],
      resetPaths: [{ ...filler, target: "ad:b", id: "p1" }],
      identities: [{ ...filler, id: "person:a", accounts: ["ad:a", "entra:a"] }],
    };
    // The second credential's holder escaped, "ad:b" all the same.
    const text = JSON.stringify(snapshot).replace('"account":"ad:b"', '"account":"ad:\\u0062"');
    const bytes = Buffer.from(text);
    expect(JSON.parse(text)).toEqual(snapshot);
    expectSameBatchesFromBytes(bytes, 1);
    const batches = subjectBatches(bytes, 1);
    const parts = Array.from({ length: batches.count }, (_, k) => JSON.parse(Buffer.from(batches.batch(k)).toString("utf8")) as typeof snapshot);
    const batchOf = (array: "accounts" | "credentials" | "resetPaths" | "identities", id: string) => parts.findIndex((p) => p[array].some((e) => e.id === id));
    expect(batchOf("accounts", "entra:a")).toBe(batchOf("accounts", "ad:a"));
    expect(batchOf("identities", "person:a")).toBe(batchOf("accounts", "ad:a"));
    expect(batchOf("credentials", "k1")).toBe(batchOf("accounts", "ad:a"));
    expect(batchOf("credentials", "k2")).toBe(batchOf("accounts", "ad:b"));
    expect(batchOf("resetPaths", "p1")).toBe(batchOf("accounts", "ad:b"));
    expect(batchOf("accounts", "ad:b")).not.toBe(batchOf("accounts", "ad:a"));
  });

  it("links a credential's holder and a reset path's target only through an account, even when one follows the other", () => {
    // The last credential's holder and the first reset path's target are the same text but no
    // account: a repository holding a secret and a target outside the snapshot stay apart.
    const snapshot = {
      schemaVersion: 1,
      sources: [],
      accounts: [{ id: "ad:a" }],
      credentials: [{ id: "k1", account: "ad:a" }, { id: "k2", account: "repo:y" }],
      resetPaths: [{ id: "p1", target: "repo:y" }, { id: "p2", target: "ad:a" }],
      identities: [],
    };
    const batches = subjectBatches(Buffer.from(JSON.stringify(snapshot)), 1);
    const parts = Array.from({ length: batches.count }, (_, k) => JSON.parse(Buffer.from(batches.batch(k)).toString("utf8")) as typeof snapshot);
    const batchOf = (array: "credentials" | "resetPaths", id: string) => parts.findIndex((p) => p[array].some((e) => e.id === id));
    expect(batchOf("resetPaths", "p1")).not.toBe(batchOf("credentials", "k2"));
    expect(batchOf("resetPaths", "p2")).toBe(batchOf("credentials", "k1"));
  });

  it("cuts batches of equal size, as many as a multiple of the workers", () => {
    const snapshot = { schemaVersion: 1, sources: [], accounts: Array.from({ length: 30 }, (_, k) => ({ id: `ad:${k}` })), credentials: [], resetPaths: [], identities: [] };
    const bytes = Buffer.from(JSON.stringify(snapshot));
    const sizes = (workers: number) => {
      const batches = subjectBatches(bytes, 7, { batchesMultipleOf: workers });
      return Array.from({ length: batches.count }, (_, k) => (JSON.parse(Buffer.from(batches.batch(k)).toString("utf8")) as typeof snapshot).accounts.length);
    };
    // 30 subjects at most 7 per batch: 5 batches of 6, or 6 batches of 5 for 2 or 3 workers.
    expect(sizes(1)).toEqual([6, 6, 6, 6, 6]);
    expect(sizes(2)).toEqual([5, 5, 5, 5, 5, 5]);
    expect(sizes(3)).toEqual([5, 5, 5, 5, 5, 5]);
    // Never more than the batch size, whatever the workers.
    expect(sizes(4)).toEqual([4, 4, 4, 3, 4, 4, 4, 3]);
  });

  it("merges estate facts: counts add up, sets are unioned, objects merge by key", () => {
    const a = { syncedAccounts: { e1: 2, e2: 0 }, krbtgt: { ad: { id: "ad:krbtgt" } }, humanPolicyIds: ["p1", "p3"] };
    const b = { syncedAccounts: { e1: 3, e2: 1 }, krbtgt: {}, humanPolicyIds: ["p2", "p1"] };
    expect(JSON.parse(JSON.stringify(mergeEstateFacts(a, b)))).toEqual({ syncedAccounts: { e1: 5, e2: 1 }, krbtgt: { ad: { id: "ad:krbtgt" } }, humanPolicyIds: ["p1", "p2", "p3"] });
  });
});
