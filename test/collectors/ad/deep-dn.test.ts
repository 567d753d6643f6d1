// A DN thousands of RDNs deep must cost one pass over it: spelling out each ancestor's DN key
// to look up what its containers pass down holds about depth x length characters (1 GB for
// 20,000 RDNs), so a child process with a 64 MB heap dies of it.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

function resetPathsAtDepth(depth: number): unknown {
  const child = resolve(import.meta.dirname, "deep-dn-child.ts");
  const run = spawnSync(process.execPath, ["--max-old-space-size=64", child, String(depth)], { encoding: "utf8", timeout: 120_000 });
  expect(run.stderr).not.toMatch(/heap out of memory/i);
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout);
}

describe("AD reset paths below a very deep DN", () => {
  it("inherits the same grants 20,000 RDNs down as directly below the OU, within a 64 MB heap", () => {
    const direct = resetPathsAtDepth(0);
    expect(direct).toContainEqual(expect.objectContaining({ right: "GenericAll", via: "OU=Service Accounts,DC=corp,DC=example" }));
    expect(resetPathsAtDepth(20_000)).toEqual(direct);
  });
});
