// Extra policy folders with no `results` rule (a module emptied or broken by an edit) were
// refused as "--policies: no policy package defines a `results` rule", naming no file. The
// error now lists the modules it read. Found by test/fuzz/cli-fuzz.ts.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildLibrary } from "../../../src/policy/engine/build-library.ts";
import { readPolicyLibrary } from "../../../src/policy/engine/policy-sources.ts";
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
});
