import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareOutputDir, prepareOutputFile } from "../../src/cli/output-path.ts";
import { UserInputError } from "../../src/errors.ts";

const work = mkdtempSync(join(tmpdir(), "credgov-out-"));

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    return (error as UserInputError).message;
  }
  throw new Error("expected a UserInputError");
}

describe("output paths are checked before any work", () => {
  it("creates missing parent folders and leaves nothing behind", () => {
    const out = join(work, "a", "b", "s.json");
    expect(prepareOutputFile(out)).toBe(out);
    expect(existsSync(join(work, "a", "b"))).toBe(true);
    expect(existsSync(out)).toBe(false);
    expect(prepareOutputDir(join(work, "reports", "x"))).toBe(join(work, "reports", "x"));
  });

  it("names a regular file where a folder is needed", () => {
    const file = join(work, "a-file");
    writeFileSync(file, "");
    expect(message(() => prepareOutputFile(join(file, "s.json")))).toBe(`cannot write ${join(file, "s.json")}: ${file} is a file, not a folder`);
    expect(message(() => prepareOutputFile(join(file, "deeper", "s.json")))).toContain(`${file} is a file, not a folder`);
    expect(message(() => prepareOutputDir(file))).toContain(`${file} is a file, not a folder`);
  });

  it("refuses a folder as an output file", () => {
    const dir = join(work, "folder");
    mkdirSync(dir);
    expect(message(() => prepareOutputFile(dir))).toBe(`cannot write ${dir}: it is a folder; give a file name`);
  });

  it("fails fast where nothing can be created (/proc)", () => {
    const started = performance.now();
    expect(message(() => prepareOutputDir("/proc/credgov-x"))).toMatch(/^cannot write \/proc\/credgov-x: /);
    expect(message(() => prepareOutputFile("/proc/credgov-x/s.json"))).toMatch(/^cannot write \/proc\/credgov-x\/s\.json: /);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
