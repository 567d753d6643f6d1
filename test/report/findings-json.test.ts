import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserInputError } from "../../src/errors.ts";
import { readFindingsJson, writeFindingsJson } from "../../src/report/findings-json.ts";
import { loadFindingsFixture } from "./fixture.ts";

describe("findings.json", () => {
  const dir = mkdtempSync(join(tmpdir(), "credgov-findings-"));

  it("round-trips, one finding per line", async () => {
    const findings = loadFindingsFixture();
    const file = join(dir, "findings.json");
    await writeFindingsJson(file, findings);
    expect(await readFindingsJson(file)).toEqual(findings);
  });

  it("names the line and index of a malformed finding", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, '[\n{"controlId":"CG-X","status":"fail","subject":{}},\n{"controlId":"CG-Y","status":"maybe","subject":{}}\n]\n');
    const error = await readFindingsJson(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as UserInputError).format()).toBe(`${file}:3 [1]: finding has status "maybe"`);
  });
});
