// Problems found after parsing (schema errors in a snapshot, a bad field in findings.json) name
// file:line:col found along their JSON pointer in the file's own bytes, whatever its layout.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { pointerOffset, pointerPosition } from "../../src/io/json-pointer-position.ts";
import { valueEnd } from "../../src/io/json-layout.ts";

const bin = new URL("../../bin/credgov.js", import.meta.url).pathname;
const fixtures = new URL("../fixtures/", import.meta.url).pathname;
const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });

/** Every pointer into `value`, with the value it names. */
function pointers(value: unknown, prefix = ""): [string, unknown][] {
  const here: [string, unknown][] = [[prefix, value]];
  if (Array.isArray(value)) return here.concat(value.flatMap((v, i) => pointers(v, `${prefix}/${i}`)));
  if (value !== null && typeof value === "object") {
    return here.concat(Object.entries(value).flatMap(([k, v]) => pointers(v, `${prefix}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`)));
  }
  return here;
}

describe("pointerOffset / pointerPosition", () => {
  it("finds the value every pointer names, in any indentation, with escaped and non-ASCII keys (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom(undefined, 1, 2, "\t"), (value, indent) => {
        const bytes = Buffer.from(JSON.stringify(value, null, indent), "utf8");
        for (const [pointer, expected] of pointers(value)) {
          const at = pointerOffset(bytes, pointer)!;
          // Through JSON, as the bytes hold it (-0 is written as 0).
          expect(JSON.parse(bytes.toString("utf8", at, valueEnd(bytes, at)))).toEqual(JSON.parse(JSON.stringify(expected)));
        }
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it("points at the object that lacks a required member, and gives line and column in characters", () => {
    const text = '{\n  "a": [\n    {"ü": 1, "b": {"c": true}}\n  ]\n}\n';
    const bytes = Buffer.from(text, "utf8");
    expect(pointerPosition(bytes, "/a/0/b/c")).toEqual({ line: 3, column: 25 });
    expect(pointerPosition(bytes, "/a/0/missing")).toEqual({ line: 3, column: 5 });
    expect(pointerPosition(bytes, "/a/7")).toEqual({ line: 2, column: 8 });
    expect(pointerPosition(Buffer.from("not json"), "/a")).toEqual({ line: 1, column: 1 });
  });
});

describe("file:line:col in the CLI's errors", () => {
  const dir = mkdtempSync(join(tmpdir(), "credgov-pointer-"));

  it("evaluate names the line of a schema problem in a re-indented snapshot", () => {
    const snapshot = JSON.parse(readFileSync(join(fixtures, "snapshots", "all-controls.json"), "utf8")) as { accounts: Record<string, unknown>[] };
    snapshot.accounts[3].enabled = "yes";
    const text = JSON.stringify(snapshot, null, 2);
    writeFileSync(join(dir, "snapshot.json"), text);
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes('"enabled": "yes"'));
    const result = run(dir, "evaluate", "--snapshot", "snapshot.json", "--out", "out");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`snapshot.json:${line + 1}:${lines[line].indexOf('"yes"') + 1} /accounts/3/enabled: must be a boolean`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("report names the line and field of a bad finding in a re-indented findings.json", () => {
    const finding = (id: string, status: string) => ({ controlId: "CG-HYG-001", title: "t", severity: "high", status, subject: { source: "s", kind: "account", id, name: id }, message: "m", evidence: {}, mappings: { nist_csf_2: [], owasp_nhi_2025: [], cis_v8: [], iso27001_2022: [] }, remediation: "r", rotation: { eligible: false, rotator: null } });
    const findings = [finding("a", "fail"), finding("b", "bogus")];
    const text = JSON.stringify(findings, null, 2);
    writeFileSync(join(dir, "findings.json"), text);
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes('"bogus"'));
    const result = run(dir, "report", "--findings", "findings.json", "--format", "md", "--out", "out");
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`findings.json:${line + 1}:${lines[line].indexOf('"bogus"') + 1} [1].status: must be one of fail, pass, error, not_evaluated, not_applicable`);
  });
});
