import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserInputError } from "../../../src/errors.ts";
import { readFindingsJson } from "../../../src/report/outputs/json.ts";
import { writeOutputs } from "../../../src/report/write-outputs.ts";
import { loadFindingsFixture } from "../fixture.ts";

describe("findings.json", () => {
  const dir = mkdtempSync(join(tmpdir(), "credgov-findings-"));

  it("round-trips, one finding per line", async () => {
    const findings = loadFindingsFixture();
    const [file] = await writeOutputs(findings, { dir, formats: ["json"], toolVersion: "0.0.0", scope: "test", generatedAt: "2026-06-01T00:00:00Z" });
    expect(file).toBe(join(dir, "findings.json"));
    expect(readFileSync(file, "utf8").split("\n").length).toBe(findings.length + 3); // "[", one line each, "]", final newline
    expect(await readFindingsJson(file)).toEqual(findings);
  });

  it("names the line and index of a malformed finding", async () => {
    const file = join(dir, "bad.json");
    writeFileSync(file, '[\n{"controlId":"CG-X","status":"fail","subject":{}},\n{"controlId":"CG-Y","status":"maybe","subject":{}}\n]\n');
    const error = await readFindingsJson(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    expect((error as UserInputError).format()).toBe(`${file}:3:30 [1].status: finding has status "maybe"`);
  });
});
