// The output folder's lock under contention: when a killed run's lock is found by several new
// runs at the same instant, exactly one of them may take it over.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const child = fileURLToPath(new URL("./lock-takeover-child.ts", import.meta.url));
const contenders = 8;

describe("taking over a dead run's lock", () => {
  it("lets exactly one of eight runs released together take it over; the others meet a live owner", async () => {
    for (let round = 0; round < 2; round++) {
      const dir = mkdtempSync(join(tmpdir(), "credgov-takeover-"));
      const signals = mkdtempSync(join(tmpdir(), "credgov-takeover-signals-"));
      writeFileSync(join(dir, ".credgov.lock"), "2147483646\n"); // no such process
      const outcomes: string[] = [];
      const exits = Array.from({ length: contenders }, () => {
        const p = spawn(process.execPath, [child, dir, signals], { stdio: ["ignore", "pipe", "inherit"] });
        p.stdout.setEncoding("utf8").on("data", (d: string) => outcomes.push(...d.trim().split("\n")));
        return new Promise((resolve) => p.on("exit", resolve));
      });
      while (readdirSync(signals).length < contenders) await sleep(10);
      writeFileSync(join(signals, "go"), "");
      // Winners hold their lock until every contender has answered, so a late one cannot win after a release.
      while (outcomes.length < contenders) await sleep(10);
      writeFileSync(join(signals, "done"), "");
      await Promise.all(exits);
      expect(outcomes.filter((o) => o === "won"), outcomes.join("\n")).toHaveLength(1);
      for (const o of outcomes.filter((o) => o !== "won")) expect(o).toMatch(/^lost: another credgov run \(pid \d+\) is writing to this folder/);
    }
  }, 120_000);
});
