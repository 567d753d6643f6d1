// evaluate hands the snapshot's bytes to the policy module as they are. A byte that is not UTF-8
// (a Latin-1 é written into a name) was read as U+FFFD and the run exited 0 on a changed name; a
// UTF-16 snapshot was refused as "expected a JSON object at byte 0", without a line. Both are now
// refused at their line, as the other readers do. Found by test/fuzz/cli-fuzz.ts.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runEvaluation } from "../../../src/policy/engine/run-evaluation.ts";
import { userInputErrorOf } from "../../user-input-error.ts";

const fixture = readFileSync(new URL("../../fixtures/snapshots/all-controls.json", import.meta.url), "utf8");

function snapshotFile(bytes: Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), "credgov-snapshot-encoding-")), "snapshot.json");
  writeFileSync(file, bytes);
  return file;
}

const evaluate = (snapshotFile: string) => runEvaluation({ snapshotFile, policies: [], builtin: true });

describe("evaluate: a snapshot that is not UTF-8", () => {
  it("is refused at the line of the first byte that is not UTF-8", async () => {
    const at = fixture.indexOf('"name": "pso-admins"') + '"name": "pso-'.length;
    const line = fixture.slice(0, at).split("\n").length;
    const file = snapshotFile(Buffer.concat([Buffer.from(fixture.slice(0, at)), Buffer.from([0xe9]), Buffer.from(fixture.slice(at))]));
    const error = await userInputErrorOf(evaluate(file));
    expect(error.file).toBe(file);
    expect(error.line).toBe(line);
    expect(error.message).toMatch(/^byte 0xE9 is not UTF-8/);
  });

  it("is refused as UTF-16 at line 1", async () => {
    const file = snapshotFile(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fixture, "utf16le")]));
    const error = await userInputErrorOf(evaluate(file));
    expect({ line: error.line, message: error.message }).toMatchObject({ line: 1, message: expect.stringMatching(/^the file is UTF-16 \(byte-order mark FF FE\), not UTF-8/) });
  });
});
