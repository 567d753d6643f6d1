import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { collectorFor } from "../../src/collectors/registry.ts";
import type { SourceKind } from "../../src/config/types.ts";

const schema = JSON.parse(readFileSync(new URL("../../schemas/credgov.config.schema.json", import.meta.url), "utf8")) as {
  $defs: { SourceBase: { properties: { kind: { enum: SourceKind[] } } } };
};
const kinds = schema.$defs.SourceBase.properties.kind.enum;

describe("collector registry", () => {
  it("has a collector for every source kind the config schema allows, which collects that kind", async () => {
    const configDir = mkdtempSync(join(tmpdir(), "credgov-registry-"));
    expect(kinds.length).toBeGreaterThan(0);
    for (const kind of kinds) {
      const collector = await collectorFor(kind);
      // A missing export is a recorded source error (not a throw), so every kind can run here offline.
      const where = kind === "ad" || kind === "ldap" ? { file: "missing.ldif" } : { dir: "missing" };
      const part = await collector.collect({ source: { id: `s-${kind}`, kind, ...where }, configDir, env: {}, progress: { step() {}, tick() {} }, log() {} });
      expect(part.source).toMatchObject({ id: `s-${kind}`, kind, transport: "file", status: "error" });
      expect(part.settings.kind).toBe(kind);
    }
  });
});
