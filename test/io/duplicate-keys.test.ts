// A key twice in one JSON object is an input error naming file, line and key (JSON.parse would
// keep the last value silently: `"enabled": false, ..., "enabled": true` judged as enabled).
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { UserInputError } from "../../src/errors.ts";
import { findDuplicateKey } from "../../src/io/json-duplicate-keys.ts";
import { readJsonDocument } from "../../src/io/read-large-json.ts";
import { parseJsonText } from "../../src/io/read-json.ts";
import { userInputErrorThrownBy } from "../user-input-error.ts";

const dir = mkdtempSync(join(tmpdir(), "credgov-dupkeys-"));
const fixtures = new URL("../fixtures/", import.meta.url).pathname;
const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

describe("duplicate JSON keys", () => {
  it("names file, line, column and key, and where the key first appeared", () => {
    const text = '{\n  "id": "a",\n  "enabled": false,\n  "kind": "human",\n  "enabled": true\n}\n';
    expect(userInputErrorThrownBy(() => parseJsonText(text, "users.json")).format()).toBe(
      'users.json:5:3 duplicate key "enabled" in one object (first at line 3, column 3): JSON would keep only the last value; remove or rename one',
    );
  });

  it("compares keys decoded, per object, and ignores look-alikes inside strings", () => {
    expect(findDuplicateKey('{"a": 1, "\\u0061": 2}')).toMatchObject({ key: "a" });
    expect(findDuplicateKey('{"a": {"a": {"a": 1}}, "b": [{"a": 1}, {"a": 2}]}')).toBeUndefined();
    expect(findDuplicateKey('{"a": "x\\", \\"a\\": 1", "b": "}{[,"}')).toBeUndefined();
    expect(findDuplicateKey('{"a\\\\": 1, "a\\\\": 2}')).toMatchObject({ key: "a\\" });
    expect(findDuplicateKey('[{"x": [1, {"y": 1, "y": 2}]}]')).toMatchObject({ key: "y", firstOffset: 12, offset: 20 });
    expect(findDuplicateKey('{"__proto__": 1, "__proto__": 2}')).toMatchObject({ key: "__proto__" });
  });

  it("finds a repeated key wherever it sits, and none in JSON.stringify's output (property)", () => {
    fc.assert(
      fc.property(fc.string(), fc.jsonValue(), fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue(), (key, first, second, rest, before) => {
        expect(findDuplicateKey(JSON.stringify(before))).toBeUndefined();
        const others = Object.entries(rest).filter(([k]) => k !== key).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
        const object = `{${[`${JSON.stringify(key)}:${JSON.stringify(first)}`, ...others, `${JSON.stringify(key)}: ${JSON.stringify(second)}`].join(",")}}`;
        const text = `[${JSON.stringify(before)}, {"wrapped": ${object}}]`;
        expect(findDuplicateKey(text)?.key).toBe(key);
      }),
      { numRuns: 2000, seed: 10 },
    );
  });

  it("are caught by the streaming reader of large documents too", async () => {
    const path = join(dir, "big.json");
    writeFileSync(path, '{\n  "accounts": [\n    {"id": "a", "enabled": false,\n     "enabled": true}\n  ]\n}\n');
    const error = await readJsonDocument(path, "big.json", { streamAbove: 0 }).catch((e: unknown) => e);
    expect((error as UserInputError).format()).toBe(
      'big.json:4:6 duplicate key "enabled" in one object (first at line 3, column 17): JSON would keep only the last value; remove or rename one',
    );
    writeFileSync(path, '{"accounts": [], "sources": [],\n"accounts": [{"id": "x"}]}');
    expect(((await readJsonDocument(path, "big.json", { streamAbove: 0 }).catch((e: unknown) => e)) as UserInputError).format()).toMatch(/^big\.json:2:1 duplicate key "accounts"/);
  });

  it("in a snapshot, an export and a findings file: exit 2 naming file, line and key", () => {
    // snapshot
    const snapshot = readFileSync(join(fixtures, "snapshots", "all-controls.json"), "utf8").replace('  "generatedAt": "2026-06-01T00:00:00Z",\n', '  "generatedAt": "2026-06-01T00:00:00Z",\n  "generatedAt": "2030-01-01T00:00:00Z",\n');
    writeFileSync(join(dir, "snapshot.json"), snapshot);
    let r = run(dir, "snapshot", "validate", "snapshot.json");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('snapshot.json:4:3 duplicate key "generatedAt" in one object (first at line 3, column 3)');
    r = run(dir, "evaluate", "--snapshot", "snapshot.json", "--out", "out");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('snapshot.json:4:3 duplicate key "generatedAt"');
    // Graph export (read by the streaming reader)
    cpSync(join(fixtures, "entra"), join(dir, "exports", "entra"), { recursive: true });
    const users = readFileSync(join(fixtures, "entra", "users.json"), "utf8");
    const lines = users.split("\n");
    const line = lines.findIndex((l) => l.includes('"accountEnabled": true'));
    lines.splice(line + 1, 0, lines[line].replace("true", "false"));
    writeFileSync(join(dir, "exports", "entra", "users.json"), lines.join("\n"));
    writeFileSync(join(dir, "credgov.yaml"), "sources:\n  - id: cloud\n    kind: entra\n    dir: exports/entra\n");
    r = run(dir, "collect", "--config", "credgov.yaml", "--out", "s.json");
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`exports/entra/users.json:${line + 2}:9 duplicate key "accountEnabled" in one object (first at line ${line + 1}, column 9)`);
    // findings
    const findings = readFileSync(new URL("../report/findings.fixture.json", import.meta.url), "utf8").replace('  "status": "fail",\n', '  "status": "fail",\n  "status": "pass",\n');
    writeFileSync(join(dir, "findings.json"), findings);
    r = run(dir, "report", "--findings", "findings.json", "--format", "md", "--out", "rep");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/findings\.json:\d+:\d+ duplicate key "status" in one object/);
  }, 120_000);
});
