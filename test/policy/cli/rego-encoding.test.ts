// A Rego module or data file whose bytes are not UTF-8 (a Latin-1 é in a comment, a byte flipped)
// was read with U+FFFD in place of the byte and compiled without a word; in a string literal that
// changes the policy. OPA refuses such a file; so does credgov, at the line, for `policy
// test/check/eval/build` (loadPaths) and for policy folders given to evaluate (readPolicyDirectory,
// readPolicyLibrary); a control catalog is read as the other YAML files are (UTF-8 or UTF-16 with a
// byte-order mark). Found by test/fuzz/cli-fuzz.ts.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadPaths } from "../../../src/policy/bundle/load-paths.ts";
import { readPolicyDirectory } from "../../../src/policy/bundle/sources.ts";
import { readPolicyLibrary } from "../../../src/policy/engine/policy-sources.ts";
import { loadCatalog } from "../../../src/policy/catalog/load.ts";
import { userInputErrorOf } from "../../user-input-error.ts";

function folderWith(name: string, bytes: Buffer): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "credgov-rego-encoding-"));
  writeFileSync(path.join(dir, name), bytes);
  return dir;
}

const latin1Comment = Buffer.concat([Buffer.from("package credgov.x\n\n# caf"), Buffer.from([0xe9]), Buffer.from("\nallow if true\n")]);

describe("Rego sources that are not UTF-8", () => {
  it("are refused at their line by policy test, check, eval and build", async () => {
    const dir = folderWith("x.rego", latin1Comment);
    const error = await userInputErrorOf(Promise.resolve().then(() => loadPaths([dir])));
    expect(error.format()).toMatch(/x\.rego:3 byte 0xE9 is not UTF-8/);
  });

  it("are refused at their line in a data file", async () => {
    const dir = folderWith("data.json", Buffer.concat([Buffer.from('{\n  "a": "caf'), Buffer.from([0xe9]), Buffer.from('"\n}\n')]));
    const error = await userInputErrorOf(Promise.resolve().then(() => loadPaths([dir])));
    expect(error.format()).toMatch(/data\.json:2 byte 0xE9 is not UTF-8/);
  });

  it("are refused at their line in a policy folder given to evaluate", async () => {
    const dir = folderWith("x.rego", latin1Comment);
    const error = await userInputErrorOf(Promise.resolve().then(() => readPolicyDirectory(dir)));
    expect(error.format()).toMatch(/x\.rego:3 byte 0xE9 is not UTF-8/);
  });

  it("are read without a UTF-8 byte-order mark, which the lexer skips anyway", () => {
    const dir = folderWith("x.rego", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("package credgov.x\n")]));
    expect(loadPaths([dir]).modules.map((m) => m.source)).toEqual(["package credgov.x\n"]);
  });

  it("are refused at their line in the extra policy folders evaluate compiles", async () => {
    const dir = folderWith("x.rego", latin1Comment);
    const error = await userInputErrorOf(Promise.resolve().then(() => readPolicyLibrary([dir])));
    expect(error.format()).toMatch(/x\.rego:3 byte 0xE9 is not UTF-8/);
  });

  it("are refused at their line in a control catalog, which may be UTF-16 with a byte-order mark", async () => {
    const catalog = "version: 1\ncontrols:\n  - id: CG-CUST-001\n    title: Caf\u00e9 control\n    severity: low\n    package: credgov.custom\n    rationale: r\n    remediation: none\n    rotation: { eligible: false, rotator: null }\n    mappings: { nist_csf_2: [], owasp_nhi_2025: [], cis_v8: [], iso27001_2022: [] }\n";
    const latin1 = path.join(folderWith("catalog.yaml", Buffer.from(catalog, "latin1")), "catalog.yaml");
    expect((await userInputErrorOf(Promise.resolve().then(() => loadCatalog(latin1)))).format()).toMatch(/catalog\.yaml:4 byte 0xE9 is not UTF-8/);
    const utf16 = path.join(folderWith("catalog.yaml", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(catalog, "utf16le")])), "catalog.yaml");
    expect(loadCatalog(utf16).controls.map((c) => c.title)).toEqual(["Caf\u00e9 control"]);
  });
});
