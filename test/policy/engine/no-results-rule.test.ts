// Extra policy folders with no `results` rule (a module emptied or broken by an edit) were
// refused as "--policies: no policy package defines a `results` rule", naming no file. The
// error now lists the modules it read. Found by test/fuzz/cli-fuzz.ts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildLibrary } from "../../../src/policy/engine/build-library.ts";
import { builtinPoliciesDir, readPolicyLibrary } from "../../../src/policy/engine/policy-sources.ts";
import { userInputErrorOf } from "../../user-input-error.ts";

describe("extra policies without a results rule", () => {
  it("are refused naming the modules read", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-no-results-"));
    writeFileSync(join(dir, "custom.rego"), "package credgov.custom\n\nresult contains 1 if true\n");
    const library = readPolicyLibrary([dir]);
    const error = await userInputErrorOf(buildLibrary(library, mkdtempSync(join(tmpdir(), "credgov-no-results-cache-"))));
    expect(error.format()).toBe(`--policies: no policy package defines a \`results\` rule (read ${library.modules[0]!.file}); nothing to evaluate`);
    expect(library.modules[0]!.file).toMatch(/custom\.rego$/);
  });

  // A folder whose only module was lost evaluated the built-in library alone without a word (or,
  // with --no-builtin-policies, said "no .rego file" without naming the folder).
  it("are refused naming the folder when it holds no module", async () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-no-module-"));
    writeFileSync(join(dir, "custom_test.rego"), "package credgov.custom_test\n\ntest_x if true\n");
    writeFileSync(join(dir, "catalog.yaml"), "version: 1\ncontrols: []\n");
    const error = await userInputErrorOf(Promise.resolve().then(() => readPolicyLibrary([builtinPoliciesDir, dir])));
    expect(error.format()).toBe(`${dir} --policies: holds no .rego policy module (test modules, *_test.rego, are not evaluated); check the path`);
  });
});
