// The pure parts behind the CLI conventions: suggestion distance, control globs, colour choice,
// config discovery order, the starter config for every combination of kinds.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { discoverConfig } from "../../src/cli/config-discovery.ts";
import { useColor } from "../../src/cli/output.ts";
import { closestMatch, editDistance } from "../../src/closest-match.ts";
import { parseConfig } from "../../src/config/load.ts";
import { sourceKinds, starterConfig } from "../../src/config/starter-config.ts";
import { controlPatterns, selectControls } from "../../src/policy/catalog/control-selection.ts";

describe("closestMatch", () => {
  it("suggests a near word, nothing for an unrelated one or an exact match", () => {
    expect(editDistance("sarif", "sarf")).toBe(1);
    expect(editDistance("github", "gihtub")).toBe(1); // a swap of adjacent letters is one edit
    expect(closestMatch("pageSise", ["pageSize", "timeoutMs"])).toBe("pageSize");
    expect(closestMatch("colour", ["id", "kind", "dir", "file"])).toBeUndefined();
    expect(closestMatch("sarif", ["sarif", "junit"])).toBeUndefined();
  });
});

describe("selectControls", () => {
  const ids = ["CG-RESET-001", "CG-RESET-002", "CG-HYG-001", "CG-NHI-001"];
  it("matches ids and globs case-insensitively; --skip-controls wins", () => {
    const selected = selectControls(ids, { include: controlPatterns(["cg-reset-*, CG-HYG-001"]), exclude: ["CG-RESET-002"] });
    expect(ids.filter(selected)).toEqual(["CG-RESET-001", "CG-HYG-001"]);
    expect(ids.filter(selectControls(ids, { exclude: ["CG-???-001"] }))).toEqual(["CG-RESET-001", "CG-RESET-002"]);
    expect(ids.filter(selectControls(ids, {}))).toEqual(ids);
  });
  it("rejects a pattern that matches nothing, suggesting the closest id", () => {
    expect(() => selectControls(ids, { include: ["CG-HYG-01"] })).toThrow(/"CG-HYG-01" matches no control; did you mean CG-HYG-001\?/);
    expect(() => selectControls(ids, { exclude: ["CG-SAAS-*"] })).toThrow(/"CG-SAAS-\*" matches no control \(see/);
  });
});

describe("useColor", () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it("--no-color wins; FORCE_COLOR forces (not 0/false); NO_COLOR turns off; else a TTY decides", () => {
    expect(useColor(false, { FORCE_COLOR: "1" }, tty)).toBe(false);
    expect(useColor(undefined, { FORCE_COLOR: "1", NO_COLOR: "1" }, pipe)).toBe(true);
    expect(useColor(undefined, { FORCE_COLOR: "0" }, tty)).toBe(true);
    expect(useColor(undefined, { FORCE_COLOR: "0" }, pipe)).toBe(false);
    expect(useColor(undefined, { NO_COLOR: "1" }, tty)).toBe(false);
    expect(useColor(undefined, { NO_COLOR: "" }, tty)).toBe(true);
    expect(useColor(undefined, { TERM: "dumb" }, tty)).toBe(false);
    expect(useColor(true, {}, pipe)).toBe(false);
  });
});

describe("discoverConfig", () => {
  it("takes --config, else CREDGOV_CONFIG, else ./credgov.yaml when present", () => {
    const dir = mkdtempSync(join(tmpdir(), "credgov-discover-"));
    try {
      expect(discoverConfig(undefined, {}, dir)).toBeUndefined();
      writeFileSync(join(dir, "credgov.yaml"), "version: 1\n");
      expect(discoverConfig(undefined, {}, dir)).toEqual({ path: "credgov.yaml", from: "./credgov.yaml" });
      expect(discoverConfig(undefined, { CREDGOV_CONFIG: "/etc/credgov.yaml" }, dir)).toEqual({ path: "/etc/credgov.yaml", from: "CREDGOV_CONFIG" });
      expect(discoverConfig("mine.yaml", { CREDGOV_CONFIG: "/etc/credgov.yaml" }, dir)).toEqual({ path: "mine.yaml", from: "--config" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("starterConfig", () => {
  it("is a valid config for every non-empty combination of kinds", () => {
    for (let mask = 1; mask < 1 << sourceKinds.length; mask++) {
      const kinds = sourceKinds.filter((_, i) => mask & (1 << i));
      const config = parseConfig(starterConfig(kinds, "schemas/credgov.config.schema.json"), "/repo/credgov.yaml", "credgov.yaml");
      expect(config.sources.map((s) => s.kind)).toEqual(kinds);
    }
  });
});
