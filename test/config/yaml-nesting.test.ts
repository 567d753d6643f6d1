// Flow collections nested thousands deep overflow the yaml library's recursive composer; it
// reports that as the RangeError's own text ("Maximum call stack size exceeded"). credgov's
// YAML readers (the config, and the files read beside it through parseValidatedYaml) say what
// is wrong with the file instead, at its line. Found by test/fuzz/cli-fuzz.ts.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load.ts";
import { parseExceptions } from "../../src/policy/exceptions/load.ts";
import { userInputErrorThrownBy } from "../user-input-error.ts";

const deep = "[".repeat(10_000) + "]".repeat(10_000);

const formatted = (run: () => unknown): string => userInputErrorThrownBy(run).format();

describe("YAML nested too deeply", () => {
  it("is a config error at its line, not a JavaScript error", () => {
    const message = formatted(() => parseConfig(`version: 1\nsources: ${deep}\n`, "/x/credgov.yaml", "credgov.yaml"));
    expect(message).toMatch(/^credgov\.yaml:2:\d+ YAML syntax error: collections nested too deeply to read/);
    expect(message).not.toMatch(/call stack/i);
  });

  it("is an input error at its line in an exceptions file", () => {
    const message = formatted(() => parseExceptions(`exceptions:\n  - control: ${deep}\n`, "exceptions.yaml", new Date("2026-06-01T00:00:00Z")));
    expect(message).toMatch(/^exceptions\.yaml:2:\d+ invalid YAML: collections nested too deeply to read/);
    expect(message).not.toMatch(/call stack/i);
  });
});
