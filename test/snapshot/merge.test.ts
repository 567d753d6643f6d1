// Per-source jobs: `collect --source ID` for each source, then `snapshot merge`, gives the
// snapshot of one collect of every source (identities correlated across the parts), and the
// same findings.
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { loadConfig } from "../../src/config/load.ts";
import { loadCatalog } from "../../src/policy/catalog/load.ts";
import { evaluateSnapshot } from "../../src/policy/engine/index.ts";
import { readSnapshot } from "../../src/snapshot/store.ts";
import type { Snapshot } from "../../src/snapshot/types.ts";

const TIMEOUT = 300_000;
const config = new URL("../../examples/demo/credgov.yaml", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "credgov-merge-"));
const credgov = (...args: string[]) => main([process.execPath, "credgov", ...args]);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The snapshot without what differs between two runs of the same collection: the clocks. */
function timeless(s: Snapshot): unknown {
  return {
    ...s,
    generatedAt: "",
    sources: s.sources.map((source) => ({ ...source, collectedAt: "", queries: source.queries.map((q) => ({ ...q, durationMs: 0 })) })),
  };
}

describe("snapshot merge", () => {
  const sourceIds = loadConfig(config).sources.map((s) => s.id);
  let whole: Snapshot;
  let parts: string[];
  beforeAll(async () => {
    expect(await credgov("collect", "--quiet", "--config", config, "--out", join(dir, "whole.json"))).toBe(0);
    whole = await readSnapshot(join(dir, "whole.json"));
    parts = [];
    for (const id of sourceIds) {
      const part = join(dir, `${id}.json.gz`);
      expect(await credgov("collect", "--quiet", "--config", config, "--source", id, "--out", part)).toBe(0);
      parts.push(part);
    }
  }, TIMEOUT);

  it(
    "refuses an --out that is a symbolic link (exit 2, the link's target untouched) unless --force, which replaces the link itself",
    async () => {
      const victim = join(dir, "victim.txt");
      writeFileSync(victim, "keep me");
      const link = join(dir, "linked.json");
      symlinkSync(victim, link);
      expect(await credgov("snapshot", "merge", "--quiet", "--config", config, ...parts, "--out", link)).toBe(2);
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
      expect(await credgov("snapshot", "merge", "--quiet", "--config", config, ...parts, "--out", link, "--force")).toBe(0);
      expect(lstatSync(link).isFile()).toBe(true);
      expect(readFileSync(victim, "utf8")).toBe("keep me");
    },
    TIMEOUT,
  );

  it(
    "gives the single-collect snapshot from one part per source, whatever the order of the parts",
    async () => {
      expect(sourceIds.length).toBeGreaterThan(3);
      expect(whole.identities.some((i) => new Set(i.accounts.map((a) => a.split(":")[0])).size > 2)).toBe(true);
      const out = join(dir, "merged.json.gz");
      expect(await credgov("snapshot", "merge", "--quiet", "--config", config, ...[...parts].reverse(), "--out", out)).toBe(0);
      const merged = await readSnapshot(out);
      expect(timeless(merged)).toEqual(timeless(whole));
      // A part alone does not correlate across directories; the merge does.
      const single = await readSnapshot(parts[0]);
      expect(single.identities.length).toBeLessThan(whole.identities.length);
      const catalog = loadCatalog();
      const now = whole.generatedAt;
      const [a, b] = await Promise.all([evaluateSnapshot(whole, { catalog, now }), evaluateSnapshot({ ...merged, generatedAt: now }, { catalog, now })]);
      expect(b.findings).toEqual(a.findings);
    },
    TIMEOUT,
  );

  it("lists a source whose part is missing as failed and exits 3, so its controls are error", async () => {
    const out = join(dir, "missing.json");
    expect(await credgov("snapshot", "merge", "--quiet", "--config", config, ...parts.slice(1), "--out", out)).toBe(3);
    const merged = await readSnapshot(out);
    expect(merged.sources.map((s) => s.id)).toEqual(sourceIds);
    expect(merged.sources[0]).toMatchObject({ id: sourceIds[0], status: "error", errors: [{ step: "merge", code: "part-missing" }] });
    const { findings } = await evaluateSnapshot(merged, { catalog: loadCatalog() });
    expect(findings.some((f) => f.status === "error" && f.subject.source === sourceIds[0])).toBe(true);
  });

  it("refuses a source in two parts and a part of another configuration (exit 2)", async () => {
    const out = join(dir, "bad.json");
    expect(await credgov("snapshot", "merge", "--quiet", "--config", config, parts[0], parts[0], "--out", out)).toBe(2);
    const other = join(dir, "other.yaml");
    const text = readFileSync(config, "utf8").replace(/^(sources:)/m, "# another config\n$1");
    writeFileSync(other, text);
    expect(await credgov("snapshot", "merge", "--quiet", "--config", other, ...parts, "--out", out)).toBe(2);
  });
});
