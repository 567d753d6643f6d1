// `policy eval --input` read its JSON with JSON.parse alone: input arrays nested 100,000 deep
// reached the evaluator and ended as "evaluation error: Maximum call stack size exceeded", and a
// key given twice was evaluated with whichever came last. It is now read as every other JSON
// input of credgov: refused at file:line:col. Found by test/fuzz/cli-fuzz.ts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const bin = new URL("../../../bin/credgov.js", import.meta.url).pathname;

function evalWithInput(text: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "credgov-eval-input-"));
  writeFileSync(path.join(dir, "input.json"), text);
  return spawnSync(process.execPath, [bin, "policy", "eval", "-i", "input.json", "x := count(input.accounts)"], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
}

describe("policy eval --input", () => {
  it("refuses nesting too deep to evaluate at its line", () => {
    const r = evalWithInput(`{\n  "accounts": [],\n  "deep": ${"[".repeat(100_000)}${"]".repeat(100_000)}\n}\n`);
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: input\.json:3:\d+ nested more than 256 levels deep/);
  });

  it("refuses a repeated key at its line", () => {
    const r = evalWithInput('{\n  "accounts": [1],\n  "accounts": [1, 2]\n}\n');
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toMatch(/^error: input\.json:3:3 duplicate key "accounts"/);
  });

  it("evaluates a well-formed input", () => {
    const r = evalWithInput('{"accounts": [1, 2]}');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ result: [{ bindings: { x: 2 } }] });
  });
});
