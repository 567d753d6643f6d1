import { describe, expect, it } from "vitest";
import { collectorFor, CollectorUnavailableError, loadCollector } from "../../src/collectors/registry.ts";

describe("collector registry", () => {
  it("has a collector for every source kind the config schema allows", async () => {
    for (const kind of ["ad", "ldap", "entra", "github"] as const) {
      const collector = await collectorFor(kind);
      expect(typeof collector.collect).toBe("function");
    }
  });

  it("reports a kind whose module is missing from the build as unavailable", async () => {
    const error = await loadCollector("scim", { path: "./scim/collector.ts", exports: ["scimCollector"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CollectorUnavailableError);
    expect((error as Error).message).toBe("no collector for kind scim in this build (src/collectors/scim/collector.ts is missing)");
  });

  it("reports a module that exports no collector", async () => {
    await expect(loadCollector("entra", { path: "./entra/roles.ts", exports: ["entraCollector"] })).rejects.toThrow(
      "no collector for kind entra in this build (src/collectors/entra/roles.ts exports none of entraCollector)",
    );
  });
});
