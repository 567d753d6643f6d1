// A journal line that is JSON but not a record credgov wrote (null, an item without its id, an
// unknown state, a wrongly typed attempt) is an input error naming the line and field. It used
// to be an internal error (null) or to be replayed as state "undefined" or "bogus", which
// `rotate resume` would then act on.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JournalWriter, newSalt, readJournal } from "../../src/rotation/journal.ts";
import { userInputErrorOf } from "../user-input-error.ts";

async function writtenJournal(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), "credgov-journal-")), "journal.jsonl");
  const writer = await JournalWriter.create(path, { type: "run", journalVersion: 1, planDigest: "a".repeat(64), plan: "plan.json", startedAt: "2026-12-06T10:00:00.000Z", fingerprintSalt: newSalt(), host: "h", pid: 1 });
  await writer.append({ type: "session", event: "start", at: "2026-12-06T10:00:00.000Z", command: "apply", pid: 1 });
  await writer.append({ type: "item", item: "corp-ad:u1:password", state: "planned", at: "2026-12-06T10:00:00.000Z", attempt: 1 });
  await writer.append({ type: "item", item: "corp-ad:u1:password", state: "failed", at: "2026-12-06T10:00:01.000Z", attempt: 1, lastGood: "planned", error: { step: "apply", message: "refused", code: "ldap-19", transient: false } });
  await writer.close();
  return path;
}

describe("rotation journal records", () => {
  it("replays what the writer wrote", async () => {
    const journal = await readJournal(await writtenJournal());
    expect(journal.items.get("corp-ad:u1:password")).toMatchObject({ state: "failed", lastGood: "planned", error: { message: "refused" } });
  });

  it.each([
    ["null", "null", "journal.jsonl:5 must be a JSON object (a journal record)"],
    ["an item without its id", '{"type":"item","state":"applied","at":"2026-12-06T10:00:02.000Z","attempt":1}', "journal.jsonl:5 item: is required"],
    ["an unknown state", '{"type":"item","item":"corp-ad:u1:password","state":"bogus","at":"2026-12-06T10:00:02.000Z","attempt":1}', "journal.jsonl:5 state: must be one of planned, generated, stored-pending, applied, verified, promoted, committed, failed, skipped"],
    ["an attempt as text", '{"type":"item","item":"corp-ad:u1:password","state":"applied","at":"2026-12-06T10:00:02.000Z","attempt":"2"}', "journal.jsonl:5 attempt: must be an integer"],
    ["an unknown record type", '{"type":"note"}', 'journal.jsonl:5 type: must be one of run, item, session (got "note")'],
  ])("refuses %s at its line", async (_what, line, expected) => {
    const path = await writtenJournal();
    writeFileSync(path, `${readFileSync(path, "utf8")}${line}\n`);
    const error = await userInputErrorOf(readJournal(path));
    expect(error.format().replace(`${path.slice(0, -"journal.jsonl".length)}`, "")).toBe(expected);
  });

  it("refuses a first line that is not a run record", async () => {
    const path = await writtenJournal();
    const lines = readFileSync(path, "utf8").split("\n");
    writeFileSync(path, [lines[0]!.replace('"planDigest":"' + "a".repeat(64), '"planDigest":"xyz'), ...lines.slice(1)].join("\n"));
    expect((await userInputErrorOf(readJournal(path))).format()).toMatch(/journal\.jsonl:1 planDigest: must match pattern/);
  });
});

// Found by test/fuzz/cli-fuzz.ts (a byte that is not UTF-8 in a journal line), which led to the
// length: readJournal counted the complete records in characters of the decoded text while
// reopen() truncates bytes, so resuming a journal that names a non-ASCII account cut off its last
// records, a committed rotation among them.
describe("rotation journal bytes", () => {
  async function journalFor(item: string): Promise<string> {
    const path = join(mkdtempSync(join(tmpdir(), "credgov-journal-")), "journal.jsonl");
    const writer = await JournalWriter.create(path, { type: "run", journalVersion: 1, planDigest: "a".repeat(64), plan: "plan.json", startedAt: "2026-12-06T10:00:00.000Z", fingerprintSalt: newSalt(), host: "h", pid: 1 });
    await writer.append({ type: "item", item, state: "planned", at: "2026-12-06T10:00:00.000Z", attempt: 1 });
    await writer.append({ type: "item", item, state: "committed", at: "2026-12-06T10:00:01.000Z", attempt: 1 });
    await writer.close();
    return path;
  }

  it("keeps every record of a journal naming a non-ASCII account when it is reopened, and cuts only a torn record", async () => {
    const path = await journalFor("corp-ad:josé:password");
    const complete = readFileSync(path);
    writeFileSync(path, Buffer.concat([complete, Buffer.from('{"type":"item","item":"corp-ad:josé:pass')]));
    const journal = await readJournal(path);
    expect(journal.completeLength).toBe(complete.length);
    await (await JournalWriter.reopen(path, journal.completeLength)).close();
    expect(readFileSync(path).equals(complete)).toBe(true);
    expect((await readJournal(path)).items.get("corp-ad:josé:password")?.state).toBe("committed");
  });

  it("refuses a line with a byte that is not UTF-8 at its line", async () => {
    const path = await journalFor("corp-ad:jose:password");
    const text = readFileSync(path, "utf8");
    const at = text.lastIndexOf("jose");
    writeFileSync(path, Buffer.concat([Buffer.from(text.slice(0, at + 3)), Buffer.from([0xe9]), Buffer.from(text.slice(at + 4))]));
    const error = await userInputErrorOf(readJournal(path));
    expect({ file: error.file, line: error.line }).toEqual({ file: path, line: 3 });
    expect(error.message).toMatch(/^byte 0xE9 is not UTF-8/);
  });
});
