// A snapshot given to drift or rotation (`--since FILE`, `rotate plan --snapshot`) is checked as
// `evaluate` checks it: schema, then integrity. A second account with an id used to pass, and
// drift, which keys objects by id, kept one of the two without a word.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readSnapshot } from "../../src/snapshot/store.ts";
import { estate } from "../drift/estate-fixture.ts";
import { userInputErrorOf } from "../user-input-error.ts";

describe("readSnapshot", () => {
  it("refuses a snapshot with a duplicate id, naming file, line and pointer; `snapshot show` may still read it", async () => {
    const snapshot = estate();
    snapshot.accounts.push({ ...snapshot.accounts[0]!, name: "copy" });
    const file = join(mkdtempSync(join(tmpdir(), "credgov-read-snapshot-")), "s.json");
    writeFileSync(file, JSON.stringify(snapshot, null, 1));
    const error = await userInputErrorOf(readSnapshot(file));
    expect(error.message).toMatch(new RegExp(`^snapshot integrity problems \\(run \`credgov snapshot validate\`\\):\\n${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+:\\d+ /accounts/4/id: duplicates the id of /accounts/0 \\("corp-ad:svc-a"\\)$`));
    expect((await readSnapshot(file, { integrity: false })).accounts).toHaveLength(5);
  });

  it("reads an intact snapshot", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "credgov-read-snapshot-")), "s.json");
    writeFileSync(file, JSON.stringify(estate()));
    expect((await readSnapshot(file)).accounts).toHaveLength(4);
  });
});
