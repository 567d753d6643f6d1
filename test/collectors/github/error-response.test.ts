// A GitHub error response saved into an export file is a failed call (source partial, the areas
// it feeds left unknown), not malformed input; a dir: that is a file says so.
import { describe, expect, it } from "vitest";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { githubCollector } from "../../../src/collectors/github/collector.ts";

const fixtures = new URL("../../fixtures/", import.meta.url).pathname;

function workspace(): string {
  const dir = mkdtempSync(join(tmpdir(), "credgov-github-err-"));
  cpSync(join(fixtures, "github"), join(dir, "github"), { recursive: true });
  return dir;
}

const collect = (configDir: string, dir = "github") =>
  githubCollector.collect({ source: { id: "gh", kind: "github", dir }, configDir, env: {}, progress: { step() {}, tick() {} }, log() {} });

describe("GitHub export files holding an error response", () => {
  it("a REST error body is a failed call naming what it leaves unknown", async () => {
    const dir = workspace();
    const body = { message: "Must have admin rights to Repository.", documentation_url: "https://docs.github.com/rest/deploy-keys", status: "403" };
    writeFileSync(join(dir, "github", "repos", "api", "deploy-keys.json"), JSON.stringify(body));
    writeFileSync(join(dir, "github", "org.json"), JSON.stringify(body));
    const part = await collect(dir);
    expect(part.source.status).toBe("partial");
    const keys = part.source.errors.find((e) => e.step === "repos/api/deployKeys")!;
    expect(keys).toMatchObject({ code: "api-error", affects: ["credentials"] });
    expect(keys.message).toContain("GitHub error (HTTP 403): Must have admin rights to Repository.");
    expect(part.source.queries.find((q) => q.step === "org")).toMatchObject({ status: "error" });
    expect(part.settings.twoFactorRequired).toBeNull();
    expect(part.credentials.some((c) => c.type === "deployKey" && c.account.endsWith(":repo:api"))).toBe(false);
  });

  it("a GraphQL error response for SAML identities leaves SAML unknown", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "github", "saml-identities.json"), JSON.stringify({ data: null, errors: [{ type: "FORBIDDEN", message: "Resource not accessible by integration" }] }));
    const part = await collect(dir);
    expect(part.source.errors.find((e) => e.step === "samlIdentities")?.message).toContain("GitHub GraphQL error (FORBIDDEN): Resource not accessible by integration");
    expect(part.settings.samlEnabled).toBeNull();
  });

  it("says a dir: that is a file is not a folder", async () => {
    const dir = workspace();
    writeFileSync(join(dir, "org.json"), "{}");
    const part = await collect(dir, "org.json");
    expect(part.source.status).toBe("error");
    expect(part.source.errors[0].message).toMatch(/org\.json is a file, not an export folder/);
  });
});
