// The LDIF reader must stream: a 200k-entry export (~220 MB of LDIF) goes through it with the
// V8 heap capped at 48 MB. A reader that kept entries or the file text would die of OOM here.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

describe("LDIF reader memory", () => {
  it("reads 200k entries with a 48 MB heap limit", () => {
    const child = resolve(import.meta.dirname, "bounded-read-child.ts");
    const run = spawnSync(process.execPath, ["--max-old-space-size=48", child, "200000"], { encoding: "utf8", timeout: 120_000 });
    expect(run.stderr).not.toMatch(/heap out of memory/i);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { entries: number; bytes: number };
    expect(result.entries).toBe(200_000);
    expect(result.bytes).toBe(200_000 * 600);
  });
});
