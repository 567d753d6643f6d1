// Child process for the concurrency test: records N scans into the history at argv[2].
import { openHistory } from "../../src/history/index.ts";
import { finding, record } from "./scan-fixtures.ts";

const [where, tag, countText, startAt] = process.argv.slice(2);
// With a start time, wait for it (busy): two children then open the history at the same instant.
if (startAt !== undefined) while (Date.now() < Number(startAt));
const store = await openHistory({ target: where, field: "--history" });
for (let i = 0; i < Number(countText); i++) {
  const minute = String(i).padStart(2, "0");
  await store.record(record(`20261101T02${minute}00Z-${tag}`, `2026-11-01T02:${minute}:00.000Z`, [finding("CG-HYG-001", "fail", `corp-ad:${tag}${i}`)]));
}
await store.close();
