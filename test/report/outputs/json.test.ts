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

  it("names the line and field of every finding that breaks the contract (schemas/findings.schema.json)", async () => {
    const [a, b, c] = loadFindingsFixture();
    const file = join(dir, "bad.json");
    const { status, ...misspelled } = c;
    const lines = [a, { ...b, status: "maybe" }, { ...misspelled, statuss: status }, { ...a, severity: "Critical" }].map((f) => JSON.stringify(f));
    writeFileSync(file, `[\n${lines.join(",\n")}\n]\n`);
    const error = await readFindingsJson(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    const at = (line: number, text: string) => `${file}:${line + 2}:${lines[line].indexOf(text) + 1}`;
    expect((error as UserInputError).format().split("\n")).toEqual([
      `${at(1, '"maybe"')} [1].status: must be one of fail, pass, error, not_evaluated, not_applicable`,
      `${file}:4:1 [2].status: is required`,
      `${file}:4:${lines[2].indexOf('"statuss":') + 11} [2].statuss: is not a known key here; did you mean status? (expected one of controlId, title, severity, status, subject, message, evidence, mappings, remediation, rotation, excepted)`,
      `${at(3, '"Critical"')} [3].severity: must be one of critical, high, medium, low, info`,
    ]);
  });

  it("refuses a finding listed twice (same control, source and subject) at the second copy", async () => {
    const findings = loadFindingsFixture();
    const twice = findings[1];
    const file = join(dir, "twice.json");
    const lines = [...findings.slice(0, 3), { ...twice, status: twice.status === "pass" ? "fail" : "pass", message: "other" }].map((f) => JSON.stringify(f));
    writeFileSync(file, `[\n${lines.join(",\n")}\n]\n`);
    const error = await readFindingsJson(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserInputError);
    const subjectId = lines[3].indexOf(`"id":${JSON.stringify(twice.subject.id)}`, lines[3].indexOf('"subject":')) + 6;
    expect((error as UserInputError).format()).toBe(
      `${file}:5:${subjectId} [3].subject.id: finding [3] repeats finding [1]: control ${twice.controlId} on subject ${JSON.stringify(twice.subject.id)}${twice.subject.source ? ` of source ${twice.subject.source}` : ""} (a control judges a subject once); use the findings.json that evaluate or scan wrote`,
    );
    // The same subject under another control, or another source's subject with the same id, is no repeat.
    writeFileSync(file, `[\n${[twice, { ...twice, controlId: "CG-OTHER-999" }, { ...twice, subject: { ...twice.subject, source: "elsewhere" } }].map((f) => JSON.stringify(f)).join(",\n")}\n]\n`);
    expect(await readFindingsJson(file)).toHaveLength(3);
  });
});
