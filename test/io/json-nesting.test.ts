// JSON.parse accepts arrays nested 100,000 deep; JSON.stringify of such a value (a finding's
// evidence written back by `credgov report`) then ran out of stack, an internal error. The JSON
// reader refuses nesting past maxJsonDepth at the bracket that goes too deep. Found by
// test/fuzz/cli-fuzz.ts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { maxJsonDepth, parseJsonText } from "../../src/io/read-json.ts";
import { readFindingsJson } from "../../src/report/outputs/json.ts";
import { userInputErrorOf } from "../user-input-error.ts";

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

describe("JSON nested too deeply", () => {
  it("is refused at the bracket past the limit, with file, line and column", async () => {
    const text = `{\n  "a": ${nested(maxJsonDepth)}\n}`;
    const error = await userInputErrorOf(Promise.resolve().then(() => parseJsonText(text, "deep.json")));
    expect(error.format()).toBe(`deep.json:2:${8 + maxJsonDepth - 1} nested more than ${maxJsonDepth} levels deep (credgov's inputs nest about ten): not a file credgov or the API wrote`);
  });

  it("is read up to the limit", () => {
    expect(parseJsonText(`{"a": ${nested(maxJsonDepth - 1)}}`, "ok.json")).toBeTypeOf("object");
  });

  it("never reaches the findings renderers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-nesting-"));
    const file = join(dir, "findings.json");
    writeFileSync(file, `[{"evidence": ${nested(100_000)}}]`);
    const error = await userInputErrorOf(readFindingsJson(file));
    expect(error.format()).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:1:\\d+ nested more than`));
  });
});
