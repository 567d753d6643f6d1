// Two scans that open a new SQLite history at the same instant (two scheduled jobs) both record:
// switching a new file to WAL answers "database is locked" at once to the loser of that race,
// without waiting for busy_timeout, so the switch is retried (src/history/sqlite-connection.ts).
import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { openHistory } from "../../src/history/index.ts";

const run = promisify(execFile);
const writer = new URL("./record-scans-child.ts", import.meta.url).pathname;

describe("SQLite history opened by two processes at the same instant", () => {
  it("records both scans in each of 5 races on a new file", async () => {
    for (let race = 0; race < 5; race++) {
      const where = join(mkdtempSync(join(tmpdir(), "credgov-history-race-")), "history.db");
      // Both children are up (Node started, modules loaded) well before the instant.
      const startAt = String(Date.now() + 1500);
      await Promise.all(["alpha", "beta"].map((tag) => run(process.execPath, [writer, where, tag, "1", startAt])));
      const store = await openHistory({ target: where, field: "--history" });
      expect(await store.count(), `race ${race}`).toBe(2);
      await store.close();
    }
  }, 120_000);
});
